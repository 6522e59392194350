{#-
    The activity mix per CSM and period (docs/metrics.md section 8): the activities the CSM logged in the CRM in the
    fiscal quarter up to its book day (all_time: every activity up to the as-of date), and how many of them
    were proactive.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with periods as (

    select * from {{ ref('int_csm_periods') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}
    where user_id is not null

),

mix as (

    select
        activities.user_id as csm_user_id,
        periods.period_label,
        count(*) as activity_count,
        sum(case when activities.is_proactive then 1 else 0 end) as proactive_activity_count
    from activities
    inner join periods
        on
            cast(activities.occurred_at as date) >= periods.activity_from_date
            and cast(activities.occurred_at as date) <= periods.snapshot_date
    group by 1, 2

)

select
    {{ dbt.concat(['csm_user_id', "'|'", 'period_label']) }} as csm_period_id,
    mix.*,
    {{ rwh_ratio('proactive_activity_count', 'activity_count') }} as proactive_activity_share
from mix
