{#- The Mondays of the given blocks (ISO date strings): the weeks int_usage_account_weeks rebuilds. -#}
{% macro rwh_usage_block_mondays(blocks) -%}
    {%- set epoch = modules.datetime.date.fromisoformat(rwh_week_epoch()) -%}
    {%- set mondays = [] -%}
    {%- for block in blocks -%}
        {%- for week in range(rwh_usage_block_weeks()) -%}
            {%- do mondays.append((epoch + modules.datetime.timedelta(days=7
                * (block * rwh_usage_block_weeks() + week))).isoformat()) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(mondays | unique | sort) }}
{%- endmacro %}
