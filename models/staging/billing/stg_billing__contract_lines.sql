{#-
    Contract lines with prices in major units (minor units divided by the currency's ISO 4217 factor from
    ref_currencies: 100 for USD, 1 for JPY, 1000 for BHD), in their own currency and in the reporting currency at
    the FX rate of the line's start date (kept for the line's whole life, docs/metrics.md section 1).
-#}
with lines as (

    select base.*
    from {{ ref('base_billing__contract_lines') }} as base
    left join {{ ref('integrity_billing__contract_lines') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

currencies as (

    select * from {{ ref('ref_currencies') }}

),

converted as (

    select
        lines.contract_line_id,
        lines.contract_id,
        lines.product_id,
        lines.billing_period,
        {{ rwh_billing_period_months('lines.billing_period', 'lines.start_date', 'lines.end_date') }}
            as billing_period_months,
        lines.currency,
        lines.quantity,
        {{ rwh_minor_to_major('lines.unit_list_price_minor', 'currencies.minor_units_per_major') }} as unit_list_price,
        {{ rwh_minor_to_major('lines.unit_net_price_minor', 'currencies.minor_units_per_major') }} as unit_net_price,
        cast({{ rwh_divide('line_fx.usd_per_unit', 'reporting_fx.usd_per_unit') }} as decimal(28, 12))
            as fx_rate_to_reporting,
        {{ rwh_to_reporting(rwh_minor_to_major('lines.unit_list_price_minor', 'currencies.minor_units_per_major'),
                            'line_fx', 'reporting_fx') }}
            as unit_list_price_reporting,
        {{ rwh_to_reporting(rwh_minor_to_major('lines.unit_net_price_minor', 'currencies.minor_units_per_major'),
                            'line_fx', 'reporting_fx') }}
            as unit_net_price_reporting,
        lines.start_date,
        lines.end_date,
        lines.end_date is null as is_open_ended,
        lines._loaded_at
    from lines
    inner join currencies
        on lines.currency = currencies.currency
    inner join fx_rates as line_fx
        on {{ rwh_fx_rate_on('line_fx', 'lines.currency', 'lines.start_date') }}
    inner join fx_rates as reporting_fx
        on {{ rwh_fx_rate_on('reporting_fx', "'" ~ var('reporting_currency') ~ "'", 'lines.start_date') }}

)

select * from converted
