{#-
    The lines of each renewal event (METRICS.md section 2): its expiring lines (the contract's and its
    amendments' lines active on the end date) and its successor lines (the successor's and its amendments'
    lines active on the successor's start date). One row per event and line.
-#}
with events as (

    select * from {{ ref('int_renewal_successors_matched') }}

),

lines as (

    select * from {{ ref('int_contract_lines_priced') }}

),

expiring as (

    select
        events.renewal_event_id,
        'expiring' as line_role,
        lines.*
    from events
    inner join lines
        on
            events.expiring_contract_id = lines.main_contract_id
            and events.end_date >= lines.start_date
            and (lines.end_date is null or events.end_date <= lines.end_date)

),

successor as (

    select
        events.renewal_event_id,
        'successor' as line_role,
        lines.*
    from events
    inner join lines
        on
            events.successor_contract_id = lines.main_contract_id
            and events.successor_start_date >= lines.start_date
            and (lines.end_date is null or events.successor_start_date <= lines.end_date)

),

unioned as (

    select * from expiring
    union all
    select * from successor

)

select
    {{ dbt.concat(['renewal_event_id', "'|'", 'line_role', "'|'", 'contract_line_id']) }} as renewal_event_line_id,
    unioned.*
from unioned
