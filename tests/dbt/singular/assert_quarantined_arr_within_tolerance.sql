-- The quarantine's ARR tolerance (issue 25, B3): a large customer whose contracts all go to quarantine (its
-- account missing from the CRM, its contract in an unknown currency) is a handful of rows, far below the row
-- share any table tolerates, yet it removes the customer from every mart. So the ARR staging quarantined is
-- measured too: the ARR of the quarantined contract lines that can be priced (staging.quarantined_contract_lines)
-- as a share of that ARR plus the staged ARR, read twice, the larger counting: at the as-of snapshot, and over
-- every month-end snapshot together. Above var quarantine_warn_arr_share it warns, above
-- quarantine_error_arr_share it fails (one row per tolerance breached, as rwh_quarantine_within_tolerance
-- does), in a sentence rwh build prints.
{{ config(warn_if='>=1', error_if='>=2') }}

with months as (

    select * from {{ ref('int_calendar_months') }}

),

staged as (

    select
        month_start_date,
        sum(arr) as staged_arr
    from {{ ref('int_account_months') }}
    group by 1

),

quarantined_lines as (

    select * from {{ ref('quarantined_contract_lines') }}
    where has_period and is_priced

),

quarantined_active as (

    select
        months.month_start_date,
        quarantined_lines.account_id,
        quarantined_lines.arr,
        coalesce(quarantined_lines.contract_quarantine_reason, quarantined_lines.quarantine_reason) as reason,
        row_number() over (
            partition by months.month_start_date
            order by quarantined_lines.arr desc, quarantined_lines.line_key asc
        ) as arr_rank
    from quarantined_lines
    inner join months
        on
            quarantined_lines.start_date <= months.snapshot_date
            and (quarantined_lines.end_date is null or quarantined_lines.end_date >= months.snapshot_date)

),

quarantined as (

    select
        month_start_date,
        sum(arr) as quarantined_arr,
        count(*) as line_count,
        count(distinct account_id) as account_count,
        max(case when arr_rank = 1 then account_id end) as example_account_id,
        max(case when arr_rank = 1 then reason end) as example_reason
    from quarantined_active
    group by 1

),

monthly as (

    select
        months.month_start_date,
        months.is_as_of_month,
        coalesce(staged.staged_arr, 0) + coalesce(quarantined.quarantined_arr, 0) as total_arr,
        coalesce(quarantined.quarantined_arr, 0) as quarantined_arr
    from months
    left join staged
        on months.month_start_date = staged.month_start_date
    left join quarantined
        on months.month_start_date = quarantined.month_start_date

),

-- Two readings, the larger counts: the share of the ARR at the as-of snapshot (what today's figures miss)
-- and the share of every month-end's ARR together (what the history misses; months weigh by their ARR, so
-- the small first months of a book do not decide it).
shares as (

    select
        cast(
            sum(case when monthly.is_as_of_month then monthly.quarantined_arr else 0 end) as {{ rwh_double_type() }}
        ) / nullif(sum(case when monthly.is_as_of_month then monthly.total_arr else 0 end), 0) as as_of_share,
        cast(sum(monthly.quarantined_arr) as {{ rwh_double_type() }}) / nullif(sum(monthly.total_arr), 0)
            as history_share,
        max(monthly.quarantined_arr) as peak_quarantined_arr
    from monthly

),

worst as (

    select
        shares.*,
        case
            when coalesce(shares.as_of_share, 0) >= coalesce(shares.history_share, 0) then shares.as_of_share
            else shares.history_share
        end as quarantined_share,
        peak.month_start_date,
        peak.line_count,
        peak.account_count,
        peak.example_account_id,
        peak.example_reason
    from shares
    inner join quarantined as peak
        on shares.peak_quarantined_arr = peak.quarantined_arr

),

tolerances as (

    select 'error' as tolerance_level, {{ var('quarantine_error_arr_share') }} as max_share
    union all
    select 'warn' as tolerance_level, {{ var('quarantine_warn_arr_share') }} as max_share

),

breached as (

    select
        worst.*,
        tolerances.tolerance_level,
        tolerances.max_share,
        row_number() over (partition by tolerances.tolerance_level order by worst.month_start_date) as month_rank
    from worst
    cross join tolerances
    where worst.quarantined_share > tolerances.max_share

)

select
    {{ dbt.concat([
        "'billing.contract_lines: quarantined contract lines hold '",
        'cast(cast(100 * breached.quarantined_share as decimal(9, 2)) as ' ~ dbt.type_string() ~ ')',
        "' % of the ARR ('", 'cast(cast(100 * coalesce(breached.as_of_share, 0) as decimal(9, 2)) as '
            ~ dbt.type_string() ~ ')',
        "' % at the as-of date, '", 'cast(cast(100 * breached.history_share as decimal(9, 2)) as '
            ~ dbt.type_string() ~ ')',
        "' % of all month-ends), above the '", 'breached.tolerance_level', "' share of '",
        'cast(cast(100 * breached.max_share as decimal(9, 2)) as ' ~ dbt.type_string() ~ ')',
        "' %: at most ARR '", 'cast(cast(breached.peak_quarantined_arr as decimal(18, 2)) as '
            ~ dbt.type_string() ~ ')',
        "' (at '", 'cast(breached.month_start_date as ' ~ dbt.type_string() ~ ')', "', '",
        'cast(breached.line_count as ' ~ dbt.type_string() ~ ')', "' line(s) of '",
        'cast(breached.account_count as ' ~ dbt.type_string() ~ ')', "' known account(s); the largest: account '",
        "coalesce(breached.example_account_id, 'unknown')", "' ('", 'breached.example_reason',
        "')); that revenue is missing from every mart (staging.quarantined_contract_lines)'"
    ]) }} as problem,
    breached.tolerance_level,
    breached.max_share,
    breached.quarantined_share,
    breached.as_of_share,
    breached.history_share,
    breached.month_start_date,
    breached.peak_quarantined_arr,
    breached.line_count,
    breached.account_count,
    breached.example_account_id
from breached
where breached.month_rank = 1
