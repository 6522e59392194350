{#-
    Forecast accuracy, bias and evolution (docs/metrics.md section 5): the rows of int_forecast_accuracy, where
    the logic and its description live (csm_forecast_bias and the CSM models read it there), published under
    this mart's contract; and, with every source system, the renewal likelihood model's forecast at the
    quarter start and 30 days before the quarter end (csm_user_id 'model', is_model; int_renewal_model_forecasts),
    judged by the same rule: actual / forecast renewed ARR, gross basis.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}
{%- set has_model = rwh_has_systems(['billing', 'crm', 'product', 'support', 'cs_platform']) -%}

with forecasts as (

    select
        *,
        false as is_model
    from {{ ref('int_forecast_accuracy') }}
    {%- if has_model %}
        union all
        select
            {{ dbt.concat([
                "'model|'", 'cast(fiscal_quarter_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
                'cast(forecast_date as ' ~ dbt.type_string() ~ ')'
            ]) }} as forecast_accuracy_id,
            'model' as csm_user_id,
            false as is_team,
            'fiscal_quarter' as period_type,
            fiscal_quarter_start_date as period_start_date,
            {{ rwh_fiscal_quarter_label('fiscal_quarter_start_date') }} as period_label,
            'all' as segment_type,
            'all' as segment_value,
            true as is_rollup,
            forecast_date as submitted_date,
            -- noqa: disable=LT05
            {{ dbt.datediff('forecast_date', 'fiscal_quarter_end_date', 'day') }} as days_before_quarter_end,
            cast(
                floor({{ dbt.datediff('forecast_date', 'fiscal_quarter_end_date', 'day') }} / 7.0)
                as {{ dbt.type_int() }}
            ) as weeks_before_quarter_end,
            -- noqa: enable=LT05
            horizon,
            false as is_submitted_after_quarter_end,
            forecast_renewed_arr,
            actual_renewed_arr,
            pending_count = 0 as is_actual_final,
            forecast_renewed_arr = 0 as is_forecast_zero,
            actual_renewed_arr = 0 as is_actual_zero,
            {{ rwh_ratio('actual_renewed_arr', 'forecast_renewed_arr') }} as forecast_accuracy_rate,
            {{ rwh_ratio('forecast_renewed_arr - actual_renewed_arr', 'actual_renewed_arr') }} as forecast_bias_rate,
            cast(null as {{ dbt.type_bigint() }}) as non_submitting_csm_count,
            cast(null as {{ rwh_money_type() }}) as non_submitting_actual_renewed_arr,
            cast(null as {{ dbt.type_string() }}) as non_submitting_csm_user_ids,
            true as is_model
        from {{ ref('int_renewal_model_forecasts') }}
    {%- endif %}

)

{{ rwh_contract_select('forecasts') }}
