{#- crm.users from Salesforce: every user that is not excluded (docs/sources/salesforce.md). Columns and types as the
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
from {{ ref('base_salesforce__users') }}
where excluded_reason is null
