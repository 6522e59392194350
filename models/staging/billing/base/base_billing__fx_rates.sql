with source as (

    select * from {{ source('billing', 'fx_rates') }}

),

typed as (

    select
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,
        cast(rate_date as date) as rate_date,
        cast(usd_per_unit as decimal(18, 8)) as usd_per_unit,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('billing', 'fx_rates') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.currency is null or typed.rate_date is null then 'null_key'
            when {{ rwh_not_accepted('billing', 'fx_rates', 'currency', 'typed.currency') }} then 'unknown_currency'
            when typed.usd_per_unit is null or typed.usd_per_unit <= 0 then 'out_of_range'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['currency', 'rate_date']) }}
