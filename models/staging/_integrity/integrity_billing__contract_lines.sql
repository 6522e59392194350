{{ config(materialized='table') }}
{#-
    A contract line must belong to a staged contract (unknown_contract) and sell a staged product
    (unknown_product); a line that breaks no rule of its own must have an FX rate on or before its start date,
    for its currency and for the reporting currency (missing_fx_rate).
-#}
{%- set fx_rules = [
    {'reason': 'missing_fx_rate', 'relation': 'stg_billing__fx_rates', 'alias': 'line_fx',
     'on': rwh_fx_rate_on('line_fx', 'current_rows.currency', 'current_rows.start_date'),
     'broken': 'line_fx.currency is null or reporting_fx.currency is null'},
    {'reason': 'missing_fx_rate', 'relation': 'stg_billing__fx_rates', 'alias': 'reporting_fx',
     'on': rwh_fx_rate_on('reporting_fx', "'" ~ var('reporting_currency') ~ "'", 'current_rows.start_date'),
     'broken': none},
] -%}
{{ rwh_integrity_check(
    'billing', 'contract_lines',
    before_row_rules=[
        rwh_known('contract_id', 'known_contracts', 'unknown_contract'),
        rwh_known('product_id', 'known_products', 'unknown_product'),
    ],
    after_row_rules=fx_rules,
) }}
