{#-
    A cheap 64-bit hash of a source key (no text of the whole row, no md5): what the large tables group by
    to find the rare keys loaded more than once. Collisions cost nothing but a little extra work, since
    every row of a hash that needs attention is then decided by its real key (rwh_flag_rows).
-#}
{% macro rwh_key_hash(columns) -%}
    {{ return(adapter.dispatch('rwh_key_hash')(columns)) }}
{%- endmacro %}

{% macro default__rwh_key_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- do parts.append("coalesce(cast(" ~ c ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
    {%- endfor -%}
    hashtextextended({{ parts | join(" || '|' || ") }}, 0)
{%- endmacro %}

{% macro duckdb__rwh_key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__rwh_key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
