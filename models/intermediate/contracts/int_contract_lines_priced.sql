{#-
    One row per contract line with its contract, its product and its normalised annual amounts
    (docs/metrics.md section 1): ARR = net price x quantity x 12 / months the price covers, in the line's
    currency (local) and in the reporting currency at the line's start-date FX rate. MRR = ARR / 12.
    Trials and 100%-discounted lines carry 0 but still make the account a customer.
-#}
with lines as (

    select * from {{ ref('stg_billing__contract_lines') }}

),

contracts as (

    select * from {{ ref('stg_billing__contracts') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

priced as (

    select
        lines.contract_line_id,
        lines.contract_id,
        contracts.account_id,
        contracts.contract_type,
        coalesce(contracts.amends_contract_id, lines.contract_id) as main_contract_id,
        lines.product_id,
        products.product_name,
        products.product_family,
        products.plan_tier,
        products.tier_rank,
        products.is_add_on,
        lines.currency,
        lines.quantity,
        lines.billing_period_months,
        lines.fx_rate_to_reporting,
        lines.unit_net_price,
        lines.unit_list_price,
        lines.unit_net_price_reporting,
        lines.unit_list_price_reporting,
        cast(
            {{ rwh_divide('lines.unit_net_price * lines.quantity * 12', 'lines.billing_period_months') }}
            as {{ rwh_money_type() }}
        ) as arr_local,
        cast(
            {{ rwh_divide('lines.unit_net_price_reporting * lines.quantity * 12', 'lines.billing_period_months') }}
            as {{ rwh_money_type() }}
        ) as arr,
        cast(
            {{ rwh_divide('lines.unit_list_price_reporting * lines.quantity * 12', 'lines.billing_period_months') }}
            as {{ rwh_money_type() }}
        ) as list_arr,
        lines.start_date,
        lines.end_date,
        lines.is_open_ended
    from lines
    inner join contracts
        on lines.contract_id = contracts.contract_id
    inner join products
        on lines.product_id = products.product_id

)

select
    priced.*,
    cast({{ rwh_divide('priced.arr', '12') }} as {{ rwh_money_type() }}) as mrr
from priced
