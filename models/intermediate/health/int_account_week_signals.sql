{#-
    One row per account and week, on the account × week grid (int_account_weeks: from the account's first
    week as a customer to the as-of week, weeks between contracts included, so window frames count weeks,
    not rows), with the weekly facts and the signals the health score is made of (docs/metrics.md section 7).
    Each signal is defined once, in rwh_health_signals() (macros/metrics/rwh_health_signals.sql), from the
    facts below. Everything looks back from the week's snapshot date (its Sunday, or the as-of date):
    - usage over the last 4 weeks (28 days): monthly active users (distinct users), average DAU, DAU/MAU,
      weekly active users against licensed seats, core-feature adoption, and the trend: active user-days of
      the last 28 days against the same 8 weeks earlier (null when there was no usage then);
    - engagement over the last 13 weeks (91 days): meetings and customer-initiated interactions;
    - support over the last 13 weeks: tickets, escalations and CSAT (rated tickets and CSAT surveys);
    - outcomes: value reviews completed in the last 26 weeks (182 days) and the milestones reached in the
      account's latest onboarding.
    Distinct users over the sliding four weeks are the running sum of the cover deltas of
    int_usage_account_weeks (one compact row per account and week with usage).
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{#- The windowed sums: (column, source, window in weeks; 0 = running total since the first week). -#}
{%- set windowed_sums = [
    ('monthly_active_users', 'usage_by_week.active_user_delta', 0),
    ('core_feature_users', 'usage_by_week.core_user_delta', 0),
    ('active_user_days_28d', 'usage_by_week.active_user_days', 4),
    ('meetings_90d', 'events_by_week.meetings', 13),
    ('customer_initiated_90d', 'events_by_week.customer_initiated', 13),
    ('tickets_90d', 'events_by_week.tickets', 13),
    ('escalated_tickets_90d', 'events_by_week.escalated_tickets', 13),
    ('csat_sum_90d', 'events_by_week.csat_sum', 13),
    ('csat_count_90d', 'events_by_week.csat_count', 13),
    ('completed_value_reviews_180d', 'events_by_week.completed_value_reviews', 26),
] -%}

with weeks as (

    select * from {{ ref('int_calendar_weeks') }}

),

grid as (

    select * from {{ ref('int_account_weeks') }}

),

usage_weeks as (

    select * from {{ ref('int_usage_account_weeks') }}

),

seats as (

    select * from {{ ref('stg_product__licensed_seats') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

surveys as (

    select * from {{ ref('stg_cs_platform__survey_responses') }}

),

value_reviews as (

    select * from {{ ref('stg_crm__value_reviews') }}

),

onboardings as (

    select * from {{ ref('int_onboardings') }}

),

usage_by_week as (

    select
        usage_weeks.account_id,
        weeks.week_number,
        usage_weeks.weekly_active_users,
        usage_weeks.active_user_days,
        usage_weeks.active_user_delta,
        usage_weeks.core_user_delta
    from usage_weeks
    inner join weeks
        on usage_weeks.week_start_date = weeks.week_start_date

),

events as (

    select
        account_id,
        cast({{ dbt.date_trunc('week', 'occurred_at') }} as date) as week_start_date,
        case when activity_type = 'meeting' then 1 else 0 end as meetings,
        case when direction = 'inbound' then 1 else 0 end as customer_initiated,
        0 as tickets,
        0 as escalated_tickets,
        0 as csat_sum,
        0 as csat_count,
        0 as completed_value_reviews
    from activities
    union all
    select
        account_id,
        cast({{ dbt.date_trunc('week', 'created_at') }} as date) as week_start_date,
        0 as meetings,
        0 as customer_initiated,
        1 as tickets,
        case when is_escalated then 1 else 0 end as escalated_tickets,
        coalesce(csat_score, 0) as csat_sum,
        case when csat_score is not null then 1 else 0 end as csat_count,
        0 as completed_value_reviews
    from tickets
    union all
    select
        account_id,
        cast({{ dbt.date_trunc('week', 'responded_at') }} as date) as week_start_date,
        0 as meetings,
        0 as customer_initiated,
        0 as tickets,
        0 as escalated_tickets,
        score as csat_sum,
        1 as csat_count,
        0 as completed_value_reviews
    from surveys
    where survey_type = 'csat'
    union all
    select
        account_id,
        cast({{ dbt.date_trunc('week', 'completed_date') }} as date) as week_start_date,
        0 as meetings,
        0 as customer_initiated,
        0 as tickets,
        0 as escalated_tickets,
        0 as csat_sum,
        0 as csat_count,
        1 as completed_value_reviews
    from value_reviews
    where status = 'completed' and completed_date is not null

),

events_by_week as (

    select
        events.account_id,
        weeks.week_number,
        sum(events.meetings) as meetings,
        sum(events.customer_initiated) as customer_initiated,
        sum(events.tickets) as tickets,
        sum(events.escalated_tickets) as escalated_tickets,
        sum(events.csat_sum) as csat_sum,
        sum(events.csat_count) as csat_count,
        sum(events.completed_value_reviews) as completed_value_reviews
    from events
    inner join weeks
        on events.week_start_date = weeks.week_start_date
    group by 1, 2

),

windowed as (

    select
        grid.account_id,
        grid.week_number,
        grid.week_start_date,
        grid.snapshot_date,
        grid.is_customer,
        coalesce(usage_by_week.weekly_active_users, 0) as weekly_active_users,
    {% for column, source, weeks in windowed_sums %}
        {%- set preceding = 'unbounded' if weeks == 0 else weeks - 1 %}
        sum(coalesce({{ source }}, 0)) over (
            partition by grid.account_id order by grid.week_number
            rows between {{ preceding }} preceding and current row
            ) as {{ column }}
        {{- "," if not loop.last }}
    {% endfor %}
    from grid
    left join usage_by_week
        on grid.account_id = usage_by_week.account_id and grid.week_number = usage_by_week.week_number
    left join events_by_week
        on grid.account_id = events_by_week.account_id and grid.week_number = events_by_week.week_number

),

usage_lags as (

    select
        windowed.*,
        lag(windowed.active_user_days_28d, 8) over (
            partition by windowed.account_id order by windowed.week_number
        ) as active_user_days_28d_8_weeks_before
    from windowed

),

latest_onboardings as (

    select
        grid.account_id,
        grid.week_number,
        (
            case when onboardings.first_login_date <= grid.snapshot_date then 1 else 0 end
            + case when onboardings.onboarding_completed_date <= grid.snapshot_date then 1 else 0 end
            + case when onboardings.first_value_date <= grid.snapshot_date then 1 else 0 end
        ) as onboarding_milestones_reached,
        row_number() over (
            partition by grid.account_id, grid.week_number
            order by onboardings.onboarding_start_date desc, onboardings.contract_id desc
        ) as onboarding_rank
    from grid
    inner join onboardings
        on
            grid.account_id = onboardings.account_id
            and grid.snapshot_date >= onboardings.onboarding_start_date

),

facts as (

    select
        windowed.*,
        seats.licensed_seats,
        latest_onboardings.onboarding_milestones_reached
    from usage_lags as windowed
    left join seats
        on
            windowed.account_id = seats.account_id
            and seats.snapshot_date = cast({{ dbt.date_trunc('month', 'windowed.snapshot_date') }} as date)
    left join latest_onboardings
        on
            windowed.account_id = latest_onboardings.account_id
            and windowed.week_number = latest_onboardings.week_number
            and latest_onboardings.onboarding_rank = 1

)

select
    {{ dbt.concat(['account_id', "'|'", 'cast(week_start_date as ' ~ dbt.type_string() ~ ')']) }}
        as account_week_id,
    account_id,
    week_start_date,
    snapshot_date,
    week_number,
    is_customer,
    licensed_seats,
    weekly_active_users,
    monthly_active_users,
    core_feature_users,
    active_user_days_28d,
    active_user_days_28d_8_weeks_before,
    cast(active_user_days_28d / 28.0 as decimal(18, 6)) as average_daily_active_users,
    tickets_90d,
    escalated_tickets_90d,
    csat_count_90d,
    onboarding_milestones_reached,
    -- the signals the health score is made of, one column each (macros/metrics/rwh_health_signals.sql);
    -- their SQL is rendered by the macro, whose line breaks the layout rule cannot follow
    -- noqa: disable=LT02
    {% for signal, expression in rwh_health_signals().items() %}
        {{ expression }} as {{ signal }}
        {{- "," if not loop.last }}
    {% endfor %}
-- noqa: enable=LT02
from facts
