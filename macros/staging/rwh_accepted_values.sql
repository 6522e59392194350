{#-
    The accepted values of a raw column, read from the source YAML (generated from contract.py), as a
    SQL list literal. Returns a placeholder while dbt parses (no graph yet).
-#}
{% macro rwh_accepted_values(source_name, table_name, column_name) -%}
    {%- if not execute -%}
        {{ return("('')") }}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- set column = node.columns[column_name] -%}
    {%- set values = (column.config.meta if column.config is defined and column.config.meta
        else column.meta).accepted_values -%}
    {%- if not values -%}
        {{ exceptions.raise_compiler_error("no accepted_values in the source YAML for " ~ source_name ~ "." ~ table_name
            ~ "." ~ column_name) }}
    {%- endif -%}
    ({%- for v in values -%}'{{ v }}'{{ ", " if not loop.last }}{%- endfor -%})
{%- endmacro %}
