{#-
    One row per account and month, from the account's first month as a customer to the as-of month (a
    dense grid, so months at zero after churn are present). MRR and ARR at the month's snapshot at each
    line's own start-date FX rate; a customer is an account with at least one active line, whatever its
    amount (docs/metrics.md section 2).

    A line staging quarantined (staging.quarantined_contract_lines: an unknown currency, a negative price,
    its contract in an unknown currency ...) still existed: when one of the account's is active at the
    snapshot, the month has quarantined revenue (has_quarantined_revenue; the ARR it would add where it can
    be priced): the account is still a customer, and its MRR counts only the lines staging kept. The months
    start at the account's first staged line. has_quarantined_arr: one of those lines carries ARR or cannot be
    priced (a copy of a free line does not), so a zero MRR that month may be that revenue.
-#}
with currencies as (

    select * from {{ ref('int_account_month_currencies') }}

),

months as (

    select * from {{ ref('int_calendar_months') }}

),

quarantined_lines as (

    select * from {{ ref('quarantined_contract_lines') }}
    where has_period and account_id is not null

),

quarantined as (

    select
        quarantined_lines.account_id,
        months.month_start_date,
        count(*) as quarantined_line_count,
        sum(case when quarantined_lines.is_priced and quarantined_lines.arr = 0 then 0 else 1 end)
            as quarantined_paid_line_count,
        sum(quarantined_lines.arr) as quarantined_arr
    from quarantined_lines
    inner join months
        on
            quarantined_lines.start_date <= months.snapshot_date
            and (quarantined_lines.end_date is null or quarantined_lines.end_date >= months.snapshot_date)
    group by 1, 2

),

totals as (

    select
        account_id,
        month_start_date,
        sum(active_line_count) as active_line_count,
        sum(arr) as arr,
        max(max_tier_rank) as max_tier_rank
    from currencies
    group by 1, 2

),

first_months as (

    select
        account_id,
        min(month_start_date) as first_customer_month
    from totals
    group by 1

),

grid as (

    select
        first_months.account_id,
        months.month_start_date,
        months.snapshot_date,
        first_months.first_customer_month
    from first_months
    inner join months
        on first_months.first_customer_month <= months.month_start_date

)

select
    {{ dbt.concat(['grid.account_id', "'|'", 'cast(grid.month_start_date as ' ~ dbt.type_string() ~ ')']) }}
        as account_month_id,
    grid.account_id,
    grid.month_start_date,
    grid.snapshot_date,
    grid.first_customer_month,
    coalesce(totals.active_line_count, 0) as active_line_count,
    coalesce(totals.active_line_count, 0) > 0 or coalesce(quarantined.quarantined_line_count, 0) > 0 as is_customer,
    cast({{ rwh_divide('coalesce(totals.arr, 0)', '12') }} as {{ rwh_money_type() }}) as mrr,
    cast(coalesce(totals.arr, 0) as {{ rwh_money_type() }}) as arr,
    totals.max_tier_rank,
    coalesce(quarantined.quarantined_line_count, 0) as quarantined_line_count,
    coalesce(quarantined.quarantined_line_count, 0) > 0 as has_quarantined_revenue,
    coalesce(quarantined.quarantined_paid_line_count, 0) > 0 as has_quarantined_arr,
    cast(quarantined.quarantined_arr as {{ rwh_money_type() }}) as quarantined_arr
from grid
left join totals
    on
        grid.account_id = totals.account_id
        and grid.month_start_date = totals.month_start_date
left join quarantined
    on
        grid.account_id = quarantined.account_id
        and grid.month_start_date = quarantined.month_start_date
