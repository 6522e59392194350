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
        {{ exceptions.raise_compiler_error("rwh_row_hash: the source YAML lists no columns for " ~ source_name ~ "." ~ table_name ~ " (run `rwh sources`)") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for column in node.columns.keys() if column | lower not in exclude -%}
        {%- do parts.append("coalesce(cast(" ~ adapter.quote(column) ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
    {%- endfor -%}
    {{ dbt.hash(parts | join(" || '|' || ")) }}
{%- endmacro %}


{#- A source key as one string: parts cast to text, a null part empty, joined with '|'. -#}
{% macro rwh_key_string(key_columns) -%}
    {%- set parts = [] -%}
    {%- for k in key_columns -%}
        {%- do parts.append("coalesce(cast(" ~ k ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- endfor -%}
    {{ parts | join(" || '|' || ") }}
{%- endmacro %}


{#-
    The columns a base model adds to the raw row to decide what becomes of it (rwh_flag_rows, and the usage
    base model's key hash and watermark): defined once here. Staged views leave them out, and the quarantine's
    row_values does too; the test assert_staging_columns_equal_yaml keeps every staging model's built columns
    equal to its YAML, so a bookkeeping column cannot leak into a staged view.
-#}
{% macro rwh_bookkeeping_columns() -%}
    {{ return(['base_row_id', 'row_hash', 'row_quarantine_reason', 'is_loaded_after_extract', 'is_latest_load',
               'min_row_hash', 'max_row_hash', 'copy_number', 'quarantine_reason', 'is_superseded',
               'is_duplicate', 'is_staged', 'key_hash', 'decided_as_of', 'usage_month']) }}
{%- endmacro %}


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
