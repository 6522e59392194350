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

{#-
    Keep the rows of the relation before it that have no match in `other` (an anti join), written right
    after a FROM clause that has no WHERE of its own. DuckDB and Spark get their ANTI JOIN: DuckDB spills it
    at 474 million rows under 5 GB, where the LEFT JOIN / IS NULL and NOT EXISTS forms of the same query ran
    out of memory. Elsewhere NOT EXISTS, which planners turn into an anti join.
-#}
{% macro rwh_anti_join(other, condition) -%}
    {{ return(adapter.dispatch('rwh_anti_join')(other, condition)) }}
{%- endmacro %}

{% macro default__rwh_anti_join(other, condition) -%}
    where not exists (select 1 from {{ other }} where {{ condition }})
{%- endmacro %}

{% macro duckdb__rwh_anti_join(other, condition) -%}
    anti join {{ other }} on {{ condition }}
{%- endmacro %}

{% macro spark__rwh_anti_join(other, condition) -%}
    left anti join {{ other }} on {{ condition }}
{%- endmacro %}
