{#- The partition value (a SQL literal) of one period: an ISO date or a block index. -#}
{% macro rwh_usage_partition_value(period_column, period) -%}
    {%- if period_column == 'usage_date' -%}
        {{ return("date'" ~ period[:7] ~ "-01'") }}
    {%- elif period_column == 'week_start_date' -%}
        {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
        {{ return(((modules.datetime.date.fromisoformat(period[:10]) - epoch).days // 7) // rwh_usage_block_weeks()) }}
    {%- else -%}
        {{ return(period) }}
    {%- endif -%}
{%- endmacro %}
