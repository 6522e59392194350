{#-
    Customer experience and onboarding per fiscal quarter and size segment (and 'all') (docs/metrics.md section 7):
    - surveys (quarter of the answer): NPS = share of promoters (9-10) - share of detractors (0-6), as a
      fraction (-1 to 1); CSAT mean (1-5) and share satisfied (4-5); CES mean (1-7);
    - support (quarter the ticket was opened): first response and resolution times in hours (calendar
      hours), share answered within 4 hours and resolved within 24 hours, escalation and reopen rates, and
      ticket CSAT;
    - onboarding (quarter of the signature milestone): onboardings started, the share that completed
      onboarding, and the mean days from signature to first login, onboarding completed and first value
      (time to value), beside the segment's time-to-value benchmark.
    Nothing after the as-of date is counted (docs/metrics.md section 1): survey answers, tickets opened, first
    responses, resolutions and onboarding milestones dated after it are left out, so a ticket resolved after
    it is open (no resolution time, and no CSAT, which follows the resolution). A ticket answered or resolved
    at exactly its limit (4 hours, 24 hours) meets it.
-#}
{%- set requires_systems = ['billing', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

surveys as (

    select surveys.*
    from {{ ref('stg_cs_platform__survey_responses') }} as surveys
    inner join as_of
        on cast(surveys.responded_at as date) <= as_of.as_of_date

),

-- Tickets opened by the as-of date, with what had happened to them by then.
tickets as (

    select
        tickets.account_id,
        tickets.created_at,
        tickets.is_escalated,
        tickets.is_reopened,
        case
            when cast(tickets.first_response_at as date) <= as_of.as_of_date then tickets.first_response_at
        end as first_response_at,
        case when cast(tickets.resolved_at as date) <= as_of.as_of_date then tickets.resolved_at end as resolved_at,
        case when cast(tickets.resolved_at as date) <= as_of.as_of_date then tickets.csat_score end as csat_score
    from {{ ref('stg_support__tickets') }} as tickets
    inner join as_of
        on cast(tickets.created_at as date) <= as_of.as_of_date

),

-- Onboardings signed by the as-of date, with the milestones reached by then.
onboardings as (

    select
        onboardings.account_id,
        onboardings.signed_date,
        case
            when onboardings.first_login_date <= as_of.as_of_date then onboardings.first_login_date
        end as first_login_date,
        case
            when onboardings.onboarding_completed_date <= as_of.as_of_date then onboardings.onboarding_completed_date
        end as onboarding_completed_date,
        case
            when onboardings.first_value_date <= as_of.as_of_date then onboardings.first_value_date
        end as first_value_date
    from {{ ref('int_onboardings') }} as onboardings
    inner join as_of
        on onboardings.signed_date <= as_of.as_of_date

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

months as (

    select * from {{ ref('int_calendar_months') }}

),

benchmarks as (

    select * from {{ ref('ref_segment_benchmarks') }}
    where metric = 'time_to_value_days'

),

bands as (

    select * from {{ ref('ref_benchmark_bands') }}

),

account_segments as (

    {#- Every account twice: under its size segment and under 'all'. -#}
    {{ rwh_fan_out('accounts', ['all', 'size']) }}

),

segments as (

    select distinct
        segment_type,
        segment_value
    from account_segments

),

grid as (

    select distinct
        months.fiscal_quarter_start_date,
        months.fiscal_quarter_label,
        segments.segment_type,
        segments.segment_value
    from months
    cross join segments

),

survey_rows as (

    select
        {{ rwh_fiscal_quarter_start('cast(surveys.responded_at as date)') }} as fiscal_quarter_start_date,
        account_segments.segment_type,
        account_segments.segment_value,
        surveys.survey_type,
        surveys.score
    from surveys
    inner join account_segments
        on surveys.account_id = account_segments.account_id

),

ticket_rows as (

    select
        {{ rwh_fiscal_quarter_start('cast(tickets.created_at as date)') }} as fiscal_quarter_start_date,
        account_segments.segment_type,
        account_segments.segment_value,
        tickets.is_escalated,
        tickets.is_reopened,
        tickets.csat_score,
        -- noqa: disable=LT05
        {{ dbt.datediff('tickets.created_at', 'tickets.first_response_at', 'minute') }} / 60.0 as first_response_hours,
        {{ dbt.datediff('tickets.created_at', 'tickets.resolved_at', 'minute') }} / 60.0 as resolution_hours
        -- noqa: enable=LT05
    from tickets
    inner join account_segments
        on tickets.account_id = account_segments.account_id

),

onboarding_rows as (

    select
        {{ rwh_fiscal_quarter_start('onboardings.signed_date') }} as fiscal_quarter_start_date,
        account_segments.segment_type,
        account_segments.segment_value,
        onboardings.onboarding_completed_date is not null as is_completed,
        -- noqa: disable=LT05
        {{ dbt.datediff('onboardings.signed_date', 'onboardings.first_login_date', 'day') }} as days_to_first_login,
        -- noqa: enable=LT05
        {{ dbt.datediff('onboardings.signed_date', 'onboardings.onboarding_completed_date', 'day') }}
            as days_to_onboarding_completed,
        -- noqa: disable=LT05
        {{ dbt.datediff('onboardings.signed_date', 'onboardings.first_value_date', 'day') }} as days_to_first_value
        -- noqa: enable=LT05
    from onboardings
    inner join account_segments
        on onboardings.account_id = account_segments.account_id
    where onboardings.signed_date is not null

),

survey_totals as (

    select
        fiscal_quarter_start_date,
        segment_type,
        segment_value,
        sum(case when survey_type = 'nps' then 1 else 0 end) as nps_response_count,
        sum(case when survey_type = 'nps' and score >= 9 then 1 else 0 end) as promoter_count,
        sum(case when survey_type = 'nps' and score <= 6 then 1 else 0 end) as detractor_count,
        sum(case when survey_type = 'csat' then 1 else 0 end) as csat_response_count,
        sum(case when survey_type = 'csat' and score >= 4 then 1 else 0 end) as csat_satisfied_count,
        cast({{ rwh_round("avg(case when survey_type = 'csat' then score end)", 2) }} as decimal(9, 2)) as average_csat,
        sum(case when survey_type = 'ces' then 1 else 0 end) as ces_response_count,
        cast({{ rwh_round("avg(case when survey_type = 'ces' then score end)", 2) }} as decimal(9, 2)) as average_ces
    from survey_rows
    group by 1, 2, 3

),

ticket_totals as (

    select
        fiscal_quarter_start_date,
        segment_type,
        segment_value,
        count(*) as ticket_count,
        cast({{ rwh_round("avg(first_response_hours)", 2) }} as decimal(9, 2)) as average_first_response_hours,
        sum(case when first_response_hours <= 4 then 1 else 0 end) as answered_within_4_hours_count,
        sum(case when first_response_hours is not null then 1 else 0 end) as answered_ticket_count,
        cast({{ rwh_round("avg(resolution_hours)", 2) }} as decimal(9, 2)) as average_resolution_hours,
        sum(case when resolution_hours <= 24 then 1 else 0 end) as resolved_within_24_hours_count,
        sum(case when resolution_hours is not null then 1 else 0 end) as resolved_ticket_count,
        sum(case when is_escalated then 1 else 0 end) as escalated_ticket_count,
        sum(case when is_reopened then 1 else 0 end) as reopened_ticket_count,
        cast({{ rwh_round("avg(csat_score)", 2) }} as decimal(9, 2)) as average_ticket_csat
    from ticket_rows
    group by 1, 2, 3

),

onboarding_totals as (

    select
        fiscal_quarter_start_date,
        segment_type,
        segment_value,
        count(*) as onboarding_count,
        sum(case when is_completed then 1 else 0 end) as onboarding_completed_count,
        cast({{ rwh_round("avg(days_to_first_login)", 2) }} as decimal(9, 2)) as average_days_to_first_login,
        cast({{ rwh_round("avg(days_to_onboarding_completed)", 2) }} as decimal(9, 2))
            as average_days_to_onboarding_completed,
        cast({{ rwh_round("avg(days_to_first_value)", 2) }} as decimal(9, 2)) as average_time_to_value_days
    from onboarding_rows
    group by 1, 2, 3

),

experience as (

    select
        {{ dbt.concat(['cast(grid.fiscal_quarter_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
            'grid.segment_value']) }}
            as customer_experience_id,
        'fiscal_quarter' as period_type,
        grid.fiscal_quarter_start_date as period_start_date,
        grid.fiscal_quarter_label as period_label,
        grid.segment_type,
        grid.segment_value,
        grid.segment_type = 'all' as is_rollup,
        coalesce(survey_totals.nps_response_count, 0) as nps_response_count,
        coalesce(survey_totals.promoter_count, 0) as promoter_count,
        coalesce(survey_totals.detractor_count, 0) as detractor_count,
        {{ rwh_ratio('survey_totals.promoter_count - survey_totals.detractor_count',
            'survey_totals.nps_response_count') }}
            as nps,
        coalesce(survey_totals.csat_response_count, 0) as csat_response_count,
        survey_totals.average_csat,
        {{ rwh_ratio('survey_totals.csat_satisfied_count', 'survey_totals.csat_response_count') }}
            as csat_satisfied_share,
        coalesce(survey_totals.ces_response_count, 0) as ces_response_count,
        survey_totals.average_ces,
        coalesce(ticket_totals.ticket_count, 0) as ticket_count,
        ticket_totals.average_first_response_hours,
        {{ rwh_ratio('ticket_totals.answered_within_4_hours_count', 'ticket_totals.answered_ticket_count') }}
            as answered_within_4_hours_share,
        ticket_totals.average_resolution_hours,
        {{ rwh_ratio('ticket_totals.resolved_within_24_hours_count', 'ticket_totals.resolved_ticket_count') }}
            as resolved_within_24_hours_share,
        {{ rwh_ratio('ticket_totals.escalated_ticket_count', 'ticket_totals.ticket_count') }} as ticket_escalation_rate,
        {{ rwh_ratio('ticket_totals.reopened_ticket_count', 'ticket_totals.ticket_count') }} as ticket_reopen_rate,
        ticket_totals.average_ticket_csat,
        coalesce(onboarding_totals.onboarding_count, 0) as onboarding_count,
        coalesce(onboarding_totals.onboarding_completed_count, 0) as onboarding_completed_count,
        {{ rwh_ratio('onboarding_totals.onboarding_completed_count', 'onboarding_totals.onboarding_count') }}
            as onboarding_completion_rate,
        onboarding_totals.average_days_to_first_login,
        onboarding_totals.average_days_to_onboarding_completed,
        onboarding_totals.average_time_to_value_days,
        benchmarks.lower_bound as segment_time_to_value_benchmark_low,
        benchmarks.upper_bound as segment_time_to_value_benchmark_high
    from grid
    left join survey_totals
        on
            grid.fiscal_quarter_start_date = survey_totals.fiscal_quarter_start_date
            and grid.segment_type = survey_totals.segment_type
            and grid.segment_value = survey_totals.segment_value
    left join ticket_totals
        on
            grid.fiscal_quarter_start_date = ticket_totals.fiscal_quarter_start_date
            and grid.segment_type = ticket_totals.segment_type
            and grid.segment_value = ticket_totals.segment_value
    left join onboarding_totals
        on
            grid.fiscal_quarter_start_date = onboarding_totals.fiscal_quarter_start_date
            and grid.segment_type = onboarding_totals.segment_type
            and grid.segment_value = onboarding_totals.segment_value
    left join benchmarks
        on grid.segment_type = 'size' and grid.segment_value = benchmarks.segment

),

final as (

    select
        experience.*,
        nps_bands.band as nps_band,
        csat_bands.band as csat_band,
        ces_bands.band as ces_band,
        escalation_bands.band as ticket_escalation_band
    from experience
    left join bands as nps_bands
        on {{ rwh_band_join('nps_bands', 'nps', 'experience.nps') }}
    left join bands as csat_bands
        on {{ rwh_band_join('csat_bands', 'csat_5', 'experience.average_csat') }}
    left join bands as ces_bands
        on {{ rwh_band_join('ces_bands', 'ces', 'experience.average_ces') }}
    left join bands as escalation_bands
        on {{ rwh_band_join('escalation_bands', 'ticket_escalation', 'experience.ticket_escalation_rate') }}

)

{{ rwh_contract_select('final') }}
