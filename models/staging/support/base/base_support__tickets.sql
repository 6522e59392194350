with source as (

    select * from {{ rwh_raw('support', 'tickets') }}

),

typed as (

    select
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        {{ rwh_pii_hash('cast(requester_email as ' ~ dbt.type_string() ~ ')') }} as requester_email_hash,
        lower(trim(cast(priority as {{ dbt.type_string() }}))) as priority,
        cast(is_escalated as {{ dbt.type_boolean() }}) as is_escalated,
        cast(reopened_count as {{ dbt.type_int() }}) as reopened_count,
        cast(csat_score as {{ dbt.type_int() }}) as csat_score,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(first_response_at as {{ dbt.type_timestamp() }}) as first_response_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('support', 'tickets') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.ticket_id is null then 'null_key'
            when {{ rwh_not_accepted('support', 'tickets', 'priority', 'typed.priority') }} then 'invalid_enum'
            when typed.created_at is null then 'null_date'
            -- before the range: a ticket dated after its own load has its response and resolution before it
            when typed.created_at > typed._loaded_at then 'future_date'
            when
                typed.first_response_at < typed.created_at
                or typed.resolved_at < typed.created_at
                then 'invalid_date_range'
            when typed.csat_score < 1 or typed.csat_score > 5 or typed.reopened_count < 0 then 'out_of_range'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['ticket_id']) }}
