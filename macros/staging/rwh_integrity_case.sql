{#- The first broken check's reason, or null. -#}
{% macro rwh_integrity_case(checks) -%}
    {%- if checks -%}
        case
            {%- for check in checks if check.broken %}
            when {{ check.broken }} then '{{ check.reason }}'
            {%- endfor %}
        end
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
