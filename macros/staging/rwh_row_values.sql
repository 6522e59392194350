{#-
    The values of a base model's row as one readable string ('column=value; ...'): its columns as the base
    model's YAML lists them, without the bookkeeping columns and _loaded_at, so a quarantined row with a null
    or partial key can still be found in the raw extract. Personal data appears only as its salted hash (the
    base models hash it).
-#}
{% macro rwh_row_values(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set name = 'base_' ~ source_name ~ '__' ~ table_name -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) -%}
    {%- if node is none or not node.columns -%}
        {{ exceptions.raise_compiler_error("rwh_row_values: " ~ name ~ " lists no columns in its YAML") }}
    {%- endif -%}
    {%- set left_out = rwh_bookkeeping_columns() + ['_loaded_at'] -%}
    {%- set parts = [] -%}
    {%- for column in node.columns.keys() if column | lower not in left_out -%}
        {%- do parts.append("'" ~ column ~ "=' || coalesce(cast(" ~ adapter.quote(column) ~ " as "
                            ~ dbt.type_string() ~ "), 'null')") -%}
    {%- endfor -%}
    {{ parts | join(" || '; ' || ") }}
{%- endmacro %}
