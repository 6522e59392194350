{#-
    One row per renewal event with the leading indicators of docs/metrics.md section 7, each measured from
    what was known before the end date:
    - health at T-90: the account's health score and band (account_health and the t90_outcome band set of
      ref_health_bands) in the last week whose snapshot is on or before T-90; null while T-90 is after the
      as-of date;
    - engagement change: average daily active users in the engagement_window_days (60) days up to the end
      date (as far as observed) against the same span before that; a fall of engagement_drop_flag_share (30%)
      or more is flagged; null before any day of the recent window is observed or without prior usage;
    - value review done by T-60: a review completed between T-value_review_lookback_days (180) and
      T-value_review_deadline_days (60);
    - executive sponsor change within sponsor_change_window_days (90) days before the end date.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set window = var('engagement_window_days') -%}

with events as (

    select * from {{ ref('int_renewal_events') }}

),

health_weeks as (

    select * from {{ ref('int_account_health_weeks') }}
    where is_customer

),

usage_days as (

    select * from {{ ref('int_usage_account_days') }}

),

value_reviews as (

    select * from {{ ref('stg_crm__value_reviews') }}

),

sponsor_changes as (

    select * from {{ ref('stg_crm__sponsor_changes') }}

),

outcome_bands as (

    select * from {{ ref('ref_health_bands') }}
    where band_set = 't90_outcome'

),

health_at_t90 as (

    select
        events.renewal_event_id,
        health_weeks.health_score,
        health_weeks.health_band,
        row_number() over (
            partition by events.renewal_event_id
            order by health_weeks.snapshot_date desc
        ) as week_rank
    from events
    inner join health_weeks
        on
            events.account_id = health_weeks.account_id
            and health_weeks.snapshot_date <= {{ dbt.dateadd('day', -90, 'events.end_date') }}
            and health_weeks.snapshot_date > {{ dbt.dateadd('day', -97, 'events.end_date') }}
    where {{ dbt.dateadd('day', -90, 'events.end_date') }} <= events.as_of_date

),

engagement as (

    select
        events.renewal_event_id,
        sum(
            case
                when usage_days.usage_date > {{ dbt.dateadd('day', -window, 'events.end_date') }}
                    then usage_days.active_users
                else 0
            end
        ) as recent_active_user_days,
        sum(
            case
                when usage_days.usage_date <= {{ dbt.dateadd('day', -window, 'events.end_date') }}
                    then usage_days.active_users
                else 0
            end
        ) as prior_active_user_days
    from events
    inner join usage_days
        on
            events.account_id = usage_days.account_id
            and usage_days.usage_date > {{ dbt.dateadd('day', -2 * window, 'events.end_date') }}
            and events.end_date >= usage_days.usage_date
    group by 1

),

observed as (

    select
        events.renewal_event_id,
        {#- Days of the recent window observed by the as-of date (0 before it opens, the whole window after). -#}
        
        case
            when events.as_of_date >= events.end_date then {{ window }}
            when events.as_of_date <= {{ dbt.dateadd('day', -window, 'events.end_date') }} then 0
            else {{ window }} - {{ dbt.datediff('events.as_of_date', 'events.end_date', 'day') }}
        end as recent_days_observed
    from events

),

reviews as (

    select
        events.renewal_event_id,
        count(*) as completed_value_review_count
    from events
    inner join value_reviews
        on
            events.account_id = value_reviews.account_id
            and value_reviews.status = 'completed'
            and value_reviews.completed_date
            >= {{ dbt.dateadd('day', -1 * var('value_review_lookback_days'), 'events.end_date') }}
            and value_reviews.completed_date
            <= {{ dbt.dateadd('day', -1 * var('value_review_deadline_days'), 'events.end_date') }}
    group by 1

),

sponsors as (

    select
        events.renewal_event_id,
        count(*) as sponsor_change_count
    from events
    inner join sponsor_changes
        on
            events.account_id = sponsor_changes.account_id
            and sponsor_changes.changed_date
            >= {{ dbt.dateadd('day', -1 * var('sponsor_change_window_days'), 'events.end_date') }}
            and events.end_date >= sponsor_changes.changed_date
    group by 1

),

joined as (

    select
        events.renewal_event_id,
        events.end_date,
        events.as_of_date,
        health_at_t90.health_score as health_score_t90,
        health_at_t90.health_band as health_band_t90,
        observed.recent_days_observed,
        coalesce(engagement.recent_active_user_days, 0) as recent_active_user_days,
        coalesce(engagement.prior_active_user_days, 0) as prior_active_user_days,
        coalesce(reviews.completed_value_review_count, 0) as completed_value_review_count,
        coalesce(sponsors.sponsor_change_count, 0) as sponsor_change_count
    from events
    inner join observed
        on events.renewal_event_id = observed.renewal_event_id
    left join health_at_t90
        on events.renewal_event_id = health_at_t90.renewal_event_id and health_at_t90.week_rank = 1
    left join engagement
        on events.renewal_event_id = engagement.renewal_event_id
    left join reviews
        on events.renewal_event_id = reviews.renewal_event_id
    left join sponsors
        on events.renewal_event_id = sponsors.renewal_event_id

),

changes as (

    select
        joined.*,
        cast(
            case
                when joined.recent_days_observed = 0 or joined.prior_active_user_days = 0 then null
                else
                    {{ rwh_divide(
                        rwh_divide('cast(joined.recent_active_user_days as ' ~ dbt.type_numeric() ~ ')',
                            'joined.recent_days_observed'),
                        rwh_divide('cast(joined.prior_active_user_days as ' ~ dbt.type_numeric() ~ ')', window)
                    ) }} - 1
            end
            as decimal(18, 6)
        ) as engagement_change_rate
    from joined

)

select
    changes.renewal_event_id,
    changes.health_score_t90,
    changes.health_band_t90,
    outcome_bands.band as health_outcome_band_t90,
    changes.recent_days_observed as engagement_recent_days_observed,
    changes.recent_active_user_days,
    changes.prior_active_user_days,
    changes.engagement_change_rate,
    changes.engagement_change_rate <= -1 * {{ var('engagement_drop_flag_share') }} as is_engagement_drop,
    changes.completed_value_review_count,
    case
        when
            {{ dbt.dateadd('day', -1 * var('value_review_deadline_days'), 'changes.end_date') }} > changes.as_of_date
            and changes.completed_value_review_count = 0
            then null
        else changes.completed_value_review_count > 0
    end as is_value_review_done_t60,
    changes.sponsor_change_count,
    changes.sponsor_change_count > 0 as has_sponsor_change
from changes
left join outcome_bands
    on {{ rwh_health_band_join('outcome_bands', 'changes.health_score_t90') }}
