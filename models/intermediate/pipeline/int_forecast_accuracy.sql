{#-
    Forecast accuracy, bias and evolution (docs/metrics.md section 5). One row per weekly forecast submission of a
    CSM for a fiscal quarter, per week for the team (csm_user_id 'team'), and one team row per horizon: the
    forecast renewed ARR, the actual renewed ARR of the renewals due in that quarter that the CSM owned at
    T-90 (gross basis: renewed ARR capped at expiring ARR), accuracy = actual / forecast, bias = forecast /
    actual - 1 (over-forecast positive, sandbagging negative).

    Horizons. Each CSM's submission nearest the quarter start is labelled quarter_start, the one nearest 30
    days before its end thirty_days_before_end, the others in_quarter. A submission made after its quarter
    ended is not a forecast: it is listed (after_quarter_end, is_submitted_after_quarter_end) with no
    accuracy or bias, and is part of no team row and of no horizon.

    The team. A team row at a horizon is made of exactly the CSMs' submissions at that horizon (their
    forecasts against the actuals of those same CSMs), dated by the last of them (id team|quarter|horizon).
    The team row of a week (id team|quarter|Monday, in_quarter: the forecast evolution) takes the last
    forecast of that week of each CSM who submitted. Beside every team row, the CSMs owning renewals of the
    quarter who have no submission in it are listed (non_submitting_*), never mixed into one side only.
    A zero forecast or zero actual has no rate and is flagged; a quarter with renewals still pending is not
    final (is_actual_final).
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}
{%- set quarter_end_date = dbt.dateadd('day', -1, dbt.dateadd('month', 3,
    'csm_forecasts.fiscal_quarter_start_date')) -%}

with submissions as (

    select * from {{ ref('stg_crm__forecast_submissions') }}

),

events as (

    select * from {{ ref('int_renewal_events') }}

),

process as (

    select * from {{ ref('int_renewal_process_facts') }}

),

actuals_by_csm as (

    select
        {{ rwh_fiscal_quarter_start('events.end_date') }} as fiscal_quarter_start_date,
        process.csm_user_id_at_t90 as csm_user_id,
        sum(events.renewed_arr) as actual_renewed_arr,
        sum(case when events.outcome = 'pending' then 1 else 0 end) as pending_count
    from events
    inner join process
        on events.renewal_event_id = process.renewal_event_id
    where process.csm_user_id_at_t90 is not null
    group by 1, 2

),

csm_forecasts as (

    select
        user_id as csm_user_id,
        period_start_date as fiscal_quarter_start_date,
        submitted_date,
        sum(forecast_renewed_arr_reporting) as forecast_renewed_arr
    from submissions
    group by 1, 2, 3

),

-- Each CSM's own horizons, among the submissions made before the quarter ended.
csm_horizons as (

    select
        csm_forecasts.*,
        -- noqa: disable=LT05
        {{ dbt.datediff('csm_forecasts.submitted_date', quarter_end_date, 'day') }} as days_before_quarter_end,
        {{ dbt.datediff('csm_forecasts.submitted_date', quarter_end_date, 'day') }} < 0 as is_late
        -- noqa: enable=LT05
    from csm_forecasts

),

csm_ranked as (

    select
        csm_horizons.*,
        row_number() over (
            partition by csm_horizons.csm_user_id, csm_horizons.fiscal_quarter_start_date, csm_horizons.is_late
            order by
                abs({{ dbt.datediff('csm_horizons.fiscal_quarter_start_date', 'csm_horizons.submitted_date', 'day') }}),
                csm_horizons.submitted_date
        ) as quarter_start_rank,
        row_number() over (
            partition by csm_horizons.csm_user_id, csm_horizons.fiscal_quarter_start_date, csm_horizons.is_late
            order by abs(csm_horizons.days_before_quarter_end - 30), csm_horizons.submitted_date
        ) as thirty_days_rank
    from csm_horizons

),

csm_rows as (

    select
        csm_ranked.csm_user_id,
        csm_ranked.fiscal_quarter_start_date,
        csm_ranked.submitted_date,
        cast(csm_ranked.submitted_date as {{ dbt.type_string() }}) as row_key,
        case
            when csm_ranked.is_late then 'after_quarter_end'
            when csm_ranked.quarter_start_rank = 1 then 'quarter_start'
            when csm_ranked.thirty_days_rank = 1 then 'thirty_days_before_end'
            else 'in_quarter'
        end as horizon,
        csm_ranked.is_late,
        csm_ranked.forecast_renewed_arr
    from csm_ranked

),

-- The team row of a week: each CSM's last submission of that week, made before the quarter ended.
csm_weeks as (

    select
        csm_rows.*,
        cast({{ dbt.date_trunc('week', 'csm_rows.submitted_date') }} as date) as submitted_week_date,
        row_number() over (
            partition by
                csm_rows.csm_user_id,
                csm_rows.fiscal_quarter_start_date,
                {{ dbt.date_trunc('week', 'csm_rows.submitted_date') }}
            order by csm_rows.submitted_date desc
        ) as submission_in_week_rank
    from csm_rows
    where not csm_rows.is_late

),

team_members as (

    select
        csm_weeks.csm_user_id,
        csm_weeks.fiscal_quarter_start_date,
        cast(csm_weeks.submitted_week_date as {{ dbt.type_string() }}) as row_key,
        csm_weeks.submitted_week_date as submitted_date,
        'in_quarter' as horizon,
        csm_weeks.forecast_renewed_arr
    from csm_weeks
    where csm_weeks.submission_in_week_rank = 1
    union all
    -- The team row of a horizon: each CSM's submission at that horizon, dated by the last of them.
    select
        csm_rows.csm_user_id,
        csm_rows.fiscal_quarter_start_date,
        csm_rows.horizon as row_key,
        max(csm_rows.submitted_date) over (
            partition by csm_rows.fiscal_quarter_start_date, csm_rows.horizon
        ) as submitted_date,
        csm_rows.horizon,
        csm_rows.forecast_renewed_arr
    from csm_rows
    where csm_rows.horizon in ('quarter_start', 'thirty_days_before_end')

),

team_rows as (

    select
        'team' as csm_user_id,
        team_members.fiscal_quarter_start_date,
        team_members.row_key,
        team_members.submitted_date,
        team_members.horizon,
        sum(team_members.forecast_renewed_arr) as forecast_renewed_arr,
        sum(coalesce(actuals_by_csm.actual_renewed_arr, 0)) as actual_renewed_arr,
        sum(coalesce(actuals_by_csm.pending_count, 0)) as pending_count
    from team_members
    left join actuals_by_csm
        on
            team_members.csm_user_id = actuals_by_csm.csm_user_id
            and team_members.fiscal_quarter_start_date = actuals_by_csm.fiscal_quarter_start_date
    group by 1, 2, 3, 4, 5

),

-- CSMs owning renewals of the quarter who are not in a team row: listed beside it.
non_submitters as (

    select
        team_rows.fiscal_quarter_start_date,
        team_rows.row_key,
        count(*) as non_submitting_csm_count,
        sum(actuals_by_csm.actual_renewed_arr) as non_submitting_actual_renewed_arr,
        {{ dbt.listagg('actuals_by_csm.csm_user_id', "','", 'order by actuals_by_csm.csm_user_id') }}
            as non_submitting_csm_user_ids
    from team_rows
    inner join actuals_by_csm
        on team_rows.fiscal_quarter_start_date = actuals_by_csm.fiscal_quarter_start_date
    left join team_members
        on
            actuals_by_csm.csm_user_id = team_members.csm_user_id
            and team_rows.fiscal_quarter_start_date = team_members.fiscal_quarter_start_date
            and team_rows.row_key = team_members.row_key
    where team_members.csm_user_id is null
    group by 1, 2

),

forecasts as (

    select
        csm_rows.csm_user_id,
        csm_rows.fiscal_quarter_start_date,
        csm_rows.row_key,
        csm_rows.submitted_date,
        csm_rows.horizon,
        csm_rows.is_late,
        csm_rows.forecast_renewed_arr,
        coalesce(actuals_by_csm.actual_renewed_arr, 0) as actual_renewed_arr,
        coalesce(actuals_by_csm.pending_count, 0) as pending_count
    from csm_rows
    left join actuals_by_csm
        on
            csm_rows.csm_user_id = actuals_by_csm.csm_user_id
            and csm_rows.fiscal_quarter_start_date = actuals_by_csm.fiscal_quarter_start_date
    union all
    select
        team_rows.csm_user_id,
        team_rows.fiscal_quarter_start_date,
        team_rows.row_key,
        team_rows.submitted_date,
        team_rows.horizon,
        false as is_late,
        team_rows.forecast_renewed_arr,
        team_rows.actual_renewed_arr,
        team_rows.pending_count
    from team_rows

),

measured as (

    select
        forecasts.*,
        {{ dbt.datediff('forecasts.submitted_date',
                        dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'forecasts.fiscal_quarter_start_date')),
                        'day') }} as days_before_quarter_end
    from forecasts

)

select
    {{ dbt.concat([
        'measured.csm_user_id', "'|'", 'cast(measured.fiscal_quarter_start_date as ' ~ dbt.type_string() ~ ')',
        "'|'", 'measured.row_key'
    ]) }} as forecast_accuracy_id,
    measured.csm_user_id,
    measured.csm_user_id = 'team' as is_team,
    'fiscal_quarter' as period_type,
    measured.fiscal_quarter_start_date as period_start_date,
    {{ rwh_fiscal_quarter_label('measured.fiscal_quarter_start_date') }} as period_label,
    'all' as segment_type,
    'all' as segment_value,
    measured.csm_user_id = 'team' as is_rollup,
    measured.submitted_date,
    measured.days_before_quarter_end,
    cast(floor(measured.days_before_quarter_end / 7.0) as {{ dbt.type_int() }}) as weeks_before_quarter_end,
    measured.horizon,
    measured.is_late as is_submitted_after_quarter_end,
    cast(measured.forecast_renewed_arr as {{ rwh_money_type() }}) as forecast_renewed_arr,
    cast(measured.actual_renewed_arr as {{ rwh_money_type() }}) as actual_renewed_arr,
    measured.pending_count = 0 as is_actual_final,
    measured.forecast_renewed_arr = 0 as is_forecast_zero,
    measured.actual_renewed_arr = 0 as is_actual_zero,
    -- a late submission is not a forecast: no denominator, so no rate
    {{ rwh_ratio('measured.actual_renewed_arr',
                 'case when not measured.is_late then measured.forecast_renewed_arr end') }} as forecast_accuracy_rate,
    {{ rwh_ratio('measured.forecast_renewed_arr - measured.actual_renewed_arr',
                 'case when not measured.is_late then measured.actual_renewed_arr end') }} as forecast_bias_rate,
    case when measured.csm_user_id = 'team' then coalesce(non_submitters.non_submitting_csm_count, 0) end
        as non_submitting_csm_count,
    cast(
        case when measured.csm_user_id = 'team' then coalesce(non_submitters.non_submitting_actual_renewed_arr, 0) end
        as {{ rwh_money_type() }}
    ) as non_submitting_actual_renewed_arr,
    non_submitters.non_submitting_csm_user_ids
from measured
left join non_submitters
    on
        measured.csm_user_id = 'team'
        and measured.fiscal_quarter_start_date = non_submitters.fiscal_quarter_start_date
        and measured.row_key = non_submitters.row_key
