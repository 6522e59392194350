with tickets as (

    select * from {{ ref('base_support__tickets') }}
    where is_staged

),

staged as (

    select
        ticket_id,
        account_id,
        requester_email_hash,
        priority,
        is_escalated,
        reopened_count,
        csat_score,
        created_at,
        first_response_at,
        resolved_at,
        _loaded_at,
        reopened_count > 0 as is_reopened
    from tickets

)

select * from staged
