{#-
    The lines of each renewal event (docs/metrics.md section 2): its expiring lines (the contract's and its
    amendments' lines active on the end date) and its successor lines (the successor's and its amendments'
    lines active on the successor's start date). One row per event and line.

    arr_constant_currency values a successor line at the expiring side's FX rate for its currency (its own
    rate for a currency the expiring side did not hold); an expiring line keeps its ARR.
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

),

expiring_rates as (

    select
        renewal_event_id,
        currency,
        {{ rwh_divide('sum(arr)', 'nullif(sum(arr_local), 0)') }} as expiring_rate
    from unioned
    where line_role = 'expiring'
    group by 1, 2

)

select
    {{ dbt.concat(['unioned.renewal_event_id', "'|'", 'unioned.line_role', "'|'", 'unioned.contract_line_id']) }}
        as renewal_event_line_id,
    unioned.*,
    cast(
        case
            when unioned.line_role = 'successor' and expiring_rates.expiring_rate is not null
                then unioned.arr_local * expiring_rates.expiring_rate
            else unioned.arr
        end as {{ rwh_money_type() }}
    ) as arr_constant_currency
from unioned
left join expiring_rates
    on
        unioned.renewal_event_id = expiring_rates.renewal_event_id
        and unioned.currency = expiring_rates.currency
