{#- crm.account_ownership from HubSpot: one period per run of one owner over a company's owner property history
    (without history, one period from the company's creation), for the companies that are not excluded. Columns and
    types as the contract's. -#}
select
    owner_history.ownership_id,
    owner_history.account_id,
    owner_history.owner_user_id,
    owner_history.valid_from,
    owner_history.valid_to,
    owner_history.synced_at as _loaded_at
from {{ ref('base_hubspot__owner_history') }} as owner_history
inner join {{ ref('base_hubspot__companies') }} as companies
    on owner_history.account_id = companies.account_id
where
    owner_history.ownership_id is not null
    and companies.excluded_reason is null
