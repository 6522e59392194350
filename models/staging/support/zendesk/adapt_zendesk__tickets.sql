{#- support.tickets from Zendesk: every ticket that is not excluded (docs/sources/zendesk.md). Columns and types as the
    contract's. -#}
select
    ticket_id,
    account_id,
    requester_email,
    priority,
    created_at,
    first_response_at,
    resolved_at,
    is_escalated,
    reopened_count,
    csat_score,
    synced_at as _loaded_at
from {{ ref('base_zendesk__tickets') }}
where excluded_reason is null
