{#- Fiscal quarter label of a date, e.g. FY2026-Q3. -#}
{% macro rwh_fiscal_quarter_label(date_expression) -%}
    {{ dbt.concat([
        "'FY'", 'cast(' ~ rwh_fiscal_year(date_expression) ~ ' as ' ~ dbt.type_string() ~ ')', "'-Q'",
        'cast(cast(floor(((cast(extract(month from ' ~ date_expression ~ ') as ' ~ dbt.type_int() ~ ') - '
            ~ var('fiscal_year_start_month') ~ ' + 12) % 12) / 3.0) as ' ~ dbt.type_int() ~ ') + 1 as '
            ~ dbt.type_string() ~ ')'
    ]) }}
{%- endmacro %}
