with source as (

    select * from {{ source('crm', 'renewal_targets') }}

),

typed as (

    select
        lower(trim(cast(segment as {{ dbt.type_string() }}))) as segment,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,
        cast(target_arr_amount as {{ rwh_major_amount_type() }}) as target_arr_amount,
        cast(period_start_date as date) as period_start_date,
        cast(period_end_date as date) as period_end_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'renewal_targets') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.period_start_date is null or typed.segment is null then 'null_key'
            when {{ rwh_not_accepted('crm', 'renewal_targets', 'segment', 'typed.segment') }} then 'invalid_enum'
            when
                typed.currency is null
                or {{ rwh_not_accepted('crm', 'renewal_targets', 'currency', 'typed.currency') }}
                then 'unknown_currency'
            when
                typed.period_end_date is null
                or typed.period_end_date < typed.period_start_date
                then 'invalid_date_range'
            when typed.target_arr_amount < 0 then 'negative_amount'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['period_start_date', 'segment']) }}
