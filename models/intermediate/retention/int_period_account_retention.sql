{#-
    One row per period and account that was a customer, or had ARR, at the period's opening snapshot
    (docs/metrics.md section 2): its opening ARR, its closing ARR at constant currency (valued at the opening
    snapshot's FX rate per currency; a currency it did not hold keeps its own rates), whether it is still a
    customer at the closing snapshot, and its segments as of the period start. Accounts acquired during
    the period are left out. has_quarantined_revenue: a line staging quarantined is active at the opening or
    the closing snapshot (its ARR there misses that revenue).
-#}
with periods as (

    select * from {{ ref('int_retention_periods') }}

),

account_months as (

    select * from {{ ref('int_account_months') }}

),

currencies as (

    select * from {{ ref('int_account_month_currencies') }}

),

segments as (

    select * from {{ ref('int_account_month_segments') }}

),

opening as (

    select
        periods.period_id,
        periods.opening_month_start_date,
        periods.closing_month_start_date,
        account_months.account_id,
        account_months.account_month_id as opening_account_month_id,
        account_months.arr as opening_arr,
        account_months.is_customer as is_customer_at_opening,
        account_months.has_quarantined_revenue as has_quarantined_revenue_at_opening
    from periods
    inner join account_months
        on periods.opening_month_start_date = account_months.month_start_date
    where account_months.is_customer or account_months.arr > 0

),

closing_constant_currency as (

    select
        opening.period_id,
        opening.account_id,
        sum(
            case
                when opening_currencies.arr_local = closing_currencies.arr_local then opening_currencies.arr
                when opening_currencies.arr_local > 0
                    then {{ rwh_divide('closing_currencies.arr_local * opening_currencies.arr',
                        'opening_currencies.arr_local') }}
                else closing_currencies.arr
            end
        ) as closing_arr_constant_currency
    from opening
    inner join currencies as closing_currencies
        on
            opening.account_id = closing_currencies.account_id
            and opening.closing_month_start_date = closing_currencies.month_start_date
    left join currencies as opening_currencies
        on
            closing_currencies.account_id = opening_currencies.account_id
            and closing_currencies.currency = opening_currencies.currency
            and opening.opening_month_start_date = opening_currencies.month_start_date
    group by 1, 2

)

select
    {{ dbt.concat(['opening.period_id', "'|'", 'opening.account_id']) }} as period_account_id,
    opening.period_id,
    opening.account_id,
    opening.opening_arr,
    opening.is_customer_at_opening,
    cast(coalesce(closing_constant_currency.closing_arr_constant_currency, 0) as {{ rwh_money_type() }})
        as closing_arr_constant_currency,
    coalesce(closing_months.is_customer, false) as is_customer_at_closing,
    coalesce(closing_months.arr, 0) as closing_arr,
    opening.has_quarantined_revenue_at_opening or coalesce(closing_months.has_quarantined_revenue, false)
        as has_quarantined_revenue,
    segments.size_segment,
    segments.industry,
    segments.region,
    segments.acquisition_source,
    segments.plan_tier,
    segments.acv_band
from opening
left join closing_constant_currency
    on
        opening.period_id = closing_constant_currency.period_id
        and opening.account_id = closing_constant_currency.account_id
left join account_months as closing_months
    on
        opening.account_id = closing_months.account_id
        and opening.closing_month_start_date = closing_months.month_start_date
inner join segments
    on opening.opening_account_month_id = segments.account_month_id
