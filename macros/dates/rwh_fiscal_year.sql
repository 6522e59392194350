{#- Fiscal year of a date, named by the calendar year it ends in. -#}
{% macro rwh_fiscal_year(date_expression) -%}
    (cast(extract(year from {{ date_expression }}) as {{ dbt.type_int() }})
    + case
        when {{ var('fiscal_year_start_month') }} != 1
            and cast(extract(month from {{ date_expression }}) as {{ dbt.type_int() }}) >=
                {{ var('fiscal_year_start_month') }}
            then 1
        else 0
    end)
{%- endmacro %}
