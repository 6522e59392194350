{#-
    One row per HubSpot company, typed, its values mapped to the contract's (seed ref_hubspot_values: industry,
    country to region, original source to acquisition source; a value not listed becomes null), and
    excluded_reason when it makes no contract account: deleted_unreferenced (archived or removed at the source,
    and named by no renewal deal: a deleted company a renewal still names stays visible). The adapter reads only
    HubSpot: a billing contract of an excluded company is quarantined unknown_account, with its ARR.
-#}
{%- set companies = source('hubspot', 'company') -%}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
with companies as (

    select
        cast(id as {{ str }}) as account_id,
        cast(property_name as {{ str }}) as account_name,
        nullif(trim(cast(
            {{ rwh_optional_column(companies, 'property_hs_parent_company_id', str) }} as {{ str }}
        )), '') as parent_account_id,
        cast({{ rwh_optional_column(companies, 'property_industry', str) }} as {{ str }}) as industry_value,
        cast({{ rwh_optional_column(companies, 'property_country', str) }} as {{ str }}) as country,
        cast(
            {{ rwh_optional_column(companies, 'property_numberofemployees', dbt.type_int()) }} as {{ dbt.type_int() }}
        ) as employee_count,
        cast({{ rwh_optional_column(companies, 'property_hs_analytics_source', str) }} as {{ str }})
            as analytics_source,
        nullif(trim(cast(
            {{ rwh_optional_column(companies, 'property_' ~ var('hubspot_owner_property'), str) }} as {{ str }}
        )), '') as owner_user_id,
        cast(property_createdate as {{ ts }}) as created_at,
        coalesce(cast(is_deleted as boolean), false)
        or coalesce(cast({{ rwh_optional_column(companies, '_fivetran_deleted', 'boolean') }} as boolean), false)
            as is_deleted,
        cast(_fivetran_synced as {{ ts }}) as synced_at
    from {{ companies }}

),

value_map as (

    select
        field,
        lower(trim(hubspot_value)) as hubspot_value,
        contract_value
    from {{ ref('ref_hubspot_values') }}

),

referenced as (

    select distinct account_id
    from {{ ref('base_hubspot__deals') }}
    where excluded_reason is null and account_id is not null

)

select
    companies.account_id,
    companies.account_name,
    companies.parent_account_id,
    industries.contract_value as industry,
    regions.contract_value as region,
    companies.employee_count,
    sources.contract_value as acquisition_source,
    companies.owner_user_id,
    coalesce(companies.created_at, companies.synced_at) as created_at,
    companies.is_deleted,
    companies.synced_at,
    case
        when companies.is_deleted and referenced.account_id is null then 'deleted_unreferenced'
    end as excluded_reason
from companies
left join value_map as industries
    on
        industries.field = 'industry'
        and lower(trim(companies.industry_value)) = industries.hubspot_value
left join value_map as regions
    on
        regions.field = 'country'
        and lower(trim(companies.country)) = regions.hubspot_value
left join value_map as sources
    on
        sources.field = 'analytics_source'
        and lower(trim(companies.analytics_source)) = sources.hubspot_value
left join referenced
    on companies.account_id = referenced.account_id
