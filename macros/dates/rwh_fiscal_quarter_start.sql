{#- First day of the fiscal quarter of a date (var fiscal_year_start_month), for any date, past or future. -#}
{% macro rwh_fiscal_quarter_start(date_expression) -%}
    cast({{ dbt.dateadd(
        'month',
        '-1 * ((cast(extract(month from ' ~ date_expression ~ ') as ' ~ dbt.type_int() ~ ') - '
            ~ var('fiscal_year_start_month') ~ ' + 12) % 3)',
        dbt.date_trunc('month', date_expression)
    ) }} as date)
{%- endmacro %}
