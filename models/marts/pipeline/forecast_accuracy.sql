{#-
    Forecast accuracy, bias and evolution (METRICS.md section 5). One row per weekly forecast submission of a
    CSM (and per week for the team, csm_user_id = 'team') for a fiscal quarter: the forecast renewed ARR, the
    actual renewed ARR of the renewals due in that quarter that the CSM owned at T-90 (gross basis: renewed
    ARR capped at expiring ARR), accuracy = actual / forecast, bias = forecast / actual - 1 (over-forecast
    positive, sandbagging negative), and the horizon: weeks before the quarter end, with the submissions
    nearest the quarter start and 30 days before its end labelled. A zero forecast or zero actual has no rate
    and is flagged; a quarter with renewals still pending is not final (is_actual_final).
-#}
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

actuals as (

    select * from actuals_by_csm
    union all
    select
        fiscal_quarter_start_date,
        'team' as csm_user_id,
        sum(actual_renewed_arr) as actual_renewed_arr,
        sum(pending_count) as pending_count
    from actuals_by_csm
    group by 1, 2

),

forecasts as (

    select
        user_id as csm_user_id,
        period_start_date as fiscal_quarter_start_date,
        submitted_date,
        sum(forecast_renewed_arr_reporting) as forecast_renewed_arr
    from submissions
    group by 1, 2, 3
    union all
    select
        'team' as csm_user_id,
        period_start_date as fiscal_quarter_start_date,
        cast({{ dbt.date_trunc('week', 'submitted_date') }} as date) as submitted_date,
        sum(forecast_renewed_arr_reporting) as forecast_renewed_arr
    from submissions
    group by 1, 2, 3

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
    ranked.fiscal_quarter_start_date,
    {{ rwh_fiscal_quarter_label('ranked.fiscal_quarter_start_date') }} as fiscal_quarter_label,
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
    cast(coalesce(actuals.actual_renewed_arr, 0) as {{ rwh_money_type() }}) as actual_renewed_arr,
    coalesce(actuals.pending_count, 0) = 0 as is_actual_final,
    ranked.forecast_renewed_arr = 0 as is_forecast_zero,
    coalesce(actuals.actual_renewed_arr, 0) = 0 as is_actual_zero,
    {{ rwh_ratio('coalesce(actuals.actual_renewed_arr, 0)', 'ranked.forecast_renewed_arr') }} as forecast_accuracy_rate,
    {{ rwh_ratio('ranked.forecast_renewed_arr - coalesce(actuals.actual_renewed_arr, 0)',
                 'coalesce(actuals.actual_renewed_arr, 0)') }} as forecast_bias_rate
from ranked
left join actuals
    on
        ranked.csm_user_id = actuals.csm_user_id
        and ranked.fiscal_quarter_start_date = actuals.fiscal_quarter_start_date
