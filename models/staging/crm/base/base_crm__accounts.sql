with source as (

    select * from {{ rwh_raw('crm', 'accounts') }}

),

typed as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(parent_account_id as {{ dbt.type_string() }}) as parent_account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        lower(trim(cast(industry as {{ dbt.type_string() }}))) as industry,
        lower(trim(cast(region as {{ dbt.type_string() }}))) as region,
        lower(trim(cast(acquisition_source as {{ dbt.type_string() }}))) as acquisition_source,
        cast(employee_count as {{ dbt.type_int() }}) as employee_count,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'accounts') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.account_id is null then 'null_key'
            when {{ rwh_not_accepted('crm', 'accounts', 'industry', 'typed.industry') }} then 'invalid_enum'
            when {{ rwh_not_accepted('crm', 'accounts', 'region', 'typed.region') }} then 'invalid_enum'
            when
                {{ rwh_not_accepted('crm', 'accounts', 'acquisition_source', 'typed.acquisition_source') }}
                then 'invalid_enum'
            when typed.employee_count < 1 then 'out_of_range'
            when typed.created_at > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['account_id']) }}
