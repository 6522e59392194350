{#-
    One row per product user, account and week (Monday) with activity: active days, sessions, minutes and
    feature events. The one pass over daily usage that the weekly usage facts read.
    Incremental by week (macros/incremental/rwh_usage_increment.sql): a run rebuilds the weeks that rows
    loaded since the last run can change; last_loaded_at is the latest load of the user-week's rows.
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
{%- set changed_weeks = rwh_usage_changed_periods('week') if execute and is_incremental() else [] %}
-- depends_on: {{ rwh_known_accounts() }}

with usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}
    where {{ rwh_date_in('usage_date', rwh_shift_dates(changed_weeks, range(7))) if is_incremental() else 'true' }}

)

select
    account_id,
    user_id,
    cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start_date,
    count(*) as active_days,
    sum(sessions) as sessions,
    sum(active_minutes) as active_minutes,
    sum(core_feature_events) as core_feature_events,
    sum(other_feature_events) as other_feature_events,
    max(_loaded_at) as last_loaded_at
from usage_daily
group by 1, 2, 3
