{#-
    One row per HubSpot deal, typed, with what it makes: a renewal opportunity when its deal type is in var
    hubspot_renewal_deal_types or its pipeline's label in var hubspot_renewal_pipelines (case ignored); its
    account, the company of its primary association (type 5), else of its lowest company id; its stage through
    its pipeline stage's label (seed ref_hubspot_values; an unmapped closed stage is closed won at probability 1,
    else closed lost; an unmapped open one stays as written for staging to quarantine); its probability, the
    deal's forecast probability, else the stage's; its forecast category mapped (seed); the currency (var
    hubspot_default_currency without multi-currency); the portal's custom properties (var hubspot_fields; a
    property the portal lacks reads as null). Deleted: archived (is_deleted) or removed at the source
    (_fivetran_deleted). excluded_reason: merged (merged into another deal: merged_deal),
    not_renewal, or deleted_unreferenced (archived, and referenced by no CRM activity).
-#}
{%- set deals = source('hubspot', 'deal') -%}
{%- set fields = var('hubspot_fields') -%}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
with deals as (

    select
        cast(deal_id as {{ str }}) as opportunity_id,
        cast(deal_pipeline_id as {{ str }}) as pipeline_id,
        cast(deal_pipeline_stage_id as {{ str }}) as stage_id,
        cast(owner_id as {{ str }}) as owner_user_id,
        lower(trim(cast({{ rwh_optional_column(deals, 'property_dealtype', str) }} as {{ str }}))) as deal_type,
        cast(property_amount as {{ rwh_major_amount_type() }}) as renewal_arr_amount,
        upper(trim(cast(
            {{ rwh_optional_column(deals, 'property_deal_currency_code', str) }} as {{ str }}
        ))) as currency_code,
        cast(
            {{ rwh_optional_column(deals, 'property_hs_forecast_probability', rwh_double_type()) }}
            as {{ rwh_double_type() }}
        ) as forecast_probability,
        cast(
            {{ rwh_optional_column(deals, 'property_hs_manual_forecast_category', str) }} as {{ str }}
        ) as forecast_category_value,
        cast(cast(property_closedate as {{ ts }}) as date) as close_date,
        cast(property_createdate as {{ ts }}) as created_at,
        cast({{ rwh_optional_column(deals, 'property_hs_lastmodifieddate', ts) }} as {{ ts }}) as modified_at,
        cast({{ rwh_optional_column(deals, fields['expiring_contract_id'], str) }} as {{ str }})
            as expiring_contract_id,
        cast(
            {{ rwh_optional_column(deals, fields['expiring_arr_amount'], 'decimal(18, 2)') }}
            as {{ rwh_major_amount_type() }}
        ) as expiring_arr_amount,
        cast(
            {{ rwh_optional_column(deals, fields['discount_percent'], 'decimal(5, 2)') }} as decimal(5, 2)
        ) as discount_percent,
        cast(
            {{ rwh_optional_column(deals, fields['term_months'], dbt.type_int()) }} as {{ dbt.type_int() }}
        ) as term_months,
        cast({{ rwh_optional_column(deals, fields['is_escalated'], 'boolean') }} as boolean) as is_escalated,
        cast({{ rwh_optional_column(deals, fields['first_outreach_date'], 'date') }} as date)
            as first_outreach_date,
        coalesce(cast(is_deleted as boolean), false)
        or coalesce(cast({{ rwh_optional_column(deals, '_fivetran_deleted', 'boolean') }} as boolean), false)
            as is_deleted,
        cast(_fivetran_synced as {{ ts }}) as synced_at
    from {{ deals }}

),

pipelines as (

    select
        cast(pipeline_id as {{ str }}) as pipeline_id,
        lower(trim(cast(label as {{ str }}))) as pipeline_label
    from {{ source('hubspot', 'deal_pipeline') }}

),

stages as (

    select * from {{ ref('base_hubspot__pipeline_stages') }}
    where stage_rank = 1

),

associations as (

    select
        deal_id,
        company_id,
        association_rank
    from {{ ref('base_hubspot__deal_companies') }}
    where association_rank = 1

),

value_map as (

    select
        field,
        lower(trim(hubspot_value)) as hubspot_value,
        contract_value
    from {{ ref('ref_hubspot_values') }}

),

merged as (

    select distinct cast(merged_deal_id as {{ str }}) as opportunity_id
    from {{ source('hubspot', 'merged_deal') }}

),

referenced as (

    select distinct cast(opportunity_id as {{ str }}) as opportunity_id
    from {{ rwh_raw('crm', 'activities') }}
    where opportunity_id is not null

)

select
    deals.opportunity_id,
    associations.company_id as account_id,
    deals.owner_user_id,
    deals.deal_type,
    pipelines.pipeline_label,
    deals.stage_id,
    stages.stage,
    coalesce(forecasts.contract_value, lower(trim(deals.forecast_category_value))) as forecast_category,
    {#- a fraction of 1 as a percent: through a decimal first (PostgreSQL rounds no float to a scale), whose six
        places absorb the float's noise (0.46 * 100 = 46.000000000000007) #}
    cast(
        round(cast(coalesce(deals.forecast_probability, stages.probability) * 100 as decimal(18, 6)), 2)
        as decimal(9, 2)
    ) as probability_percent,
    coalesce(deals.currency_code, '{{ var("hubspot_default_currency") | upper }}') as currency,
    deals.expiring_arr_amount,
    deals.renewal_arr_amount,
    deals.discount_percent,
    deals.term_months,
    deals.is_escalated,
    deals.expiring_contract_id,
    cast(deals.created_at as date) as created_date,
    deals.close_date,
    deals.first_outreach_date,
    coalesce(deals.modified_at, deals.synced_at) as updated_at,
    deals.is_deleted,
    deals.synced_at,
    case
        when merged.opportunity_id is not null then 'merged'
        when not (
            {{ rwh_in_values('deals.deal_type', var('hubspot_renewal_deal_types')) }}
            or {{ rwh_in_values('pipelines.pipeline_label', var('hubspot_renewal_pipelines')) }}
        ) then 'not_renewal'
        when deals.is_deleted and referenced.opportunity_id is null then 'deleted_unreferenced'
    end as excluded_reason
from deals
left join pipelines
    on deals.pipeline_id = pipelines.pipeline_id
left join stages
    on deals.stage_id = stages.stage_id
left join associations
    on deals.opportunity_id = associations.deal_id
left join value_map as forecasts
    on
        forecasts.field = 'forecast_category'
        and lower(trim(deals.forecast_category_value)) = forecasts.hubspot_value
left join merged
    on deals.opportunity_id = merged.opportunity_id
left join referenced
    on deals.opportunity_id = referenced.opportunity_id
