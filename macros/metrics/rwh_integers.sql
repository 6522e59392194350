{#- A query of the integers 0 .. 10^digit_count - 1 in column `column_name` (for date spines). -#}
{% macro rwh_integers(digit_count, column_name) -%}
    {%- set digits = "(values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))" -%}
    select
        {% for i in range(digit_count) -%}
            {{ "+ " if not loop.first }}{{ 10 ** i }} * digits_{{ i }}.digit
        {% endfor -%}
        as {{ column_name }}
    from {{ digits }} as digits_0 (digit)
    {% for i in range(1, digit_count) -%}
        cross join {{ digits }} as digits_{{ i }} (digit)
    {% endfor %}
{%- endmacro %}
