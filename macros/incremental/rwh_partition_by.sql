{#- The partition_by config of an incremental usage model: its partition column on Spark (rwh_usage_partition_name),
    none elsewhere (delete+insert on the period). -#}
{% macro rwh_partition_by(period_column) -%}
    {{ return(adapter.dispatch('rwh_partition_by', 'renewal_warehouse')(period_column)) }}
{%- endmacro %}

{% macro default__rwh_partition_by(period_column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__rwh_partition_by(period_column) -%}
    {{ return([rwh_usage_partition_name(period_column)]) }}
{%- endmacro %}
