with source as (

    select * from {{ source('crm', 'forecast_submissions') }}

),

typed as (

    select
        cast(submission_id as {{ dbt.type_string() }}) as submission_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,
        cast(forecast_renewed_arr_amount as {{ rwh_major_amount_type() }}) as forecast_renewed_arr_amount,
        cast(forecast_expansion_arr_amount as {{ rwh_major_amount_type() }}) as forecast_expansion_arr_amount,
        cast(submitted_date as date) as submitted_date,
        cast(period_start_date as date) as period_start_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'forecast_submissions') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.submission_id is null then 'null_key'
            when
                typed.currency is null
                or {{ rwh_not_accepted('crm', 'forecast_submissions', 'currency', 'typed.currency') }}
                then 'unknown_currency'
            when typed.forecast_renewed_arr_amount < 0 or typed.forecast_expansion_arr_amount < 0 then 'negative_amount'
            when typed.submitted_date is null or typed.period_start_date is null then 'null_date'
            when cast(typed.submitted_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['submission_id']) }}
