{#-
    An md5 of every column of a raw table except the load timestamp, in the order the source YAML lists them
    (generated from the raw contract, src/renewal_warehouse/contract.py, by `rwh sources`), so a column added
    to the contract is covered without editing the model and nothing is read from the warehouse at compile
    time. Two rows with the same hash are exact duplicates (a re-extracted row); the same key with different
    hashes are conflicting versions.
-#}
{% macro rwh_row_hash(source_name, table_name, exclude=['_loaded_at']) -%}
    {%- if not execute -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
    {%- if node is none or not node.columns -%}
        {{ exceptions.raise_compiler_error("rwh_row_hash: the source YAML lists no columns for " ~ source_name ~ "."
            ~ table_name ~ " (run `rwh sources`)") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for column in node.columns.keys() if column | lower not in exclude -%}
        {%- do parts.append("coalesce(cast(" ~ adapter.quote(column) ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(" || '|' || ")) }}
{%- endmacro %}
