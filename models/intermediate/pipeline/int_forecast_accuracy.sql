{#-
    Forecast accuracy, bias and evolution (METRICS.md section 5). One row per weekly forecast submission of a
    CSM (and per week for the team, csm_user_id = 'team') for a fiscal quarter: the forecast renewed ARR, the
    actual renewed ARR of the renewals due in that quarter that the CSM owned at T-90 (gross basis: renewed
    ARR capped at expiring ARR), accuracy = actual / forecast, bias = forecast / actual - 1 (over-forecast
    positive, sandbagging negative), and the horizon: weeks before the quarter end, with the submissions
    nearest the quarter start and 30 days before its end labelled. A zero forecast or zero actual has no rate
    and is flagged; a quarter with renewals still pending is not final (is_actual_final). The team row of a
    week compares like with like: the last forecast of that week of each CSM who submitted, against the
    actuals of those same CSMs; the CSMs who submitted nothing that week are listed beside it
    (non_submitting_*), never mixed into one side only.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

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

-- The team row of a week (METRICS.md section 5) takes each CSM's last submission of that week, and the
-- actuals of exactly those CSMs: like with like.
team_members as (

    select
        csm_forecasts.*,
        cast({{ dbt.date_trunc('week', 'csm_forecasts.submitted_date') }} as date) as submitted_week_date,
        row_number() over (
            partition by
                csm_forecasts.csm_user_id,
                csm_forecasts.fiscal_quarter_start_date,
                {{ dbt.date_trunc('week', 'csm_forecasts.submitted_date') }}
            order by csm_forecasts.submitted_date desc
        ) as submission_in_week_rank
    from csm_forecasts

),

team_forecasts as (

    select
        'team' as csm_user_id,
        team_members.fiscal_quarter_start_date,
        team_members.submitted_week_date as submitted_date,
        sum(team_members.forecast_renewed_arr) as forecast_renewed_arr,
        sum(coalesce(actuals_by_csm.actual_renewed_arr, 0)) as actual_renewed_arr,
        sum(coalesce(actuals_by_csm.pending_count, 0)) as pending_count
    from team_members
    left join actuals_by_csm
        on
            team_members.csm_user_id = actuals_by_csm.csm_user_id
            and team_members.fiscal_quarter_start_date = actuals_by_csm.fiscal_quarter_start_date
    where team_members.submission_in_week_rank = 1
    group by 1, 2, 3

),

-- CSMs owning renewals of the quarter who submitted nothing that week: listed beside the team row.
non_submitters as (

    select
        team_weeks.fiscal_quarter_start_date,
        team_weeks.submitted_date,
        count(*) as non_submitting_csm_count,
        sum(actuals_by_csm.actual_renewed_arr) as non_submitting_actual_renewed_arr,
        {{ dbt.listagg('actuals_by_csm.csm_user_id', "','", 'order by actuals_by_csm.csm_user_id') }}
            as non_submitting_csm_user_ids
    from team_forecasts as team_weeks
    inner join actuals_by_csm
        on team_weeks.fiscal_quarter_start_date = actuals_by_csm.fiscal_quarter_start_date
    left join team_members
        on
            actuals_by_csm.csm_user_id = team_members.csm_user_id
            and team_weeks.fiscal_quarter_start_date = team_members.fiscal_quarter_start_date
            and team_weeks.submitted_date = team_members.submitted_week_date
    where team_members.csm_user_id is null
    group by 1, 2

),

forecasts as (

    select
        csm_forecasts.csm_user_id,
        csm_forecasts.fiscal_quarter_start_date,
        csm_forecasts.submitted_date,
        csm_forecasts.forecast_renewed_arr,
        coalesce(actuals_by_csm.actual_renewed_arr, 0) as actual_renewed_arr,
        coalesce(actuals_by_csm.pending_count, 0) as pending_count
    from csm_forecasts
    left join actuals_by_csm
        on
            csm_forecasts.csm_user_id = actuals_by_csm.csm_user_id
            and csm_forecasts.fiscal_quarter_start_date = actuals_by_csm.fiscal_quarter_start_date
    union all
    select * from team_forecasts

),

horizons as (

    select
        forecasts.*,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'forecasts.fiscal_quarter_start_date')) }} as date)
            as fiscal_quarter_end_date,
        {{ dbt.datediff('forecasts.submitted_date',
                        dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'forecasts.fiscal_quarter_start_date')),
                        'day') }} as days_before_quarter_end
    from forecasts

),

ranked as (

    select
        horizons.*,
        row_number() over (
            partition by horizons.csm_user_id, horizons.fiscal_quarter_start_date
            order by
                abs({{ dbt.datediff('horizons.fiscal_quarter_start_date', 'horizons.submitted_date', 'day') }}),
                horizons.submitted_date
        ) as quarter_start_rank,
        row_number() over (
            partition by horizons.csm_user_id, horizons.fiscal_quarter_start_date
            order by abs(horizons.days_before_quarter_end - 30), horizons.submitted_date
        ) as thirty_days_rank
    from horizons

)

select
    {{ dbt.concat([
        'ranked.csm_user_id', "'|'", 'cast(ranked.fiscal_quarter_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
        'cast(ranked.submitted_date as ' ~ dbt.type_string() ~ ')'
    ]) }} as forecast_accuracy_id,
    ranked.csm_user_id,
    ranked.csm_user_id = 'team' as is_team,
    'fiscal_quarter' as period_type,
    ranked.fiscal_quarter_start_date as period_start_date,
    {{ rwh_fiscal_quarter_label('ranked.fiscal_quarter_start_date') }} as period_label,
    'all' as segment_type,
    'all' as segment_value,
    ranked.csm_user_id = 'team' as is_rollup,
    ranked.submitted_date,
    ranked.days_before_quarter_end,
    cast(floor(ranked.days_before_quarter_end / 7.0) as {{ dbt.type_int() }}) as weeks_before_quarter_end,
    case
        when ranked.days_before_quarter_end < 0 then 'after_quarter_end'
        when ranked.quarter_start_rank = 1 then 'quarter_start'
        when ranked.thirty_days_rank = 1 then 'thirty_days_before_end'
        else 'in_quarter'
    end as horizon,
    ranked.days_before_quarter_end < 0 as is_submitted_after_quarter_end,
    cast(ranked.forecast_renewed_arr as {{ rwh_money_type() }}) as forecast_renewed_arr,
    cast(ranked.actual_renewed_arr as {{ rwh_money_type() }}) as actual_renewed_arr,
    ranked.pending_count = 0 as is_actual_final,
    ranked.forecast_renewed_arr = 0 as is_forecast_zero,
    ranked.actual_renewed_arr = 0 as is_actual_zero,
    {{ rwh_ratio('ranked.actual_renewed_arr', 'ranked.forecast_renewed_arr') }} as forecast_accuracy_rate,
    {{ rwh_ratio('ranked.forecast_renewed_arr - ranked.actual_renewed_arr', 'ranked.actual_renewed_arr') }}
        as forecast_bias_rate,
    case when ranked.csm_user_id = 'team' then coalesce(non_submitters.non_submitting_csm_count, 0) end
        as non_submitting_csm_count,
    cast(
        case when ranked.csm_user_id = 'team' then coalesce(non_submitters.non_submitting_actual_renewed_arr, 0) end
        as {{ rwh_money_type() }}
    ) as non_submitting_actual_renewed_arr,
    non_submitters.non_submitting_csm_user_ids
from ranked
left join non_submitters
    on
        ranked.csm_user_id = 'team'
        and ranked.fiscal_quarter_start_date = non_submitters.fiscal_quarter_start_date
        and ranked.submitted_date = non_submitters.submitted_date
