{#- True when the raw table has an integrity model in this deployment. -#}
{% macro rwh_has_integrity(source_name, table_name) -%}
    {{ return((source_name ~ '.' ~ table_name) in rwh_integrity_tables()) }}
{%- endmacro %}
