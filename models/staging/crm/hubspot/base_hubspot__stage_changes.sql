{#-
    Every row of HubSpot's deal_stage (one row per stage a deal entered, as Fivetran keeps the deal's stage in
    history mode), typed, numbered within its deal by (date_entered, _fivetran_start, stage id): stage_history_id
    is the deal id '~' that number. Its stage is the stage id's (base_hubspot__pipeline_stages). A row is a stage
    change when its stage differs from the previous row's of the deal; excluded_reason: its deal's reason when the
    deal makes no renewal (merged, not_renewal, deleted_unreferenced), no_deal (a deal not in the deal table), or
    no_stage_change.
-#}
{%- set str = dbt.type_string() -%}
{%- set ts = dbt.type_timestamp() -%}
with stage_rows as (

    select
        cast(deal_id as {{ str }}) as opportunity_id,
        cast(value as {{ str }}) as stage_id,
        cast(date_entered as {{ ts }}) as entered_at,
        cast(_fivetran_start as {{ ts }}) as version_started_at,
        cast(_fivetran_synced as {{ ts }}) as synced_at
    from {{ source('hubspot', 'deal_stage') }}

),

numbered as (

    select
        stage_rows.*,
        row_number() over (
            partition by stage_rows.opportunity_id
            order by stage_rows.entered_at, stage_rows.version_started_at, stage_rows.stage_id
        ) as row_number_in_deal
    from stage_rows

),

stages as (

    select
        stage_id,
        stage
    from {{ ref('base_hubspot__pipeline_stages') }}
    where stage_rank = 1

),

deals as (

    select
        opportunity_id,
        excluded_reason
    from {{ ref('base_hubspot__deals') }}

),

classified as (

    select
        {{ dbt.concat(["numbered.opportunity_id", "'~'",
            "cast(numbered.row_number_in_deal as " ~ str ~ ")"]) }} as stage_history_id,
        numbered.opportunity_id,
        numbered.row_number_in_deal,
        coalesce(stages.stage, lower(trim(numbered.stage_id))) as stage,
        numbered.entered_at,
        numbered.synced_at,
        case
            when deals.opportunity_id is null then 'no_deal'
            else deals.excluded_reason
        end as deal_excluded_reason
    from numbered
    left join stages
        on numbered.stage_id = stages.stage_id
    left join deals
        on numbered.opportunity_id = deals.opportunity_id

)

select
    stage_history_id,
    opportunity_id,
    stage,
    entered_at,
    synced_at,
    coalesce(
        deal_excluded_reason,
        case
            when
                row_number_in_deal > 1
                and coalesce(lag(stage) over (
                    partition by opportunity_id order by row_number_in_deal
                ), '~') = coalesce(stage, '~')
                then 'no_stage_change'
        end
    ) as excluded_reason
from classified
