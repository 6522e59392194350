{#-
    One row per account, month and line currency where the account has a line active at the month's
    snapshot (its last day, or the as-of date in the as-of month; docs/metrics.md section 2). A line active only
    inside a month never reaches a snapshot. One range join of the lines to the month spine.
-#}
with lines as (

    select * from {{ ref('int_contract_lines_bridged') }}

),

months as (

    select * from {{ ref('int_calendar_months') }}

),

active as (

    select
        lines.account_id,
        months.month_start_date,
        lines.currency,
        lines.arr_local,
        lines.arr,
        lines.mrr,
        lines.tier_rank
    from lines
    inner join months
        on
            lines.start_date <= months.snapshot_date
            and (lines.active_until_date is null or lines.active_until_date >= months.snapshot_date)

)

select
    {{ dbt.concat(['account_id', "'|'", 'cast(month_start_date as ' ~ dbt.type_string() ~ ')', "'|'", 'currency']) }}
        as account_month_currency_id,
    account_id,
    month_start_date,
    currency,
    count(*) as active_line_count,
    cast(sum(arr_local) as {{ rwh_money_type() }}) as arr_local,
    cast(sum(arr) as {{ rwh_money_type() }}) as arr,
    cast(sum(mrr) as {{ rwh_money_type() }}) as mrr,
    max(tier_rank) as max_tier_rank
from active
group by 1, 2, 3, 4
