{#-
    The health signals (docs/metrics.md section 7), each defined once: its name and the SQL that computes it from
    the weekly facts of int_account_week_signals (the columns of its `facts` CTE: the windowed sums, seats
    and onboarding milestones). int_account_week_signals writes one column per entry and
    int_account_health_weeks scores every entry with its row of ref_health_signals, which alone says the
    signal's component, its zero- and full-score values and its weight. A new signal is one entry here and
    one seed row (docs/health-score.md); assert_health_signals_configured fails when the two disagree.
-#}
{% macro rwh_health_signals() -%}
    {{ return({
        'dau_mau': 'cast(case when monthly_active_users = 0 then 0 else '
            ~ rwh_ratio('active_user_days_28d / 28.0', 'monthly_active_users') ~ ' end as decimal(18, 6))',
        'wau_seat_share': rwh_ratio('weekly_active_users', 'licensed_seats'),
        'core_feature_adoption': 'cast(case when monthly_active_users = 0 then 0 else '
            ~ rwh_ratio('core_feature_users', 'monthly_active_users') ~ ' end as decimal(18, 6))',
        'usage_trend': rwh_ratio('active_user_days_28d', 'active_user_days_28d_8_weeks_before'),
        'meetings_90d': 'meetings_90d',
        'customer_initiated_90d': 'customer_initiated_90d',
        'tickets_per_10_seats_90d': rwh_ratio('tickets_90d * 10', 'licensed_seats'),
        'escalated_ticket_share_90d': rwh_ratio('escalated_tickets_90d', 'tickets_90d'),
        'csat_90d': rwh_ratio('csat_sum_90d', 'csat_count_90d'),
        'completed_value_reviews_180d': 'completed_value_reviews_180d',
        'onboarding_milestone_share': rwh_ratio('onboarding_milestones_reached', '3'),
    }) }}
{%- endmacro %}
