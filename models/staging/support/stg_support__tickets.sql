with tickets as (

    select base.*
    from {{ ref('base_support__tickets') }} as base
    left join {{ ref('integrity_support__tickets') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
