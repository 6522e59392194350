with source as (

    select * from {{ rwh_raw('crm', 'account_ownership') }}

),

typed as (

    select
        cast(ownership_id as {{ dbt.type_string() }}) as ownership_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(owner_user_id as {{ dbt.type_string() }}) as owner_user_id,
        cast(valid_from as date) as valid_from_date,
        cast(valid_to as date) as valid_to_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'account_ownership') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.ownership_id is null then 'null_key'
            when typed.valid_from_date is null then 'null_date'
            when typed.valid_to_date < typed.valid_from_date then 'invalid_date_range'
            when cast(typed.valid_from_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['ownership_id']) }}
