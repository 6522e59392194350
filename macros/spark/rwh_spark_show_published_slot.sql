{#- Log the published slot (`rwh build` reads the line). -#}
{% macro rwh_spark_show_published_slot() -%}
    {{ log('rwh published slot: ' ~ (rwh_spark_published_slot() or 'none'), info=true) }}
{%- endmacro %}
