{#- A predicate: an integer column is one of `values` (false for none). -#}
{% macro rwh_integer_in(column, values) -%}
    {%- if values -%}
        {{ column }} in ({{ values | join(', ') }})
    {%- else -%}
        1 = 0
    {%- endif -%}
{%- endmacro %}
