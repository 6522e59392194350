{#- A reference check: the row's `column` must be a key of the integrity model `known` (its column `key`). -#}
{% macro rwh_known(column, known, reason, key=none) -%}
    {%- set key = key or column -%}
    {{ return({
        'reason': reason,
        'relation': known,
        'alias': known,
        'on': 'current_rows.' ~ column ~ ' = ' ~ known ~ '.' ~ key,
        'broken': known ~ '.' ~ key ~ ' is null',
    }) }}
{%- endmacro %}
