with source as (

    select * from {{ source('cs_platform', 'risk_flags') }}

),

typed as (

    select
        cast(risk_flag_id as {{ dbt.type_string() }}) as risk_flag_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(raised_by_user_id as {{ dbt.type_string() }}) as raised_by_user_id,
        lower(trim(cast(reason as {{ dbt.type_string() }}))) as reason,
        lower(trim(cast(outcome as {{ dbt.type_string() }}))) as outcome,
        cast(flagged_date as date) as flagged_date,
        cast(resolved_date as date) as resolved_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('cs_platform', 'risk_flags') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.risk_flag_id is null then 'null_key'
            when
                typed.reason is null
                or {{ rwh_not_accepted('cs_platform', 'risk_flags', 'reason', 'typed.reason') }}
                then 'invalid_enum'
            when {{ rwh_not_accepted('cs_platform', 'risk_flags', 'outcome', 'typed.outcome') }} then 'invalid_enum'
            when typed.flagged_date is null then 'null_date'
            when typed.resolved_date < typed.flagged_date then 'invalid_date_range'
            when cast(typed.flagged_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['risk_flag_id']) }}
