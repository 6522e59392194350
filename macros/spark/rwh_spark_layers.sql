{#- The published layers of the Spark blue/green publish (rwh_spark_publish_slot.sql describes it). -#}
{% macro rwh_spark_layers() -%}
    {{ return(['staging', 'intermediate', 'marts', 'reference']) }}
{%- endmacro %}
