{#- The days a run rebuilds for its changed days: the same days, or on Spark every day of their months
    (the partitions it overwrites). -#}
{% macro rwh_usage_rebuilt_days(days) -%}
    {{ return(adapter.dispatch('rwh_usage_rebuilt_days', 'renewal_warehouse')(days)) }}
{%- endmacro %}

{% macro default__rwh_usage_rebuilt_days(days) -%}
    {{ return(days) }}
{%- endmacro %}

{% macro spark__rwh_usage_rebuilt_days(days) -%}
    {%- set months = [] -%}
    {%- for day in days if day[:7] not in months -%}
        {%- do months.append(day[:7]) -%}
    {%- endfor -%}
    {%- set rebuilt = [] -%}
    {%- for month in months -%}
        {%- set first = modules.datetime.date.fromisoformat(month ~ '-01') -%}
        {%- for offset in range(31) -%}
            {%- set day = first + modules.datetime.timedelta(days=offset) -%}
            {%- if day.month == first.month -%}
                {%- do rebuilt.append(day.isoformat()) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(rebuilt | sort) }}
{%- endmacro %}
