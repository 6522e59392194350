{#-
    One row per account and day with product activity: active users (DAU), sessions and feature events.
    Day-exact usage windows (the engagement change before a renewal) read it.
-#}
{%- set requires_systems = ['product'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}

)

select
    account_id,
    usage_date,
    count(*) as active_users,
    sum(sessions) as sessions,
    sum(core_feature_events) as core_feature_events
from usage_daily
group by 1, 2
