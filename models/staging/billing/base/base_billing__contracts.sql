with source as (

    select * from {{ rwh_raw('billing', 'contracts') }}

),

typed as (

    select
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(predecessor_contract_id as {{ dbt.type_string() }}) as predecessor_contract_id,
        cast(amends_contract_id as {{ dbt.type_string() }}) as amends_contract_id,
        lower(trim(cast(contract_type as {{ dbt.type_string() }}))) as contract_type,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,
        cast(term_months as {{ dbt.type_int() }}) as term_months,
        cast(signed_date as date) as signed_date,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('billing', 'contracts') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.contract_id is null then 'null_key'
            when
                {{ rwh_not_accepted('billing', 'contracts', 'contract_type', 'typed.contract_type') }}
                then 'invalid_enum'
            when
                typed.currency is null
                or {{ rwh_not_accepted('billing', 'contracts', 'currency', 'typed.currency') }}
                then 'unknown_currency'
            when typed.start_date is null or typed.signed_date is null then 'null_date'
            when typed.end_date < typed.start_date then 'invalid_date_range'
            when typed.term_months < 1 or typed.term_months > 120 then 'out_of_range'
            when cast(typed.signed_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['contract_id']) }}
