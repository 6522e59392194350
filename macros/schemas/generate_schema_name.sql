{#-
    Layers live in plain schemas (staging, intermediate, marts, reference) so analysts and BI tools see
    stable names. A model without a custom schema goes to the target's schema.

    RWH_SCHEMA_SUFFIX (set by `rwh build` on PostgreSQL) builds every layer into shadow schemas
    (marts__building ...) that are swapped in, in one transaction, only when every test passed.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}{{ env_var('RWH_SCHEMA_SUFFIX', '') | trim }}
    {%- endif -%}
{%- endmacro %}
