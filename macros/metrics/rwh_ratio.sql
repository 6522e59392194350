{#- A rate as an exact-enough fraction; null when the denominator is zero or null (never a division error). -#}
{% macro rwh_ratio(numerator, denominator) -%}
    cast(
        case
            when ({{ denominator }}) = 0 then null
            else {{ rwh_round(rwh_divide(
                'cast(' ~ numerator ~ ' as ' ~ dbt.type_numeric() ~ ')',
                'cast(' ~ denominator ~ ' as ' ~ dbt.type_numeric() ~ ')'
            ), 6) }}
        end
        as decimal(18, 6)
    )
{%- endmacro %}
