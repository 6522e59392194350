-- docs/metrics.md invariant 7: ARR at every month-end snapshot equals the sum of the contract lines active at
-- that date (late-renewal bridge included), recomputed here from the staged lines, and the retention mart's
-- monthly opening ARR equals the account-month ARR of its opening month.
with lines as (

    select
        stg_lines.contract_line_id,
        contracts.account_id,
        stg_lines.start_date,
        bridged.active_until_date,
        stg_lines.unit_net_price_reporting * stg_lines.quantity * 12 / stg_lines.billing_period_months as arr
    from {{ ref('stg_billing__contract_lines') }} as stg_lines
    inner join {{ ref('stg_billing__contracts') }} as contracts
        on stg_lines.contract_id = contracts.contract_id
    inner join {{ ref('int_contract_lines_bridged') }} as bridged
        on stg_lines.contract_line_id = bridged.contract_line_id

),

recomputed as (

    select
        months.month_start_date,
        sum(lines.arr) as arr
    from {{ ref('int_calendar_months') }} as months
    inner join lines
        on
            months.snapshot_date >= lines.start_date
            and (lines.active_until_date is null or months.snapshot_date <= lines.active_until_date)
    group by 1

),

modelled as (

    select
        month_start_date,
        sum(arr) as arr
    from {{ ref('int_account_months') }}
    group by 1

),

retention_openings as (

    select
        periods.opening_month_start_date as month_start_date,
        retention.opening_arr
    from {{ ref('retention') }} as retention
    inner join {{ ref('int_retention_periods') }} as periods
        on retention.period_id = periods.period_id
    where retention.period_type = 'month' and retention.segment_type = 'all'

)

select
    'lines' as failure,
    recomputed.month_start_date,
    recomputed.arr as expected_arr,
    modelled.arr as actual_arr
from recomputed
left join modelled
    on recomputed.month_start_date = modelled.month_start_date
where modelled.arr is null or abs(recomputed.arr - modelled.arr) > 0.01
union all
select
    'retention' as failure,
    retention_openings.month_start_date,
    modelled.arr as expected_arr,
    retention_openings.opening_arr as actual_arr
from retention_openings
inner join modelled
    on retention_openings.month_start_date = modelled.month_start_date
where abs(retention_openings.opening_arr - modelled.arr) > 0.000001
