{#-
    Join condition picking the FX rate in force for a currency on a date from stg_billing__fx_rates
    (each rate is valid from its rate_date until the day before the next published rate).
-#}
{% macro rwh_fx_rate_on(fx_alias, currency_expression, date_expression) -%}
    {{ fx_alias }}.currency = {{ currency_expression }}
    and {{ date_expression }} >= {{ fx_alias }}.rate_date
    and {{ date_expression }} <= {{ fx_alias }}.valid_to_date
{%- endmacro %}
