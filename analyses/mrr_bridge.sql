{#-
    Audit: the MRR bridge month by month, as finance reviews it (docs/metrics.md invariant 1). Opening MRR plus
    new, expansion and reactivation, less contraction and churn, plus the FX effect and the MRR moving into or
    out of quarantine (revenue staging could not keep, never churn or new business), is the closing MRR;
    `difference` is zero in every month (the data test assert_mrr_bridge_in_total guards it) and a month's
    opening is the previous month's closing (`opening_gap`). Reporting currency.
    Compile with `dbt compile --select mrr_bridge` and run target/compiled/.../mrr_bridge.sql in a SQL client.
-#}
with movements as (

    select * from {{ ref('int_mrr_movements') }}

),

monthly as (

    select
        month_start_date,
        sum(opening_mrr) as opening_mrr,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churn_mrr) as churn_mrr,
        sum(fx_mrr) as fx_mrr,
        sum(quarantined_mrr) as quarantined_mrr,
        sum(closing_mrr) as closing_mrr
    from movements
    group by month_start_date

)

select
    month_start_date,
    opening_mrr,
    new_mrr,
    expansion_mrr,
    reactivation_mrr,
    contraction_mrr,
    churn_mrr,
    fx_mrr,
    quarantined_mrr,
    closing_mrr,
    opening_mrr + new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churn_mrr + fx_mrr
    + quarantined_mrr - closing_mrr as difference,
    opening_mrr - coalesce(lag(closing_mrr) over (order by month_start_date), 0) as opening_gap
from monthly
order by month_start_date
