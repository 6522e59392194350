{#- Forecasts are converted at the rate of their submission date. -#}
with submissions as (

    select base.*
    from {{ ref('base_crm__forecast_submissions') }} as base
    left join {{ ref('integrity_crm__forecast_submissions') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

staged as (

    select
        submissions.submission_id,
        submissions.user_id,
        submissions.submitted_date,
        submissions.period_start_date,
        submissions.currency,
        submissions.forecast_renewed_arr_amount as forecast_renewed_arr,
        submissions.forecast_expansion_arr_amount as forecast_expansion_arr,
        {{ rwh_to_reporting('submissions.forecast_renewed_arr_amount', 'row_fx', 'reporting_fx') }}
            as forecast_renewed_arr_reporting,
        {{ rwh_to_reporting('submissions.forecast_expansion_arr_amount', 'row_fx', 'reporting_fx') }}
            as forecast_expansion_arr_reporting,
        submissions._loaded_at
    from submissions
    left join fx_rates as row_fx
        on {{ rwh_fx_rate_on('row_fx', 'submissions.currency', 'submissions.submitted_date') }}
    left join fx_rates as reporting_fx
        on {{ rwh_fx_rate_on('reporting_fx', "'" ~ var('reporting_currency') ~ "'", 'submissions.submitted_date') }}

)

select * from staged
