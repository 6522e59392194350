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
