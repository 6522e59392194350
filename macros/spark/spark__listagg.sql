{#-
    listagg in the order asked for. dbt-spark's ignores the order (collect_list, with a warning), so the
    list of non-submitting CSMs came out in another order than on DuckDB and PostgreSQL; Spark 4 has
    listagg ... within group (order by ...).
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("spark__listagg: limit_num is not supported") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
