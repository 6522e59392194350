{#-
    One row per product user, account and week (Monday) with activity: active days, sessions, minutes and
    feature events. The one pass over daily usage that the weekly health signals read.
-#}
{%- set requires_systems = ['product'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}

)

select
    account_id,
    user_id,
    cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start_date,
    count(*) as active_days,
    sum(sessions) as sessions,
    sum(active_minutes) as active_minutes,
    sum(core_feature_events) as core_feature_events,
    sum(other_feature_events) as other_feature_events
from usage_daily
group by 1, 2, 3
