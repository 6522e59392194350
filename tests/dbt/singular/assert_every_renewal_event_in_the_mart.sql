-- The renewals mart keeps every renewal event, upcoming ones included (one row each), and its fiscal
-- quarter agrees with the calendar wherever the calendar reaches.
select
    'missing' as failure,
    events.renewal_event_id
from {{ ref('int_renewal_events') }} as events
left join {{ ref('renewals') }} as renewals
    on events.renewal_event_id = renewals.renewal_event_id
where renewals.renewal_event_id is null
union all
select
    'quarter' as failure,
    renewals.renewal_event_id
from {{ ref('renewals') }} as renewals
inner join {{ ref('int_calendar_months') }} as months
    on cast({{ dbt.date_trunc('month', 'renewals.end_date') }} as date) = months.month_start_date
where
    renewals.fiscal_quarter_start_date != months.fiscal_quarter_start_date
    or renewals.fiscal_quarter_label != months.fiscal_quarter_label
    or renewals.fiscal_year != months.fiscal_year
