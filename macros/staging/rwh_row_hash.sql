{#-
    An md5 of every column of a raw relation except the load timestamp, found at run time, so a column
    added to the contract is covered without editing the model. Two rows with the same hash are exact
    duplicates (a re-extracted row); the same key with different hashes are conflicting versions.
-#}
{% macro rwh_row_hash(relation, exclude=['_loaded_at']) -%}
    {%- if not execute -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set columns = get_columns_in_query('select * from ' ~ relation) -%}
    {%- set parts = [] -%}
    {%- for column in columns if column | lower not in exclude -%}
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
    The values of a base model's row as one readable string ('column=value; ...'), leaving out the staging
    bookkeeping columns, so a quarantined row with a null or partial key can still be found in the raw
    extract. Personal data appears only as its salted hash (the base models hash it).
-#}
{% macro rwh_row_values(relation) -%}
    {%- if not execute -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set bookkeeping = ['base_row_id', 'row_hash', 'row_quarantine_reason', 'is_loaded_after_extract',
                           'is_latest_load', 'min_row_hash', 'max_row_hash', 'copy_number', 'quarantine_reason',
                           'is_superseded', 'is_duplicate', 'is_staged', '_loaded_at', 'key_hash', 'decided_as_of'] -%}
    {%- set parts = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in bookkeeping -%}
        {%- do parts.append("'" ~ column.name ~ "=' || coalesce(cast(" ~ adapter.quote(column.name) ~ " as "
                            ~ dbt.type_string() ~ "), 'null')") -%}
    {%- endfor -%}
    {{ parts | join(" || '; ' || ") }}
{%- endmacro %}
