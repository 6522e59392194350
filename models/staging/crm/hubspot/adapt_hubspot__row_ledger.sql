{#-
    Every row the HubSpot adapter read, one ledger row each (docs/sources/hubspot.md): mapped (it made, or went
    into, a contract row: contract_table names which, contract_key the row when it is one to one) or excluded with
    its reason. Keys: a record's id; a property-history row company '~' property '~' time; an association deal '~'
    company; a team membership owner '~' team; a deal_stage row deal '~' its number in the deal; a pipeline stage
    pipeline '~' stage; a merge survivor '~' merged deal. Staging then stages or quarantines the contract rows as it
    does the contract's own files. Tested: every source row is here once (assert_vendor_rows_are_all_in_the_ledger).
-#}
{%- set str = dbt.type_string() -%}
with companies as (
    select * from {{ ref('base_hubspot__companies') }}

),

owners as (

    select * from {{ ref('base_hubspot__owners') }}

),

deals as (

    select * from {{ ref('base_hubspot__deals') }}

),

memberships as (

    select * from {{ ref('base_hubspot__owner_teams') }}

),

stage_changes as (

    select * from {{ ref('base_hubspot__stage_changes') }}

),

company_rows as (

    select
        'company' as vendor_table,
        account_id as vendor_key,
        excluded_reason,
        'crm.accounts' as contract_table,
        account_id as contract_key
    from companies

),

property_history_rows as (

    select
        'company_property_history' as vendor_table,
        {{ rwh_hubspot_history_key('property_history') }} as vendor_key,
        case
            when lower(trim(cast(property_history.name as {{ str }}))) != '{{ var("hubspot_owner_property") | lower }}'
                then 'not_owner_property'
            when companies.account_id is null then 'no_company'
            when companies.excluded_reason is not null then companies.excluded_reason
            when owner_history.ownership_id is null then 'no_owner_change'
        end as excluded_reason,
        'crm.account_ownership' as contract_table,
        owner_history.ownership_id as contract_key
    from {{ source('hubspot', 'company_property_history') }} as property_history
    left join {{ ref('base_hubspot__owner_history') }} as owner_history
        on
            {{ rwh_hubspot_history_key('property_history') }} = owner_history.history_key
    left join companies
        on cast(property_history.company_id as {{ str }}) = companies.account_id

),

owner_rows as (

    select
        'owner' as vendor_table,
        user_id as vendor_key,
        excluded_reason,
        'crm.users' as contract_table,
        user_id as contract_key
    from owners

),

membership_rows as (

    select
        'owner_team' as vendor_table,
        memberships.membership_key as vendor_key,
        case
            when owners.user_id is null then 'no_owner'
            when owners.excluded_reason is not null then owners.excluded_reason
            when memberships.team_rank > 1 then 'not_primary_team'
        end as excluded_reason,
        'crm.users' as contract_table,
        memberships.owner_id as contract_key
    from memberships
    left join owners
        on memberships.owner_id = owners.user_id

),

used_teams as (

    select distinct memberships.team_id
    from memberships
    inner join owners
        on memberships.owner_id = owners.user_id
    where memberships.team_rank = 1 and owners.excluded_reason is null

),

team_rows as (

    select
        'team' as vendor_table,
        cast(teams.id as {{ str }}) as vendor_key,
        case when used_teams.team_id is null then 'unused' end as excluded_reason,
        'crm.users' as contract_table,
        cast(null as {{ str }}) as contract_key
    from {{ source('hubspot', 'team') }} as teams
    left join used_teams
        on cast(teams.id as {{ str }}) = used_teams.team_id

),

deal_rows as (

    select
        'deal' as vendor_table,
        opportunity_id as vendor_key,
        excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        opportunity_id as contract_key
    from deals

),

association_rows as (

    select
        'deal_company' as vendor_table,
        associations.association_key as vendor_key,
        case
            when deals.opportunity_id is null then 'no_deal'
            when deals.excluded_reason is not null then deals.excluded_reason
            when associations.association_rank > 1 then 'not_primary_association'
        end as excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        associations.deal_id as contract_key
    from {{ ref('base_hubspot__deal_companies') }} as associations
    left join deals
        on associations.deal_id = deals.opportunity_id

),

stage_rows as (

    select
        'deal_stage' as vendor_table,
        stage_history_id as vendor_key,
        excluded_reason,
        'crm.opportunity_stage_history' as contract_table,
        stage_history_id as contract_key
    from stage_changes

),

used_pipelines as (

    select distinct cast(source_deals.deal_pipeline_id as {{ str }}) as pipeline_id
    from {{ source('hubspot', 'deal') }} as source_deals
    inner join deals
        on cast(source_deals.deal_id as {{ str }}) = deals.opportunity_id
    where deals.excluded_reason is null

),

pipeline_rows as (

    select
        'deal_pipeline' as vendor_table,
        cast(pipelines.pipeline_id as {{ str }}) as vendor_key,
        case when used_pipelines.pipeline_id is null then 'unused' end as excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        cast(null as {{ str }}) as contract_key
    from {{ source('hubspot', 'deal_pipeline') }} as pipelines
    left join used_pipelines
        on cast(pipelines.pipeline_id as {{ str }}) = used_pipelines.pipeline_id

),

source_stage_rows as (

    select
        cast(value as {{ str }}) as stage_id,
        cast(deal_id as {{ str }}) as deal_id
    from {{ source('hubspot', 'deal_stage') }}

),

used_stages as (

    select stage_id from deals
    where excluded_reason is null
    union
    select source_stage_rows.stage_id
    from source_stage_rows
    inner join deals
        on source_stage_rows.deal_id = deals.opportunity_id
    where deals.excluded_reason is null

),

pipeline_stage_rows as (

    select
        'deal_pipeline_stage' as vendor_table,
        {{ dbt.concat(["coalesce(pipeline_stages.pipeline_id, '')", "'~'", "pipeline_stages.stage_id"]) }}
            as vendor_key,
        case
            when pipeline_stages.stage_rank > 1 then 'duplicate_stage_id'
            when used_stages.stage_id is null then 'unused'
        end as excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        cast(null as {{ str }}) as contract_key
    from {{ ref('base_hubspot__pipeline_stages') }} as pipeline_stages
    left join used_stages
        on pipeline_stages.stage_id = used_stages.stage_id

),

merge_rows as (

    select
        'merged_deal' as vendor_table,
        {{ dbt.concat([
            "cast(merge_records.deal_id as " ~ str ~ ")", "'~'", "cast(merge_records.merged_deal_id as " ~ str ~ ")"
        ]) }} as vendor_key,
        case
            when deals.opportunity_id is null then 'no_deal'
            else deals.excluded_reason
        end as excluded_reason,
        'crm.renewal_opportunities' as contract_table,
        deals.opportunity_id as contract_key
    from {{ source('hubspot', 'merged_deal') }} as merge_records
    left join deals
        on cast(merge_records.deal_id as {{ str }}) = deals.opportunity_id

),

unioned as (

    select * from company_rows
    union all
    select * from property_history_rows
    union all
    select * from owner_rows
    union all
    select * from membership_rows
    union all
    select * from team_rows
    union all
    select * from deal_rows
    union all
    select * from association_rows
    union all
    select * from stage_rows
    union all
    select * from pipeline_rows
    union all
    select * from pipeline_stage_rows
    union all
    select * from merge_rows

)

select
    'hubspot' as vendor,
    vendor_table,
    vendor_key,
    case when excluded_reason is null then 'mapped' else 'excluded' end as outcome,
    excluded_reason,
    contract_table,
    contract_key
from unioned
