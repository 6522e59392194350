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
