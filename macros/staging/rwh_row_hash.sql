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
