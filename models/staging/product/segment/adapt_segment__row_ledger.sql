{#-
    Every row the Segment adapter read, one ledger row each (docs/sources/segment.md): mapped (it went into a
    contract usage row, or gave one its user or account) or excluded with its reason. Track rows are keyed by message
    id (a second delivery of an id by id ':' its delivery number), identify and group calls by id. A view: the
    events are the largest vendor table, and an analyst asks about a few of them. Tested: every source row is here
    once (assert_vendor_rows_are_all_in_the_ledger).
-#}
{{ config(materialized='view') }}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
with events as (

    select * from {{ ref('base_segment__events') }}

),

mapped_events as (

    select * from events
    where excluded_reason is null

),

track_rows as (

    select
        'tracks' as vendor_table,
        case
            when delivery_rank = 1 then message_id
            else {{ dbt.concat(["message_id", "':'", "cast(delivery_rank as " ~ str ~ ")"]) }}
        end as vendor_key,
        excluded_reason,
        case
            when excluded_reason is null
                then {{ dbt.concat(["account_id", "'|'", "resolved_user_id", "'|'",
                    "cast(usage_date as " ~ str ~ ")"]) }}
        end as contract_key
    from events

),

used_identifies as (

    select distinct identify_id from mapped_events
    where identify_id is not null

),

identify_calls as (

    select
        cast(id as {{ str }}) as identify_id,
        cast(anonymous_id as {{ str }}) as anonymous_id,
        cast(user_id as {{ str }}) as user_id,
        row_number() over (
            partition by cast(anonymous_id as {{ str }})
            order by
                cast({{ adapter.quote('timestamp') }} as {{ ts }}) desc,
                cast(_fivetran_synced as {{ ts }}) desc,
                cast(id as {{ str }}) desc
        ) as identify_rank
    from {{ source('segment', 'identifies') }}

),

identify_rows as (

    select
        'identifies' as vendor_table,
        identify_calls.identify_id as vendor_key,
        case
            when used_identifies.identify_id is not null then null
            when identify_calls.anonymous_id is null or identify_calls.user_id is null then 'incomplete'
            when identify_calls.identify_rank > 1 then 'superseded'
            else 'no_anonymous_events'
        end as excluded_reason,
        cast(null as {{ str }}) as contract_key
    from identify_calls
    left join used_identifies
        on identify_calls.identify_id = used_identifies.identify_id

),

used_groups as (

    select distinct
        resolved_user_id as user_id,
        group_id
    from mapped_events

),

group_calls as (

    {{ rwh_segment_group_calls() }}

),

accounted_groups as (

    select distinct group_id from group_calls
    where account_id is not null

),

group_rows as (

    select
        'groups' as vendor_table,
        group_calls.group_call_id as vendor_key,
        case
            when used_groups.group_id is not null then null
            when accounted_groups.group_id is null then 'no_account'
            else 'no_mapped_events'
        end as excluded_reason,
        cast(null as {{ str }}) as contract_key
    from group_calls
    left join used_groups
        on
            group_calls.user_id = used_groups.user_id
            and group_calls.group_id = used_groups.group_id
    left join accounted_groups
        on group_calls.group_id = accounted_groups.group_id

),

unioned as (

    select * from track_rows
    union all
    select * from identify_rows
    union all
    select * from group_rows

)

select
    'segment' as vendor,
    vendor_table,
    vendor_key,
    case when excluded_reason is null then 'mapped' else 'excluded' end as outcome,
    excluded_reason,
    'product.usage_daily' as contract_table,
    contract_key
from unioned
