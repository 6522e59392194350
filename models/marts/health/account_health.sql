{#-
    Account health per account and week (docs/metrics.md section 7), for the weeks the account is a customer:
    the composite score and band, the four component scores and every signal beside its score, the trend
    against four weeks before, and the product usage facts with their benchmark bands and flags:
    DAU/MAU, weekly active users as a share of seats, core-feature adoption, and the usage fall flag
    (DAU/MAU at most 1 - usage_fall_share of its value usage_fall_weeks weeks before, e.g. 35% -> 15% in
    two months). Segment and CSM are those of the week.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with health as (

    select * from {{ ref('int_account_health_weeks') }}

),

signals as (

    select * from {{ ref('int_account_week_signals') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

owner_spells as (

    select * from {{ ref('int_account_owner_spells') }}

),

account_months as (

    select * from {{ ref('int_account_months') }}

),

bands as (

    select * from {{ ref('ref_benchmark_bands') }}

),

usage_history as (

    select
        signals.*,
        lag(signals.dau_mau, {{ var('usage_fall_weeks') }}) over (
            partition by signals.account_id order by signals.week_number
        ) as dau_mau_before
    from signals

),

final as (

    select
        health.account_week_id,
        health.account_id,
        health.week_start_date,
        health.snapshot_date,
        accounts.size_segment,
        accounts.industry,
        accounts.region,
        owners.owner_user_id as csm_user_id,
        account_months.arr,
        health.health_score,
        health.health_band,
        health.health_score_4_weeks_before,
        health.health_score_change_4_weeks,
        health.usage_score,
        health.engagement_score,
        health.support_score,
        health.outcomes_score,
        usage_history.licensed_seats,
        usage_history.weekly_active_users as weekly_active_user_count,
        usage_history.monthly_active_users as monthly_active_user_count,
        usage_history.average_daily_active_users,
        usage_history.dau_mau,
        health.dau_mau_score,
        dau_mau_bands.band as dau_mau_band,
        {#- Named after no var value: changing usage_fall_weeks must not rename a column BI tools read. -#}
        {{ var('usage_fall_weeks') }} as usage_fall_window_weeks,
        usage_history.dau_mau_before as dau_mau_before_fall_window,
        coalesce(
            usage_history.dau_mau_before > 0
            and usage_history.dau_mau <= usage_history.dau_mau_before * (1 - {{ var('usage_fall_share') }}),
            false
        ) as is_usage_falling,
        usage_history.wau_seat_share,
        health.wau_seat_share_score,
        seat_bands.band as wau_seat_share_band,
        usage_history.core_feature_users as core_feature_user_count,
        usage_history.core_feature_adoption,
        health.core_feature_adoption_score,
        adoption_bands.band as core_feature_adoption_band,
        usage_history.active_user_days_28d as active_user_day_count_28d,
        usage_history.usage_trend,
        health.usage_trend_score,
        usage_history.meetings_90d as meeting_count_90d,
        health.meetings_90d_score as meeting_count_90d_score,
        usage_history.customer_initiated_90d as customer_initiated_count_90d,
        health.customer_initiated_90d_score as customer_initiated_count_90d_score,
        usage_history.tickets_90d as ticket_count_90d,
        usage_history.tickets_per_10_seats_90d,
        health.tickets_per_10_seats_90d_score,
        usage_history.escalated_tickets_90d as escalated_ticket_count_90d,
        usage_history.escalated_ticket_share_90d,
        health.escalated_ticket_share_90d_score,
        usage_history.csat_count_90d as csat_response_count_90d,
        usage_history.csat_90d as average_csat_90d,
        health.csat_90d_score as average_csat_90d_score,
        usage_history.completed_value_reviews_180d as completed_value_review_count_180d,
        health.completed_value_reviews_180d_score as completed_value_review_count_180d_score,
        usage_history.onboarding_milestones_reached as onboarding_milestone_count,
        usage_history.onboarding_milestone_share,
        health.onboarding_milestone_share_score
    from health
    inner join usage_history
        on health.account_week_id = usage_history.account_week_id
    inner join accounts
        on health.account_id = accounts.account_id
    left join owner_spells as owners
        on {{ rwh_owner_on_date('owners', 'health.account_id', 'health.snapshot_date') }}
    left join account_months
        on
            health.account_id = account_months.account_id
            and account_months.month_start_date = cast({{ dbt.date_trunc('month', 'health.snapshot_date') }} as date)
    left join bands as dau_mau_bands
        on {{ rwh_band_join('dau_mau_bands', 'dau_mau', 'usage_history.dau_mau') }}
    left join bands as seat_bands
        on {{ rwh_band_join('seat_bands', 'wau_seat_share', 'usage_history.wau_seat_share') }}
    left join bands as adoption_bands
        on {{ rwh_band_join('adoption_bands', 'core_feature_adoption', 'usage_history.core_feature_adoption') }}
    where health.is_customer

)

{{ rwh_contract_select('final') }}
