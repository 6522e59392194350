{#- The incremental strategy of the date-partitioned models: no engine needs a merge. -#}
{% macro rwh_incremental_strategy() -%}
    {{ return(adapter.dispatch('rwh_incremental_strategy', 'renewal_warehouse')()) }}
{%- endmacro %}

{% macro default__rwh_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__rwh_incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}
