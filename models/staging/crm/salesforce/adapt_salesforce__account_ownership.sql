{#- crm.account_ownership from Salesforce: one period per run of one owner over an account's versions (history mode;
    without it, one period from the account's creation), for the accounts that are not excluded. Columns and
    types as the contract's. -#}
select
    versions.ownership_id,
    versions.account_id,
    versions.owner_user_id,
    versions.valid_from,
    versions.valid_to,
    versions.synced_at as _loaded_at
from {{ ref('base_salesforce__account_versions') }} as versions
inner join {{ ref('base_salesforce__accounts') }} as current_accounts
    on versions.account_id = current_accounts.account_id
where
    versions.ownership_id is not null
    and current_accounts.excluded_reason is null
