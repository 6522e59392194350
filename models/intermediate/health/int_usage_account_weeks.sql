{#-
    One row per account and week (Monday) where something about its usage happens: the users active in the
    week and their active days, and the changes of its rolling four-week user counts. The weekly health
    signals read this compact table instead of every user-week.

    Distinct users over four weeks are counted without a self-join: each user-week opens a cover of four
    weeks that the user's next active week extends; active_user_delta is +1 where a cover opens and -1 where
    it closes (four weeks later, unless the user's next active week comes first), so the running sum of the
    deltas over an account's weeks is its monthly active users. core_user_delta does the same for users of a
    core feature. A cover closes up to four weeks after the last activity, so the table holds a few weeks
    past the latest usage.

    Incremental by week: a usage change in week W moves the deltas of weeks W to W+4, which read the
    user-weeks of W-4 to W+4; a run rebuilds those weeks and no others.
-#}
{%- set requires_systems = ['product'] -%}
{{ config(
    enabled=rwh_has_systems(requires_systems),
    meta={'requires_systems': requires_systems},
    materialized='incremental',
    incremental_strategy=rwh_incremental_strategy(),
    unique_key='week_start_date',
    on_schema_change='fail',
) }}
{%- if execute and is_incremental() -%}
    {%- set changed_weeks = rwh_usage_changed_periods('week') -%}
    {%- set rebuilt_weeks = rwh_shift_dates(changed_weeks, [0, 7, 14, 21, 28]) -%}
    {%- set read_weeks = rwh_shift_dates(changed_weeks, [-28, -21, -14, -7, 0, 7, 14, 21, 28]) -%}
{%- else -%}
    {%- set rebuilt_weeks = [] -%}
    {%- set read_weeks = [] -%}
{%- endif %}
-- depends_on: {{ rwh_known_accounts() }}

with user_weeks as (

    select * from {{ ref('int_usage_user_weeks') }}
    where {{ rwh_date_in('week_start_date', read_weeks) if is_incremental() else 'true' }}

),

user_covers as (

    {#- One window (one sort) for both: a user's next active week is the next row, and the next week with a
        core-feature event within four weeks is among the next three rows (weeks are distinct). #}
    select
        account_id,
        week_start_date,
        active_days,
        core_feature_events > 0 as is_core_week,
        last_loaded_at,
        cast({{ dbt.dateadd('day', 28, 'week_start_date') }} as date) as cover_end_date,
        lead(week_start_date) over (
            partition by account_id, user_id order by week_start_date
        ) as next_week_start_date,
        min(case when core_feature_events > 0 then week_start_date end) over (
            partition by account_id, user_id order by week_start_date rows between 1 following and 3 following
        ) as next_core_week_start_date
    from user_weeks

),

delta_kinds as (

    select 'open' as delta_kind
    union all
    select 'close' as delta_kind
    union all
    select 'close_core' as delta_kind

),

deltas as (

    {#- Each user-week read once: it opens its covers, and closes them four weeks later or at the user's next
        active (core) week if that comes first. #}
    select
        user_covers.account_id,
        case
            when delta_kinds.delta_kind = 'open' then user_covers.week_start_date
            when delta_kinds.delta_kind = 'close' and user_covers.next_week_start_date < user_covers.cover_end_date
                then user_covers.next_week_start_date
            when
                delta_kinds.delta_kind = 'close_core'
                and user_covers.next_core_week_start_date < user_covers.cover_end_date
                then user_covers.next_core_week_start_date
            else user_covers.cover_end_date
        end as week_start_date,
        case when delta_kinds.delta_kind = 'open' then 1 else 0 end as weekly_active_users,
        case when delta_kinds.delta_kind = 'open' then user_covers.active_days else 0 end as active_user_days,
        case
            when delta_kinds.delta_kind = 'open' then 1
            when delta_kinds.delta_kind = 'close' then -1
            else 0
        end as active_user_delta,
        case
            when delta_kinds.delta_kind = 'open' and user_covers.is_core_week then 1
            when delta_kinds.delta_kind = 'close_core' then -1
            else 0
        end as core_user_delta,
        user_covers.last_loaded_at
    from user_covers
    cross join delta_kinds
    where delta_kinds.delta_kind != 'close_core' or user_covers.is_core_week

)

select
    account_id,
    week_start_date,
    sum(weekly_active_users) as weekly_active_users,
    sum(active_user_days) as active_user_days,
    sum(active_user_delta) as active_user_delta,
    sum(core_user_delta) as core_user_delta,
    max(last_loaded_at) as last_loaded_at
from deltas
where {{ rwh_date_in('week_start_date', rebuilt_weeks) if is_incremental() else 'true' }}
group by 1, 2
