{#-
    Every row of Salesforce's opportunity table (one per opportunity, or per version in history mode in place),
    typed, ranked within its opportunity (version_rank 1: the active version, else the latest), with what the
    version that counts makes: a renewal opportunity when its type is in var salesforce_renewal_types or its
    record type's API name in var salesforce_renewal_record_types; its account through merges; its stage and
    forecast category mapped (seed ref_salesforce_values; an unmapped stage falls back on is_won / is_closed,
    else stays as written for staging to quarantine); the currency (var salesforce_default_currency without
    multi-currency); the org's custom fields (var salesforce_fields; a field the org lacks reads as null).
    excluded_reason: superseded_version, not_renewal, or deleted_unreferenced (deleted, or deleted in history
    mode, and referenced by no activity).
-#}
{%- set opportunities = source('salesforce', 'opportunity') -%}
{%- set fields = var('salesforce_fields') -%}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
with versions as (

    select
        cast(id as {{ str }}) as opportunity_id,
        cast(account_id as {{ str }}) as salesforce_account_id,
        cast(owner_id as {{ str }}) as owner_user_id,
        lower(trim(cast(type as {{ str }}))) as opportunity_type,
        cast(record_type_id as {{ str }}) as record_type_id,
        cast(stage_name as {{ str }}) as stage_name,
        cast(forecast_category as {{ str }}) as forecast_category_value,
        cast(probability as decimal(9, 2)) as probability_percent,
        upper(trim(cast(
            {{ rwh_optional_column(opportunities, 'currency_iso_code', str) }} as {{ str }}
        ))) as currency_iso_code,
        cast(amount as {{ rwh_major_amount_type() }}) as renewal_arr_amount,
        cast(close_date as date) as close_date,
        cast(created_date as {{ ts }}) as created_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        coalesce(cast(is_closed as boolean), false) as is_closed,
        coalesce(cast(is_won as boolean), false) as is_won,
        cast(system_modstamp as {{ ts }}) as updated_at,
        cast({{ rwh_optional_column(opportunities, fields['expiring_contract_id'], str) }} as {{ str }})
            as expiring_contract_id,
        cast(
            {{ rwh_optional_column(opportunities, fields['expiring_arr_amount'], 'decimal(18, 2)') }}
            as {{ rwh_major_amount_type() }}
        ) as expiring_arr_amount,
        cast(
            {{ rwh_optional_column(opportunities, fields['discount_percent'], 'decimal(5, 2)') }} as decimal(5, 2)
        ) as discount_percent,
        cast(
            {{ rwh_optional_column(opportunities, fields['term_months'], dbt.type_int()) }} as {{ dbt.type_int() }}
        ) as term_months,
        cast({{ rwh_optional_column(opportunities, fields['is_escalated'], 'boolean') }} as boolean)
            as is_escalated,
        cast({{ rwh_optional_column(opportunities, fields['first_outreach_date'], 'date') }} as date)
            as first_outreach_date,
        coalesce(
            cast({{ rwh_optional_column(opportunities, '_fivetran_active', 'boolean') }} as boolean), true
        ) as is_active_version,
        cast({{ rwh_optional_column(opportunities, '_fivetran_start', ts) }} as {{ ts }}) as version_started_at,
        cast(_fivetran_synced as {{ ts }}) as synced_at
    from {{ opportunities }}

),

ranked as (

    select
        versions.*,
        {{ rwh_version_rank('opportunity_id') }} as version_rank,
        {{ rwh_active_versions('opportunity_id') }} as active_versions
    from versions

),

record_types as (

    {#- the version that counts, when history mode versions record types (rwh_history_versions) #}
    select
        cast(record_type_versions.id as {{ str }}) as record_type_id,
        lower(trim(cast(record_type_versions.developer_name as {{ str }}))) as record_type_name
    from {{ rwh_history_versions(source('salesforce', 'record_type')) }} as record_type_versions
    where record_type_versions.version_rank = 1

),

value_map as (

    select
        field,
        lower(trim(salesforce_value)) as salesforce_value,
        contract_value
    from {{ ref('ref_salesforce_values') }}

),

accounts as (

    select
        account_id,
        merged_into_account_id
    from {{ ref('base_salesforce__accounts') }}

),

referenced as (

    select distinct cast(opportunity_id as {{ str }}) as opportunity_id
    from {{ rwh_raw('crm', 'activities') }}
    where opportunity_id is not null

)

select
    ranked.opportunity_id,
    ranked.salesforce_account_id,
    coalesce(accounts.merged_into_account_id, ranked.salesforce_account_id) as account_id,
    ranked.owner_user_id,
    ranked.opportunity_type,
    record_types.record_type_name,
    coalesce(
        stage_values.contract_value,
        case when ranked.is_won then 'closed_won' when ranked.is_closed then 'closed_lost' end,
        lower(trim(ranked.stage_name))
    ) as stage,
    coalesce(forecasts.contract_value, lower(trim(ranked.forecast_category_value))) as forecast_category,
    ranked.probability_percent,
    coalesce(ranked.currency_iso_code, '{{ var("salesforce_default_currency") | upper }}') as currency,
    ranked.expiring_arr_amount,
    ranked.renewal_arr_amount,
    ranked.discount_percent,
    ranked.term_months,
    ranked.is_escalated,
    ranked.expiring_contract_id,
    cast(ranked.created_at as date) as created_date,
    ranked.close_date,
    ranked.first_outreach_date,
    ranked.updated_at,
    ranked.is_deleted or ranked.active_versions = 0 as is_deleted,
    ranked.is_active_version,
    ranked.version_started_at,
    ranked.synced_at,
    ranked.version_rank,
    case
        when ranked.version_rank > 1 then 'superseded_version'
        when not (
            {{ rwh_in_values('ranked.opportunity_type', var('salesforce_renewal_types')) }}
            or {{ rwh_in_values('record_types.record_type_name', var('salesforce_renewal_record_types')) }}
        ) then 'not_renewal'
        when (ranked.is_deleted or ranked.active_versions = 0) and referenced.opportunity_id is null
            then 'deleted_unreferenced'
    end as excluded_reason
from ranked
left join record_types
    on ranked.record_type_id = record_types.record_type_id
left join value_map as stage_values
    on
        stage_values.field = 'stage_name'
        and lower(trim(ranked.stage_name)) = stage_values.salesforce_value
left join value_map as forecasts
    on
        forecasts.field = 'forecast_category'
        and lower(trim(ranked.forecast_category_value)) = forecasts.salesforce_value
left join accounts
    on ranked.salesforce_account_id = accounts.account_id
left join referenced
    on ranked.opportunity_id = referenced.opportunity_id
