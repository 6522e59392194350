{#- Every day of the given blocks, with `lookback_weeks` weeks before each block (ISO date strings). -#}
{% macro rwh_usage_block_days(blocks, lookback_weeks=0) -%}
    {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
    {%- set days = [] -%}
    {%- for block in blocks -%}
        {%- set first = epoch + modules.datetime.timedelta(days=7
            * (block * rwh_usage_block_weeks() - lookback_weeks)) -%}
        {%- for offset in range(7 * (rwh_usage_block_weeks() + lookback_weeks)) -%}
            {%- do days.append((first + modules.datetime.timedelta(days=offset)).isoformat()) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(days | unique | sort) }}
{%- endmacro %}
