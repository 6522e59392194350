{#-
    The CTEs that decide what each Segment track row becomes (docs/sources/segment.md), ending in `segment_events`:
    one row per track row with its user, account, class and excluded_reason (described in base_segment__events,
    which selects them all). `days` (ISO dates) keeps only the events of those UTC days, before anything is ranked:
    an incremental run of adapt_segment__usage_daily reads only the days it rebuilds, not every event (a message's
    copies share its timestamp, so a day holds all of a message's deliveries); none reads every day. Written after
    a `with`.
-#}
{% macro rwh_segment_event_ctes(days=none) -%}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
{%- set tracks = source('segment', 'tracks') -%}
{%- set event_name = 'lower(trim(cast(event as ' ~ str ~ ')))' -%}
tracks as (

    select
        cast(id as {{ str }}) as message_id,
        cast(user_id as {{ str }}) as user_id,
        cast(anonymous_id as {{ str }}) as anonymous_id,
        cast(event as {{ str }}) as event_name,
        cast({{ adapter.quote('timestamp') }} as {{ ts }}) as event_at,
        cast({{ rwh_optional_column(tracks, 'context_group_id', str) }} as {{ str }}) as context_group_id,
        case
            when {{ rwh_in_values(event_name, var('segment_core_events')) }} then 'core'
            when {{ rwh_in_values(event_name, var('segment_activity_events')) }} then 'activity'
            when {{ rwh_in_values(event_name, var('segment_ignored_events')) }} then 'ignored'
            else 'other'
        end as event_class,
        cast(_fivetran_synced as {{ ts }}) as synced_at,
        row_number() over (
            partition by cast(id as {{ str }})
            order by
                {#- a copy with a timestamp first: a daily run reads only the events of its days, so a copy without
                    one must never be the one that counts (and engines sort nulls differently) #}
                case when {{ adapter.quote('timestamp') }} is null then 1 else 0 end asc,
                cast(_fivetran_synced as {{ ts }}) asc,
                cast({{ adapter.quote('timestamp') }} as {{ ts }}) asc,
                cast(event as {{ str }}) asc
        ) as delivery_rank
    from {{ tracks }}
    where {{ rwh_date_in('cast(cast(' ~ adapter.quote('timestamp') ~ ' as ' ~ ts ~ ') as date)', days)
        if days is not none else 'true' }}

),

identify_calls as (

    select
        cast(id as {{ str }}) as identify_id,
        cast(anonymous_id as {{ str }}) as anonymous_id,
        cast(user_id as {{ str }}) as user_id,
        cast(_fivetran_synced as {{ ts }}) as synced_at,
        row_number() over (
            partition by cast(anonymous_id as {{ str }})
            order by
                cast({{ adapter.quote('timestamp') }} as {{ ts }}) desc,
                cast(_fivetran_synced as {{ ts }}) desc,
                cast(id as {{ str }}) desc
        ) as identify_rank
    from {{ source('segment', 'identifies') }}
    where anonymous_id is not null and user_id is not null

),

identities as (

    select
        identify_id,
        anonymous_id,
        user_id,
        synced_at
    from identify_calls
    where identify_rank = 1

),

group_calls as (

    {{ rwh_segment_group_calls() }}

),

traits as (

    select
        group_id,
        account_id,
        row_number() over (
            partition by group_id
            order by called_at desc, synced_at desc, group_call_id desc
        ) as trait_rank
    from group_calls
    where account_id is not null and group_id is not null

),

group_accounts as (

    select
        group_id,
        account_id
    from traits
    where trait_rank = 1

),

resolved as (

    select
        tracks.*,
        coalesce(tracks.user_id, identities.user_id) as resolved_user_id,
        case when tracks.user_id is null then identities.identify_id end as identify_id,
        case when tracks.user_id is null then identities.synced_at end as identify_synced_at
    from tracks
    left join identities
        on
            tracks.user_id is null
            and tracks.anonymous_id = identities.anonymous_id

),

user_group_calls as (

    {#- the user's latest group call at or before the event, for the first delivery of an event that names no
        group itself -#}
    select
        resolved.message_id,
        group_calls.group_id,
        group_calls.synced_at,
        row_number() over (
            partition by resolved.message_id
            order by group_calls.called_at desc, group_calls.synced_at desc, group_calls.group_call_id desc
        ) as group_rank
    from resolved
    inner join group_calls
        on
            resolved.resolved_user_id = group_calls.user_id
            and resolved.event_at >= group_calls.called_at
    where resolved.delivery_rank = 1 and resolved.context_group_id is null

),

user_groups as (

    select
        message_id,
        group_id,
        synced_at
    from user_group_calls
    where group_rank = 1

),

grouped as (

    select
        resolved.*,
        case
            when resolved.delivery_rank = 1 then coalesce(resolved.context_group_id, user_groups.group_id)
        end as group_id,
        user_groups.synced_at as group_synced_at
    from resolved
    left join user_groups
        on
            resolved.message_id = user_groups.message_id
            and resolved.delivery_rank = 1

),

segment_events as (

    select
        grouped.message_id,
        grouped.delivery_rank,
        grouped.user_id,
        grouped.anonymous_id,
        grouped.resolved_user_id,
        grouped.identify_id,
        grouped.group_id,
        group_accounts.account_id,
        grouped.event_name,
        grouped.event_class,
        grouped.event_at,
        cast(grouped.event_at as date) as usage_date,
        grouped.synced_at,
        greatest(
            grouped.synced_at,
            coalesce(grouped.identify_synced_at, grouped.synced_at),
            coalesce(grouped.group_synced_at, grouped.synced_at)
        ) as resolved_synced_at,
        case
            when grouped.delivery_rank > 1 then 'duplicate'
            when grouped.event_at is null then 'no_timestamp'
            when grouped.event_class = 'ignored' then 'ignored_event'
            when grouped.resolved_user_id is null then 'anonymous'
            when group_accounts.account_id is null then 'no_account'
        end as excluded_reason
    from grouped
    left join group_accounts
        on grouped.group_id = group_accounts.group_id

)
{%- endmacro %}
