{#-
    Join condition picking the FX rate in force for a currency on a date from stg_billing__fx_rates
    (each rate is valid from its rate_date until the day before the next published rate).
-#}
{% macro rwh_fx_rate_on(fx_alias, currency_expression, date_expression) -%}
    {{ fx_alias }}.currency = {{ currency_expression }}
    and {{ date_expression }} >= {{ fx_alias }}.rate_date
    and {{ date_expression }} <= {{ fx_alias }}.valid_to_date
{%- endmacro %}


{#- Convert an amount with the rates of two joined fx aliases (row currency, reporting currency). -#}
{% macro rwh_to_reporting(amount, row_fx_alias, reporting_fx_alias) -%}
    cast({{ rwh_divide(amount ~ ' * ' ~ row_fx_alias ~ '.usd_per_unit', reporting_fx_alias ~ '.usd_per_unit') }}
        as {{ rwh_money_type() }})
{%- endmacro %}


{#- Money in major units, exact to 1e-6 (amounts are rounded only where they are shown). -#}
{% macro rwh_money_type() -%}
    {{ return(adapter.dispatch('rwh_money_type', 'renewal_warehouse')()) }}
{%- endmacro %}

{% macro default__rwh_money_type() -%}
    decimal(38, 6)
{%- endmacro %}


{#-
    Minor units to major units: divided by the currency's minor units per major unit (ISO 4217: 100 for USD,
    1 for JPY, 1000 for BHD; seeds/ref_currencies.csv), exact to 1e-6.
-#}
{% macro rwh_minor_to_major(expression, minor_units_per_major) -%}
    cast({{ rwh_divide('cast(' ~ expression ~ ' as ' ~ rwh_money_type() ~ ')', minor_units_per_major) }} as {{ rwh_money_type() }})
{%- endmacro %}


{#-
    A raw amount in major units (the CRM's money, decimal(18, 2) in the contract), exact to the cent and
    wide enough to be multiplied by a rate: DuckDB keeps decimal(18, 2) x decimal(18, 8) at width 18, which
    overflows above about 99,999,999.99.
-#}
{% macro rwh_major_amount_type() -%}
    decimal(38, 2)
{%- endmacro %}
