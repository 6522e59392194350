{#- crm.users from HubSpot: every owner that is not excluded (docs/sources/hubspot.md). Columns and types as the
    contract's. -#}
select
    user_id,
    full_name,
    email,
    role,
    team,
    hired_date,
    is_active,
    synced_at as _loaded_at
from {{ ref('base_hubspot__owners') }}
where excluded_reason is null
