with source as (

    select * from {{ source('product', 'usage_daily') }}

),

accounts as (

    select account_id from {{ rwh_known_accounts() }} as known_accounts

),

typed as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(usage_date as date) as usage_date,
        cast(sessions as {{ dbt.type_int() }}) as sessions,
        cast(active_minutes as {{ dbt.type_int() }}) as active_minutes,
        cast(core_feature_events as {{ dbt.type_int() }}) as core_feature_events,
        cast(other_feature_events as {{ dbt.type_int() }}) as other_feature_events,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash(source('product', 'usage_daily')) }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.account_id is null or typed.user_id is null or typed.usage_date is null then 'null_key'
            when accounts.account_id is null then 'unknown_account'
            when
                typed.sessions < 0
                or typed.core_feature_events < 0
                or typed.other_feature_events < 0
                then 'out_of_range'
            when typed.active_minutes < 0 or typed.active_minutes > 1440 then 'out_of_range'
            when cast(typed.usage_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed
    left join accounts
        on typed.account_id = accounts.account_id

),

{{ rwh_flag_rows('checked', ['account_id', 'user_id', 'usage_date']) }}
