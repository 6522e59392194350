{#-
    One row per Salesforce account: its current version (version_rank 1), its picklist values mapped to the
    contract's (seed ref_salesforce_values; a value not listed becomes null), the account a merge folded it
    into, and excluded_reason when it makes no contract account: merged (deleted by a merge: its references
    move to the survivor) or deleted_unreferenced (deleted, or deleted in history mode, and referenced by no
    opportunity: a deleted account an opportunity still names stays visible). The adapter reads only
    Salesforce: a billing contract of an excluded account is quarantined unknown_account, with its ARR.
-#}
with current_versions as (

    select * from {{ ref('base_salesforce__account_versions') }}
    where version_rank = 1

),

value_map as (

    select
        field,
        lower(trim(salesforce_value)) as salesforce_value,
        contract_value
    from {{ ref('ref_salesforce_values') }}

),

account_merges as (

    select
        account_id,
        master_record_id
    from current_versions
    where is_deleted and master_record_id is not null

),

referenced as (

    select distinct cast(account_id as {{ dbt.type_string() }}) as account_id
    from {{ source('salesforce', 'opportunity') }}

)

select
    current_versions.account_id,
    current_versions.account_name,
    coalesce(
        second_parent_account_merges.master_record_id,
        parent_account_merges.master_record_id,
        current_versions.parent_id
    ) as parent_account_id,
    industries.contract_value as industry,
    regions.contract_value as region,
    current_versions.employee_count,
    sources.contract_value as acquisition_source,
    coalesce(current_versions.created_at, current_versions.effective_at) as created_at,
    current_versions.synced_at,
    current_versions.is_deleted or current_versions.active_versions = 0 as is_deleted,
    coalesce(second_account_merges.master_record_id, account_merges.master_record_id) as merged_into_account_id,
    case
        when account_merges.account_id is not null then 'merged'
        when
            (current_versions.is_deleted or current_versions.active_versions = 0)
            and referenced.account_id is null
            then 'deleted_unreferenced'
    end as excluded_reason
from current_versions
left join account_merges
    on current_versions.account_id = account_merges.account_id
left join account_merges as second_account_merges
    on account_merges.master_record_id = second_account_merges.account_id
left join account_merges as parent_account_merges
    on current_versions.parent_id = parent_account_merges.account_id
left join account_merges as second_parent_account_merges
    on parent_account_merges.master_record_id = second_parent_account_merges.account_id
left join value_map as industries
    on
        industries.field = 'industry'
        and lower(trim(current_versions.industry_value)) = industries.salesforce_value
left join value_map as regions
    on
        regions.field = 'billing_country'
        and lower(trim(current_versions.billing_country)) = regions.salesforce_value
left join value_map as sources
    on
        sources.field = 'account_source'
        and lower(trim(current_versions.account_source)) = sources.salesforce_value
left join referenced
    on current_versions.account_id = referenced.account_id
