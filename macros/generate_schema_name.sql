{#-
    Layers live in plain schemas (staging, intermediate, marts, reference) so analysts and BI tools see
    stable names. A model without a custom schema goes to the target's schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
