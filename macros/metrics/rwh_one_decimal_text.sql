{#- A number as text with one decimal ("CSAT 3.2"), the same on every engine. -#}
{% macro rwh_one_decimal_text(expression) -%}
    cast(cast(round(cast({{ expression }} as decimal(18, 6)), 1) as decimal(18, 1)) as {{ dbt.type_string() }})
{%- endmacro %}
