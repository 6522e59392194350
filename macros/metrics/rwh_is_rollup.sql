{#-
    True on the roll-up rows of a mart in the reporting grammar: the rows that total other rows of the same
    mart. Name the dimensions the mart rolls up: `all_time` (period_type 'all_time'), `segments` (segment_type
    'all', when the mart has other segment types) and `breakdown` (breakdown_value 'all'). A sum over the rows
    where this is false, within one period_type, one segment_type and one breakdown, counts every fact once.
-#}
{% macro rwh_is_rollup(all_time=false, segments=false, breakdown=false) -%}
    {%- set conditions = [] -%}
    {%- if all_time %}{% do conditions.append("period_type = 'all_time'") %}{% endif -%}
    {%- if segments %}{% do conditions.append("segment_type = 'all'") %}{% endif -%}
    {%- if breakdown %}{% do conditions.append("breakdown_value = 'all'") %}{% endif -%}
    {{ '(' ~ conditions | join(' or ') ~ ')' if conditions else 'false' }}
{%- endmacro %}
