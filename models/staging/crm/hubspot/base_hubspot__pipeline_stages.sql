{#-
    One row per HubSpot deal pipeline stage id (of two rows with one id, the one not removed at the source, then
    the latest synced), with the contract stage its label maps to (seed ref_hubspot_values; a closed stage not
    listed is closed won at probability 1, else closed lost; an open one stays as written, lower-cased, for
    staging to quarantine), its probability (0 to 1) and stage_rank (1: the row that counts).
-#}
{%- set stages = source('hubspot', 'deal_pipeline_stage') -%}
{%- set str = dbt.type_string() -%}
with stages as (

    select
        cast(stage_id as {{ str }}) as stage_id,
        cast(pipeline_id as {{ str }}) as pipeline_id,
        cast(label as {{ str }}) as stage_label,
        cast(probability as {{ rwh_double_type() }}) as probability,
        coalesce(
            cast({{ rwh_optional_column(stages, 'is_closed', 'boolean') }} as boolean),
            cast({{ rwh_optional_column(stages, 'closed_won', 'boolean') }} as boolean),
            false
        ) as is_closed,
        coalesce(
            cast({{ rwh_optional_column(stages, '_fivetran_deleted', 'boolean') }} as boolean), false
        ) as is_deleted,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ stages }}

),

ranked as (

    select
        stages.*,
        row_number() over (
            partition by stages.stage_id
            order by case when stages.is_deleted then 1 else 0 end, stages.synced_at desc, stages.pipeline_id asc
        ) as stage_rank
    from stages

),

stage_map as (

    select
        lower(trim(hubspot_value)) as hubspot_value,
        contract_value
    from {{ ref('ref_hubspot_values') }}
    where field = 'deal_stage'

)

select
    ranked.stage_id,
    ranked.pipeline_id,
    ranked.stage_label,
    coalesce(
        stage_map.contract_value,
        case
            when ranked.is_closed and ranked.probability >= 1 then 'closed_won'
            when ranked.is_closed then 'closed_lost'
        end,
        lower(trim(ranked.stage_label))
    ) as stage,
    ranked.probability,
    ranked.is_deleted,
    ranked.synced_at,
    ranked.stage_rank
from ranked
left join stage_map
    on lower(trim(ranked.stage_label)) = stage_map.hubspot_value
