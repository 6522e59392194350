{#-
    One row per renewal event with its risk facts (docs/metrics.md section 2, "At risk"; section 6). A renewal is
    at risk when a risk flag on its account is open at any time in the at_risk_lookback_days (180) days
    before its end date: raised on or before the end date and not resolved before the window opens (an open
    flag is open up to the as-of date). A flag raised after the end date never makes that renewal at risk.
    At risk at T-90 / T-60 / T-30: a flag open on that exact day; unknown (null) while that day is after the
    as-of date. Lead: the first such flag's distance from the end date, bucketed 90+, 60-89, 30-59, < 30
    days. With overlapping flags the renewal counts once; its primary reason is the first flag's (ties: the
    lowest flag id). Saved: at risk and renewed; saved ARR = its renewed ARR.
-#}
{%- set requires_systems = ['billing', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with events as (

    select * from {{ ref('int_renewal_events') }}

),

flags as (

    select * from {{ ref('stg_cs_platform__risk_flags') }}

),

event_flags as (

    select
        events.renewal_event_id,
        events.end_date,
        events.as_of_date,
        flags.risk_flag_id,
        flags.reason,
        flags.flagged_date,
        coalesce(flags.resolved_date, events.as_of_date) as open_until_date,
        row_number() over (
            partition by events.renewal_event_id
            order by flags.flagged_date, flags.risk_flag_id
        ) as flag_order
    from events
    inner join flags
        on
            events.account_id = flags.account_id
            and events.end_date >= flags.flagged_date
            and (
                flags.resolved_date is null
                or flags.resolved_date >= {{ dbt.dateadd('day', -1 * var('at_risk_lookback_days'), 'events.end_date') }}
            )

),

per_event as (

    select
        renewal_event_id,
        count(*) as risk_flag_count,
        min(flagged_date) as first_flagged_date,
        max(case when flag_order = 1 then reason end) as primary_risk_reason,
    {% for days in [90, 60, 30] %}
        max(
            case
                when
                    flagged_date <= {{ dbt.dateadd('day', -days, 'end_date') }}
                    and open_until_date >= {{ dbt.dateadd('day', -days, 'end_date') }}
                    then 1
                else 0
            end
        ) as open_at_t{{ days }}
        {{- "," if not loop.last }}
    {% endfor %}
    from event_flags
    group by 1

),

leads as (

    select
        events.*,
        per_event.renewal_event_id is not null as is_at_risk,
        per_event.risk_flag_count,
        per_event.primary_risk_reason,
        per_event.first_flagged_date,
        -- noqa: disable=LT05
        {{ dbt.datediff('per_event.first_flagged_date', 'events.end_date', 'day') }} as flag_lead_days,
        -- noqa: enable=LT05
        per_event.open_at_t90,
        per_event.open_at_t60,
        per_event.open_at_t30
    from events
    left join per_event
        on events.renewal_event_id = per_event.renewal_event_id

)

select
    renewal_event_id,
    is_at_risk,
    coalesce(risk_flag_count, 0) as risk_flag_count,
    primary_risk_reason,
    first_flagged_date,
    flag_lead_days,
    case
        when flag_lead_days >= 90 then '90_plus'
        when flag_lead_days >= 60 then '60_89'
        when flag_lead_days >= 30 then '30_59'
        when flag_lead_days is not null then 'under_30'
    end as flag_lead_bucket,
    {% for days in [90, 60, 30] %}
        case
            when {{ dbt.dateadd('day', -days, 'end_date') }} > as_of_date then null
            else coalesce(open_at_t{{ days }}, 0) = 1
        end as is_at_risk_t{{ days }},
    {% endfor %}
    is_at_risk and is_renewed as is_saved,
    cast(case when is_at_risk and is_renewed then renewed_arr else 0 end as {{ rwh_money_type() }}) as saved_arr
from leads
