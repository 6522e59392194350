{#-
    Every row of Salesforce's OpportunityHistory (opportunity_history: one row each time an opportunity's
    stage, amount, probability or close date changed), typed, its stage mapped as the opportunity's (seed
    ref_salesforce_values), in time order per opportunity. A row is a stage change when its stage differs from
    the previous counted row's; excluded_reason: deleted (deleted, or its opportunity was), not_renewal (its
    opportunity is not a renewal), no_stage_change (only the amount, probability or close date changed).
-#}
{%- set str = dbt.type_string() -%}
with history as (

    select
        cast(id as {{ str }}) as stage_history_id,
        cast(opportunity_id as {{ str }}) as opportunity_id,
        cast(stage_name as {{ str }}) as stage_name,
        cast(created_date as {{ dbt.type_timestamp() }}) as entered_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ source('salesforce', 'opportunity_history') }}

),

opportunities as (

    select
        opportunity_id,
        is_deleted,
        excluded_reason
    from {{ ref('base_salesforce__opportunity_versions') }}
    where version_rank = 1

),

stage_map as (

    select
        lower(trim(salesforce_value)) as salesforce_value,
        contract_value
    from {{ ref('ref_salesforce_values') }}
    where field = 'stage_name'

),

classified as (

    select
        history.stage_history_id,
        history.opportunity_id,
        coalesce(stage_map.contract_value, lower(trim(history.stage_name))) as stage,
        history.entered_at,
        history.synced_at,
        case
            when history.is_deleted or coalesce(opportunities.is_deleted, false) then 'deleted'
            when opportunities.excluded_reason = 'not_renewal' then 'not_renewal'
        end as opportunity_excluded_reason
    from history
    left join opportunities
        on history.opportunity_id = opportunities.opportunity_id
    left join stage_map
        on lower(trim(history.stage_name)) = stage_map.salesforce_value

),

sequenced as (

    select
        classified.*,
        lag(classified.stage) over (
            partition by classified.opportunity_id
            order by classified.entered_at, classified.stage_history_id
        ) as previous_stage,
        row_number() over (
            partition by classified.opportunity_id
            order by classified.entered_at, classified.stage_history_id
        ) as change_number
    from classified
    where classified.opportunity_excluded_reason is null

)

select
    classified.stage_history_id,
    classified.opportunity_id,
    classified.stage,
    classified.entered_at,
    classified.synced_at,
    coalesce(
        classified.opportunity_excluded_reason,
        case
            when
                sequenced.change_number > 1
                and coalesce(sequenced.previous_stage, '~') = coalesce(sequenced.stage, '~')
                then 'no_stage_change'
        end
    ) as excluded_reason
from classified
left join sequenced
    on classified.stage_history_id = sequenced.stage_history_id
