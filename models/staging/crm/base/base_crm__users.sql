with source as (

    select * from {{ rwh_raw('crm', 'users') }}

),

typed as (

    select
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        {{ rwh_pii_hash('cast(full_name as ' ~ dbt.type_string() ~ ')') }} as full_name_hash,
        {{ rwh_pii_hash('cast(email as ' ~ dbt.type_string() ~ ')') }} as email_hash,
        lower(trim(cast(role as {{ dbt.type_string() }}))) as role,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(hired_date as date) as hired_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'users') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.user_id is null then 'null_key'
            when {{ rwh_not_accepted('crm', 'users', 'role', 'typed.role') }} then 'invalid_enum'
            when cast(typed.hired_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['user_id']) }}
