with source as (

    select * from {{ source('crm', 'activities') }}

),

typed as (

    select
        cast(activity_id as {{ dbt.type_string() }}) as activity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        lower(trim(cast(activity_type as {{ dbt.type_string() }}))) as activity_type,
        lower(trim(cast(direction as {{ dbt.type_string() }}))) as direction,
        cast(is_proactive as {{ dbt.type_boolean() }}) as is_proactive,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'activities') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.activity_id is null then 'null_key'
            when {{ rwh_not_accepted('crm', 'activities', 'activity_type', 'typed.activity_type') }} then 'invalid_enum'
            when {{ rwh_not_accepted('crm', 'activities', 'direction', 'typed.direction') }} then 'invalid_enum'
            when typed.occurred_at is null then 'null_date'
            when typed.occurred_at > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['activity_id']) }}
