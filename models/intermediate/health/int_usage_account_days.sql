{#-
    One row per account and day with product activity: active users (DAU), sessions and feature events.
    Day-exact usage windows (the engagement change before a renewal) read it.
    Incremental by day (macros/incremental/rwh_usage_changed_periods.sql): a run rebuilds the days that rows
    loaded since the last run can change; last_loaded_at is the latest load of a day's staged rows.
    On Spark the table also has usage_month, its partition: a run rebuilds whole months there (docs/spark.md).
-#}
{%- set requires_systems = ['product'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}
{{ rwh_usage_incremental_config('usage_date', "rwh_usage_changed_periods('day', say=false)") }}
{%- set changed_days = rwh_usage_changed_periods('day') %}

with usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}
    where {{ rwh_date_in('usage_date', changed_days) if is_incremental() else 'true' }}

)

select
    account_id,
    usage_date,
    count(*) as active_users,
    sum(sessions) as sessions,
    sum(core_feature_events) as core_feature_events,
    max(_loaded_at) as last_loaded_at{{ rwh_partition_column('usage_date') }}  -- noqa: LT02
from usage_daily
group by 1, 2
