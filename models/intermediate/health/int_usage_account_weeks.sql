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

    select
        account_id,
        week_start_date,
        active_days,
        core_feature_events,
        last_loaded_at,
        cast({{ dbt.dateadd('day', 28, 'week_start_date') }} as date) as cover_end_date,
        lead(week_start_date) over (partition by account_id, user_id order by week_start_date)
            as next_week_start_date,
        lead(week_start_date) over (
            partition by account_id, user_id, core_feature_events > 0 order by week_start_date
        ) as next_same_kind_week_start_date
    from user_weeks

),

deltas as (

    {#- The users active in the week open their covers. #}
    select
        account_id,
        week_start_date,
        1 as weekly_active_users,
        active_days as active_user_days,
        1 as active_user_delta,
        case when core_feature_events > 0 then 1 else 0 end as core_user_delta,
        last_loaded_at
    from user_covers
    union all
    {#- A cover closes four weeks later, or at the user's next active week if that comes first. #}
    select
        account_id,
        case
            when next_week_start_date < cover_end_date then next_week_start_date else cover_end_date
        end as week_start_date,
        0 as weekly_active_users,
        0 as active_user_days,
        -1 as active_user_delta,
        0 as core_user_delta,
        last_loaded_at
    from user_covers
    union all
    select
        account_id,
        case
            when next_same_kind_week_start_date < cover_end_date then next_same_kind_week_start_date
            else cover_end_date
        end as week_start_date,
        0 as weekly_active_users,
        0 as active_user_days,
        0 as active_user_delta,
        -1 as core_user_delta,
        last_loaded_at
    from user_covers
    where core_feature_events > 0

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
