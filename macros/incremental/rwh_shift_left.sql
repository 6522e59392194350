{#- Bit shifts of a bigint, dispatched (Spark spells them as functions). -#}
{% macro rwh_shift_left(expression, bits) -%}
    {{ return(adapter.dispatch('rwh_shift_left', 'renewal_warehouse')(expression, bits)) }}
{%- endmacro %}

{% macro default__rwh_shift_left(expression, bits) -%}
    ({{ expression }} << cast({{ bits }} as integer))
{%- endmacro %}

{% macro spark__rwh_shift_left(expression, bits) -%}
    shiftleft({{ expression }}, {{ bits }})
{%- endmacro %}
