{#-
    Forecast bias per CSM (docs/metrics.md section 5). One row per CSM (and the team): over the quarters whose
    renewals are all decided, the bias and accuracy of the forecasts submitted nearest the quarter start and
    nearest 30 days before the quarter end, the bias of every weekly forecast, and a reading from it:
    optimist (bias above +10 %), sandbagger (below -10 %) or calibrated. Forecasts are taken together, each
    weighing its ARR: bias = Σ forecast / Σ actual - 1 (the actual-weighted mean of their bias rates),
    accuracy = Σ actual / Σ forecast. A plain mean of the rates would let one quarter with a small actual
    (+100 % on $50K) outweigh the rest. A submission made after its quarter ended is not a forecast: it is
    counted as late (late_submission_count) and in neither bias nor accuracy. The team's horizons are its
    horizon rows (each CSM's submission at that horizon), its mean its week rows (int_forecast_accuracy).
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with forecasts as (

    select * from {{ ref('int_forecast_accuracy') }}
    where
        is_actual_final and not is_actual_zero and not is_forecast_zero
        and not is_submitted_after_quarter_end

),

late as (

    select
        csm_user_id,
        count(*) as late_submission_count
    from {{ ref('int_forecast_accuracy') }}
    where is_submitted_after_quarter_end and csm_user_id != 'team'
    group by 1
    union all
    select
        'team' as csm_user_id,
        count(*) as late_submission_count
    from {{ ref('int_forecast_accuracy') }}
    where is_submitted_after_quarter_end and csm_user_id != 'team'

),

sums as (

    select
        csm_user_id,
        count(distinct period_start_date) as quarter_count,
        sum(case when horizon = 'quarter_start' then forecast_renewed_arr end) as quarter_start_forecast_arr,
        sum(case when horizon = 'quarter_start' then actual_renewed_arr end) as quarter_start_actual_arr,
        sum(case when horizon = 'thirty_days_before_end' then forecast_renewed_arr end) as thirty_days_forecast_arr,
        sum(case when horizon = 'thirty_days_before_end' then actual_renewed_arr end) as thirty_days_actual_arr,
        -- every forecast of a CSM; the team's week rows (its horizon rows repeat them)
        sum(case when csm_user_id != 'team' or horizon = 'in_quarter' then forecast_renewed_arr end) as forecast_arr,
        sum(case when csm_user_id != 'team' or horizon = 'in_quarter' then actual_renewed_arr end) as actual_arr
    from forecasts
    group by 1

),

per_csm as (

    select
        csm_user_id,
        quarter_count,
        {{ rwh_ratio('quarter_start_forecast_arr - quarter_start_actual_arr', 'quarter_start_actual_arr') }}
            as quarter_start_mean_bias_rate,
        {{ rwh_ratio('thirty_days_forecast_arr - thirty_days_actual_arr', 'thirty_days_actual_arr') }}
            as thirty_days_before_end_mean_bias_rate,
        {{ rwh_ratio('quarter_start_actual_arr', 'quarter_start_forecast_arr') }} as quarter_start_mean_accuracy_rate,
        {{ rwh_ratio('thirty_days_actual_arr', 'thirty_days_forecast_arr') }}
            as thirty_days_before_end_mean_accuracy_rate,
        {{ rwh_ratio('forecast_arr - actual_arr', 'actual_arr') }} as mean_bias_rate
    from sums

),

final as (

    select
        per_csm.csm_user_id,
        'all_time' as period_type,
        cast(null as date) as period_start_date,
        'all' as period_label,
        'all' as segment_type,
        'all' as segment_value,
        per_csm.csm_user_id = 'team' as is_rollup,
        per_csm.quarter_count,
        per_csm.quarter_start_mean_bias_rate,
        per_csm.thirty_days_before_end_mean_bias_rate,
        per_csm.quarter_start_mean_accuracy_rate,
        per_csm.thirty_days_before_end_mean_accuracy_rate,
        per_csm.mean_bias_rate,
        case
            when per_csm.mean_bias_rate > 0.10 then 'optimist'
            when per_csm.mean_bias_rate < -0.10 then 'sandbagger'
            else 'calibrated'
        end as forecast_bias_reading,
        coalesce(late.late_submission_count, 0) as late_submission_count
    from per_csm
    left join late
        on per_csm.csm_user_id = late.csm_user_id

)

{{ rwh_contract_select('final') }}
