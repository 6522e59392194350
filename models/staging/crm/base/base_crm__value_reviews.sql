with source as (

    select * from {{ source('crm', 'value_reviews') }}

),

typed as (

    select
        cast(value_review_id as {{ dbt.type_string() }}) as value_review_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        lower(trim(cast(review_type as {{ dbt.type_string() }}))) as review_type,
        lower(trim(cast(status as {{ dbt.type_string() }}))) as status,
        cast(scheduled_date as date) as scheduled_date,
        cast(completed_date as date) as completed_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'value_reviews') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.value_review_id is null then 'null_key'
            when {{ rwh_not_accepted('crm', 'value_reviews', 'review_type', 'typed.review_type') }} then 'invalid_enum'
            when {{ rwh_not_accepted('crm', 'value_reviews', 'status', 'typed.status') }} then 'invalid_enum'
            when typed.scheduled_date is null then 'null_date'
            when cast(typed.completed_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['value_review_id']) }}
