{#- A number as whole-number text for the factors' words ("usage down 40 % in 60 days"), the same on every engine. -#}
{% macro rwh_whole_number_text(expression) -%}
    cast(cast(round(cast({{ expression }} as decimal(18, 6)), 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
{%- endmacro %}
