-- Up for renewal (docs/metrics.md section 2): every renewal event whose end date falls in a quarter up to and
-- including the as-of quarter is counted in renewals_by_quarter, those of the as-of quarter ending after
-- the as-of date as pending. Returns the quarters whose counts differ from the renewals mart.
with as_of as (

    select {{ rwh_fiscal_quarter_start('as_of_date') }} as as_of_quarter_start_date
    from {{ ref('int_as_of_date') }}

),

events as (

    select
        renewals.fiscal_quarter_start_date,
        count(*) as up_for_renewal_count,
        sum(case when renewals.outcome = 'pending' then 1 else 0 end) as pending_count
    from {{ ref('renewals') }} as renewals
    cross join as_of
    where renewals.fiscal_quarter_start_date <= as_of.as_of_quarter_start_date
    group by 1

),

mart as (

    select
        period_start_date as fiscal_quarter_start_date,
        up_for_renewal_count,
        pending_count
    from {{ ref('renewals_by_quarter') }}
    where segment_type = 'all' and breakdown_value = 'all'

)

select
    coalesce(events.fiscal_quarter_start_date, mart.fiscal_quarter_start_date) as fiscal_quarter_start_date,
    events.up_for_renewal_count as events_up_for_renewal_count,
    mart.up_for_renewal_count as mart_up_for_renewal_count,
    events.pending_count as events_pending_count,
    mart.pending_count as mart_pending_count
from events
full outer join mart
    on events.fiscal_quarter_start_date = mart.fiscal_quarter_start_date
where
    events.up_for_renewal_count is distinct from mart.up_for_renewal_count
    or events.pending_count is distinct from mart.pending_count
