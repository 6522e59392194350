-- docs/metrics.md invariant 1, in total: per month, the movements carry last month's total MRR to this month's,
-- and each account's opening MRR is its previous month's closing MRR.
with movements as (

    select * from {{ ref('int_mrr_movements') }}

),

continuity as (

    select
        movements.account_month_id,
        movements.opening_arr,
        lag(movements.closing_arr) over (partition by movements.account_id order by movements.month_start_date)
            as previous_closing_arr
    from movements

),

monthly as (

    select
        month_start_date,
        sum(opening_mrr) as opening_mrr,
        sum(new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churn_mrr + fx_mrr + quarantined_mrr)
            as net_movement_mrr,
        sum(closing_mrr) as closing_mrr
    from movements
    group by 1

)

select
    'total' as failure,
    cast(month_start_date as {{ dbt.type_string() }}) as detail
from monthly
where opening_mrr + net_movement_mrr != closing_mrr
union all
select
    'continuity' as failure,
    account_month_id as detail
from continuity
where previous_closing_arr is not null and previous_closing_arr != opening_arr
