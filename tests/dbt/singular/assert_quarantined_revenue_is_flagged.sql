-- Revenue staging quarantined must not pass quietly (issue 25, B2): one row per account whose published
-- figures miss contract lines staging could not keep. Those figures are flagged has_quarantined_revenue
-- (mrr_movements, retention, renewals, renewals_by_quarter), and MRR falling into or coming back from such
-- months is a quarantined movement, not churn and new business. A warning, in a sentence rwh build prints:
-- the account, its lines and contracts, the reasons, the months and the ARR at stake.
{{ config(severity='warn') }}

with months as (

    select
        account_id,
        min(month_start_date) as first_month_start_date,
        max(month_start_date) as last_month_start_date,
        count(*) as flagged_month_count
    from {{ ref('int_account_months') }}
    where has_quarantined_revenue
    group by 1

),

quarantined as (

    select
        quarantined_lines.account_id,
        count(*) as line_count,
        count(distinct quarantined_lines.contract_id) as contract_count,
        min(quarantined_lines.contract_id) as example_contract_id,
        min(coalesce(quarantined_lines.contract_quarantine_reason, quarantined_lines.quarantine_reason))
            as example_reason,
        sum(case when quarantined_lines.is_priced then 0 else 1 end) as unpriced_line_count,
        sum(quarantined_lines.arr) as priced_arr
    from {{ ref('quarantined_contract_lines') }} as quarantined_lines
    inner join months
        on quarantined_lines.account_id = months.account_id
    where quarantined_lines.has_period
    group by 1

)

select
    months.account_id,
    quarantined.line_count,
    quarantined.example_contract_id,
    quarantined.example_reason,
    months.flagged_month_count,
    {{ dbt.concat([
        "'account '", 'months.account_id', "': '",
        'cast(quarantined.line_count as ' ~ dbt.type_string() ~ ')', "' contract line(s) of '",
        'cast(quarantined.contract_count as ' ~ dbt.type_string() ~ ')', "' contract(s) quarantined (e.g. '",
        'quarantined.example_contract_id', "', '", 'quarantined.example_reason', "'), ARR at stake '",
        "coalesce(cast(cast(quarantined.priced_arr as decimal(18, 2)) as " ~ dbt.type_string() ~ "), 'unknown')",
        "case when quarantined.unpriced_line_count > 0 then ' (' || cast(quarantined.unpriced_line_count as "
            ~ dbt.type_string() ~ ") || ' line(s) cannot be priced)' else '' end",
        "'; its figures of '", 'cast(months.flagged_month_count as ' ~ dbt.type_string() ~ ')',
        "' month(s) from '", 'cast(months.first_month_start_date as ' ~ dbt.type_string() ~ ')',
        "' to '", 'cast(months.last_month_start_date as ' ~ dbt.type_string() ~ ')',
        "' are flagged has_quarantined_revenue, its MRR moving into and out of quarantine, not churn and new business"
            ~ " (staging.quarantined_contract_lines)'"
    ]) }} as problem
from months
inner join quarantined
    on months.account_id = quarantined.account_id
