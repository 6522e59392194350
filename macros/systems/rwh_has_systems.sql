{#- True when every system in `required` is declared present. -#}
{% macro rwh_has_systems(required) -%}
    {%- set present = rwh_source_systems() -%}
    {{ return(required | reject('in', present) | list | length == 0) }}
{%- endmacro %}
