{#- Bit `position` of a non-negative bigint mask, as 0 or 1. -#}
{% macro rwh_bit_at(mask, position) -%}
    ({{ rwh_shift_right(mask, position) }} & 1)
{%- endmacro %}
