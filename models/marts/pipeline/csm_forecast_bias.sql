{#-
    Forecast bias per CSM (METRICS.md section 5). One row per CSM (and the team): over the quarters whose
    renewals are all decided, the mean bias of the forecast submitted nearest the quarter start and nearest
    30 days before the quarter end, the mean accuracy at those horizons, and a reading: optimist (mean bias
    above +10 %), sandbagger (below -10 %) or calibrated.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with forecasts as (

    select * from {{ ref('int_forecast_accuracy') }}
    where is_actual_final and not is_actual_zero and not is_forecast_zero

),

per_csm as (

    select
        csm_user_id,
        count(distinct period_start_date) as quarter_count,
        cast({{ rwh_round("avg(case when horizon = 'quarter_start' then forecast_bias_rate end)", 6) }} as decimal(18, 6))
            as quarter_start_mean_bias_rate,
        cast({{ rwh_round("avg(case when horizon = 'thirty_days_before_end' then forecast_bias_rate end)", 6) }} as decimal(18, 6))
            as thirty_days_before_end_mean_bias_rate,
        cast({{ rwh_round("avg(case when horizon = 'quarter_start' then forecast_accuracy_rate end)", 6) }} as decimal(18, 6))
            as quarter_start_mean_accuracy_rate,
        cast({{ rwh_round("avg(case when horizon = 'thirty_days_before_end' then forecast_accuracy_rate end)", 6) }} as decimal(18, 6))
            as thirty_days_before_end_mean_accuracy_rate,
        cast({{ rwh_round("avg(forecast_bias_rate)", 6) }} as decimal(18, 6)) as mean_bias_rate
    from forecasts
    group by 1

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
        end as forecast_bias_reading
    from per_csm

)

{{ rwh_contract_select('final') }}
