{#- crm.opportunity_stage_history from HubSpot's deal_stage: the rows that changed a renewal's stage
    (docs/sources/hubspot.md). Columns and types as the contract's. -#}
select
    stage_history_id,
    opportunity_id,
    stage,
    entered_at,
    synced_at as _loaded_at
from {{ ref('base_hubspot__stage_changes') }}
where excluded_reason is null
