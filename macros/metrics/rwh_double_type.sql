{#-
    A 64-bit float on every engine. dbt.type_float() is "float", which DuckDB reads as a 32-bit REAL: the
    same LTV then differed by up to $0.17 between DuckDB and PostgreSQL.
-#}
{% macro rwh_double_type() -%}
    {{ return(adapter.dispatch('rwh_double_type', 'renewal_warehouse')()) }}
{%- endmacro %}

{% macro default__rwh_double_type() -%}
    double precision
{%- endmacro %}

{% macro spark__rwh_double_type() -%}
    double
{%- endmacro %}
