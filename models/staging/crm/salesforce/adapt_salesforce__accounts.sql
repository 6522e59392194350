{#- crm.accounts from Salesforce: every account that is not excluded (docs/sources/salesforce.md). Columns and types
    as the contract's. -#}
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
from {{ ref('base_salesforce__accounts') }}
where excluded_reason is null
