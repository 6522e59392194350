{#- Bit shift right of a bigint, dispatched (Spark spells it as a function), as rwh_shift_left. -#}
{% macro rwh_shift_right(expression, bits) -%}
    {{ return(adapter.dispatch('rwh_shift_right', 'renewal_warehouse')(expression, bits)) }}
{%- endmacro %}

{% macro default__rwh_shift_right(expression, bits) -%}
    ({{ expression }} >> cast({{ bits }} as integer))
{%- endmacro %}

{% macro spark__rwh_shift_right(expression, bits) -%}
    shiftright({{ expression }}, {{ bits }})
{%- endmacro %}
