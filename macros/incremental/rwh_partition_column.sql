{#- The partition column as one more column of a select list (", <expression> as <name>") on Spark, when
    the model has no such column; nothing elsewhere. `period_expression` is the period in the query (the
    period column by default). -#}
{% macro rwh_partition_column(period_column, period_expression=none) -%}
    {{ return(adapter.dispatch('rwh_partition_column', 'renewal_warehouse')(period_column, period_expression)) }}
{%- endmacro %}

{% macro default__rwh_partition_column(period_column, period_expression) -%}
{%- endmacro %}

{% macro spark__rwh_partition_column(period_column, period_expression) -%}
    {%- set expression = rwh_usage_partition_expression(period_column, period_expression) -%}
    {%- if expression -%}
        , {{ expression }} as {{ rwh_usage_partition_name(period_column) }}
    {%- endif -%}
{%- endmacro %}
