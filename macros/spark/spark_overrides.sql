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


{#- dbt's cast(), used by the contract check (get_empty_schema_sql), with the YAML type translated. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ rwh_column_type(type) }})
{%- endmacro %}


{#-
    Seeds on Spark as plain literals. dbt-spark 1.11's session method pastes the bound values into the SQL
    unescaped (`sql % parameters`), so a description with an apostrophe ("the customer's") breaks the
    insert; here every string is escaped and nothing is bound.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {{- "," if not loop.last }}
                {%- endfor -%}
                ){{ "," if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}


{#-
    datediff as DuckDB and PostgreSQL count it: the number of day, month or minute boundaries between the
    two, parenthesised. dbt-spark's own is a sum of two CASE expressions without parentheses, so
    `datediff(...) / 3` divided only the second one (cohort quarters came out as months).
-#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- elif datepart == 'month' -%}
        (
            (year({{ second_date }}) - year({{ first_date }})) * 12
            + month({{ second_date }}) - month({{ first_date }})
        )
    {%- elif datepart == 'minute' -%}
        (
            floor(unix_timestamp({{ second_date }}) / 60)
            - floor(unix_timestamp({{ first_date }}) / 60)
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error("spark__datediff: datepart " ~ datepart ~ " is not implemented") }}
    {%- endif -%}
{%- endmacro %}


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
