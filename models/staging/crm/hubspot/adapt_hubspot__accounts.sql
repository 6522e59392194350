{#- crm.accounts from HubSpot: every company that is not excluded (docs/sources/hubspot.md). Columns and types as
    the contract's. -#}
select
    account_id,
    account_name,
    parent_account_id,
    industry,
    region,
    employee_count,
    acquisition_source,
    created_at,
    synced_at as _loaded_at
from {{ ref('base_hubspot__companies') }}
where excluded_reason is null
