{#- The bit of a week position (0 = the block's first week) as a bigint. -#}
{% macro rwh_week_bit(position_expression) -%}
    {{ rwh_shift_left('cast(1 as bigint)', position_expression) }}
{%- endmacro %}
