{#-
    The MRR bridge per account and month (docs/metrics.md section 2), the atomic fact behind the retention mart's
    movement totals: the movement type, opening and closing MRR and ARR, and the new, expansion,
    reactivation, contraction, churn and FX amounts at constant currency, with the account's segments at the
    month's snapshot. Every month of every account that ever had a contract, movements of zero included.
    Revenue staging quarantined is its own movement ('quarantined', quarantined_mrr), never churn or new
    business, and every month touching it is flagged (has_quarantined_revenue).
-#}
with movements as (

    select * from {{ ref('int_mrr_movements') }}

),

segments as (

    select * from {{ ref('int_account_month_segments') }}

),

final as (

    select
        movements.account_month_id,
        movements.account_id,
        movements.month_start_date,
        segments.size_segment,
        segments.industry,
        segments.region,
        segments.plan_tier,
        segments.acv_band,
        segments.acquisition_source,
        movements.movement_type,
        movements.was_customer,
        movements.is_customer,
        movements.last_paid_month_start_date,
        movements.has_quarantined_revenue,
        movements.opening_mrr,
        movements.new_mrr,
        movements.expansion_mrr,
        movements.reactivation_mrr,
        movements.contraction_mrr,
        movements.churn_mrr,
        movements.fx_mrr,
        movements.quarantined_mrr,
        movements.closing_mrr_constant_currency,
        movements.closing_mrr,
        movements.opening_arr,
        movements.new_arr,
        movements.expansion_arr,
        movements.reactivation_arr,
        movements.contraction_arr,
        movements.churn_arr,
        movements.fx_arr,
        movements.quarantined_arr,
        movements.closing_arr_constant_currency,
        movements.closing_arr
    from movements
    inner join segments
        on movements.account_month_id = segments.account_month_id

)

{{ rwh_contract_select('final') }}
