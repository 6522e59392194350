{#-
    product.usage_daily in the contract's columns, from Segment's events (docs/sources/segment.md): one row per
    account, user and UTC day with a mapped event (the events as base_segment__events decides them: macro
    rwh_segment_event_ctes, which an incremental run gives the days it rebuilds, so it reads only their events). A day's events of a user in an account
    are split into sessions where more than var segment_session_gap_minutes pass without an event (a session does
    not cross midnight: the contract counts a day's sessions); sessions = their number; active_minutes = each
    session's span (first to last event) in whole minutes, summed, at most 1,440; core_feature_events and
    other_feature_events count the core and other events (activity events count for sessions and minutes only); _loaded_at = the latest
    sync of the day's events and of the identify and group calls that resolved them (resolved_synced_at). Staging then treats these rows as it treats the contract's file.
    Incremental by day like the usage models: a run rebuilds the days whose events (or whose users' identify and
    group calls) were synced since its last run (rwh_segment_changed_days), deleting them first.
-#}
{%- set changed_days = rwh_segment_changed_days() -%}
{{ config(
    materialized='incremental',
    incremental_strategy=rwh_incremental_strategy(),
    unique_key='usage_date',
    partition_by=rwh_partition_by('usage_date'),
    on_schema_change='fail',
    pre_hook="{{ rwh_delete_periods('usage_date', rwh_segment_changed_days(say=false)) }}",
) }}
{%- set gap_seconds = var('segment_session_gap_minutes') * 60 -%}
with {{ rwh_segment_event_ctes(changed_days if is_incremental() else none) }},

events as (

    select
        account_id,
        resolved_user_id as user_id,
        usage_date,
        message_id,
        event_class,
        resolved_synced_at as synced_at,
        {{ rwh_epoch_seconds('event_at') }} as event_second
    from segment_events
    where excluded_reason is null

),

gaps as (

    select
        account_id,
        user_id,
        usage_date,
        message_id,
        event_class,
        synced_at,
        event_second,
        event_second - lag(event_second) over (
            partition by account_id, user_id, usage_date
            order by event_second asc, message_id asc
        ) as seconds_since_previous
    from events

),

numbered as (

    select
        account_id,
        user_id,
        usage_date,
        event_class,
        synced_at,
        event_second,
        sum(
            case
                when seconds_since_previous is null or seconds_since_previous > {{ gap_seconds }} then 1
                else 0
            end
        ) over (
            partition by account_id, user_id, usage_date
            order by event_second asc, message_id asc
            rows between unbounded preceding and current row
        ) as session_number
    from gaps

),

session_spans as (

    select
        account_id,
        user_id,
        usage_date,
        session_number,
        max(event_second) - min(event_second) as span_seconds,
        sum(case when event_class = 'core' then 1 else 0 end) as core_events,
        sum(case when event_class = 'other' then 1 else 0 end) as other_events,
        max(synced_at) as last_synced_at
    from numbered
    group by account_id, user_id, usage_date, session_number

)

select
    account_id,
    user_id,
    usage_date,
    cast(count(*) as {{ dbt.type_int() }}) as sessions,
    cast(least(sum(floor(span_seconds / 60.0)), 1440) as {{ dbt.type_int() }}) as active_minutes,
    cast(sum(core_events) as {{ dbt.type_int() }}) as core_feature_events,
    cast(sum(other_events) as {{ dbt.type_int() }}) as other_feature_events,
    -- noqa: disable=LT02
    max(last_synced_at) as _loaded_at{{ rwh_partition_column('usage_date') }}
    -- noqa: enable=LT02
from session_spans
group by account_id, user_id, usage_date
