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
    Computed in int_forecast_accuracy (csm_forecast_bias and the CSM models read it there); this mart
    publishes it under its contract.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with forecasts as (

    select * from {{ ref('int_forecast_accuracy') }}

)

{{ rwh_contract_select('forecasts') }}
