{#-
    Contract lines with the date they count as active until (docs/metrics.md section 2, late-renewal bridge):
    when a contract is renewed inside the grace window but its successor starts after the end date, the
    expiring lines stay active until the day before the successor starts, so a late renewal never shows as
    churn followed by reactivation.
-#}
with lines as (

    select * from {{ ref('int_contract_lines_priced') }}

),

bridges as (

    select
        event_lines.contract_line_id,
        cast({{ dbt.dateadd('day', -1, 'events.successor_start_date') }} as date) as bridged_end_date
    from {{ ref('int_renewal_event_lines_matched') }} as event_lines
    inner join {{ ref('int_renewal_events') }} as events
        on event_lines.renewal_event_id = events.renewal_event_id
    where
        event_lines.line_role = 'expiring'
        and events.outcome = 'renewed'
        and events.successor_start_date > {{ dbt.dateadd('day', 1, 'events.end_date') }}

)

select
    lines.*,
    coalesce(bridges.bridged_end_date, lines.end_date) as active_until_date,
    bridges.bridged_end_date is not null as is_bridged
from lines
left join bridges
    on lines.contract_line_id = bridges.contract_line_id
