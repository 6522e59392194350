{#-
    Minor units to major units: divided by the currency's minor units per major unit (ISO 4217: 100 for USD,
    1 for JPY, 1000 for BHD; seeds/ref_currencies.csv), exact to 1e-6.
-#}
{% macro rwh_minor_to_major(expression, minor_units_per_major) -%}
    cast({{ rwh_divide('cast(' ~ expression ~ ' as ' ~ rwh_money_type() ~ ')', minor_units_per_major) }}
        as {{ rwh_money_type() }})
{%- endmacro %}
