with source as (

    select * from {{ source('cs_platform', 'churn_reasons') }}

),

typed as (

    select
        cast(churn_record_id as {{ dbt.type_string() }}) as churn_record_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        lower(trim(cast(reason as {{ dbt.type_string() }}))) as reason,
        cast(detail as {{ dbt.type_string() }}) as detail,
        cast(churn_date as date) as churn_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('cs_platform', 'churn_reasons') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.churn_record_id is null then 'null_key'
            when
                typed.reason is null
                or {{ rwh_not_accepted('cs_platform', 'churn_reasons', 'reason', 'typed.reason') }}
                then 'invalid_enum'
            when typed.churn_date is null then 'null_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['churn_record_id']) }}
