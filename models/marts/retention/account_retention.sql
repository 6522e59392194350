{#-
    Retention per account and period (docs/metrics.md section 2): the atomic fact behind the retention mart's
    NRR, GRR and logo churn, one row per period (month, fiscal quarter, fiscal year, trailing twelve months)
    and account that was a customer, or had ARR, at the period's opening snapshot. Each amount is the
    account's share of the retention mart's sum of the same name (rwh_retention_amounts, the one definition
    both use), so a sum over any segment of one period equals that segment's row there; the semantic layer's retention metrics read this table, which has no
    roll-up rows. Accounts acquired during the period are left out, as in the retention mart.
-#}
{%- set money = rwh_money_type() -%}

with periods as (

    select * from {{ ref('int_retention_periods') }}

),

period_accounts as (

    select
        period_account_retention.*,
        {{ rwh_retention_amounts('period_account_retention') | indent(8) }}
    from {{ ref('int_period_account_retention') }} as period_account_retention

),

final as (

    select
        period_accounts.period_account_id,
        period_accounts.period_id,
        periods.period_type,
        periods.period_start_date,
        periods.period_label,
        periods.closing_month_start_date,
        periods.is_complete,
        period_accounts.account_id,
        period_accounts.size_segment,
        period_accounts.industry,
        period_accounts.region,
        period_accounts.plan_tier,
        period_accounts.acv_band,
        period_accounts.acquisition_source,
        period_accounts.is_customer_at_opening,
        period_accounts.is_customer_at_closing,
        period_accounts.is_customer_at_opening and not period_accounts.is_customer_at_closing as is_churned_customer,
        period_accounts.has_quarantined_revenue,
        cast(period_accounts.opening_arr as {{ money }}) as opening_arr,
        cast(period_accounts.nrr_closing_arr as {{ money }}) as closing_arr,
        cast(period_accounts.retained_arr as {{ money }}) as retained_arr,
        cast(period_accounts.expansion_arr as {{ money }}) as expansion_arr,
        cast(period_accounts.contraction_arr as {{ money }}) as contraction_arr,
        cast(period_accounts.churned_arr as {{ money }}) as churned_arr
    from period_accounts
    inner join periods
        on period_accounts.period_id = periods.period_id

)

{{ rwh_contract_select('final') }}
