{#- The partition of a period as a SQL expression of the period (`period_expression`, the period column by
    default): none when the period column is the partition column. -#}
{% macro rwh_usage_partition_expression(period_column, period_expression=none) -%}
    {%- set period = period_expression or period_column -%}
    {%- if period_column == 'usage_date' -%}
        {{ return('cast(' ~ dbt.date_trunc('month', period) ~ ' as date)') }}
    {%- elif period_column == 'week_start_date' -%}
        {{ return('cast(floor(' ~ rwh_week_index(period) ~ ' / ' ~ rwh_usage_block_weeks() ~ '.0) as bigint)') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
