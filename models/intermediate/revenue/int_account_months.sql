{#-
    One row per account and month, from the account's first month as a customer to the as-of month (a
    dense grid, so months at zero after churn are present). MRR and ARR at the month's snapshot at each
    line's own start-date FX rate; a customer is an account with at least one active line, whatever its
    amount (METRICS.md section 2).
-#}
with currencies as (

    select * from {{ ref('int_account_month_currencies') }}

),

months as (

    select * from {{ ref('int_calendar_months') }}

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
    coalesce(totals.active_line_count, 0) > 0 as is_customer,
    cast({{ rwh_divide('coalesce(totals.arr, 0)', '12') }} as {{ rwh_money_type() }}) as mrr,
    cast(coalesce(totals.arr, 0) as {{ rwh_money_type() }}) as arr,
    totals.max_tier_rank
from grid
left join totals
    on
        grid.account_id = totals.account_id
        and grid.month_start_date = totals.month_start_date
