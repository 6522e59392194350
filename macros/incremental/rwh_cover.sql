{#- The four-week cover of a mask of week bits: bit i is set when one of bits i-3 to i is (masks hold at
    most 17 bits, so the shifts never overflow). -#}
{% macro rwh_cover(mask) -%}
    ({{ mask }} | {{ rwh_shift_left(mask, 1) }} | {{ rwh_shift_left(mask, 2) }} | {{ rwh_shift_left(mask, 3) }})
{%- endmacro %}
