{#-
    What Spark needs to run the same project (docs/spark.md). The spark__ macros are chosen by dbt's
    dispatch only on a Spark target; rwh_column_type runs on every engine and changes a type only on Spark.
-#}

{#-
    A contracted column's YAML data_type in the engine's own words. The marts declare `varchar`, which
    DuckDB and PostgreSQL read as an unbounded string; Spark accepts varchar only with a length and calls
    the unbounded type `string`.
-#}
{% macro rwh_column_type(data_type) -%}
    {{ return(adapter.dispatch('rwh_column_type', 'renewal_warehouse')(data_type)) }}
{%- endmacro %}

{% macro default__rwh_column_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro spark__rwh_column_type(data_type) -%}
    {{ return('string' if data_type | trim | lower in ('varchar', 'text') else data_type) }}
{%- endmacro %}
