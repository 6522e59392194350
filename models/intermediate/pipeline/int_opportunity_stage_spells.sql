{#-
    One row per stage an opportunity passed through (a row of its stage history): when it entered and left
    the stage, the days it spent there (up to the as-of date while it is current; null for closed stages),
    which visit of that stage it was (a stage entered twice has visits 1 and 2) and whether it reopened a
    closed-lost opportunity. Stages skipped simply have no row.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with history as (

    select * from {{ ref('stg_crm__opportunity_stage_history') }}

),

stages as (

    select * from {{ ref('ref_opportunity_stages') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

sequenced as (

    select
        history.stage_history_id,
        history.opportunity_id,
        history.stage,
        history.entered_at,
        lead(history.entered_at) over (
            partition by history.opportunity_id order by history.entered_at, history.stage_history_id
        ) as left_at,
        lag(history.stage) over (
            partition by history.opportunity_id order by history.entered_at, history.stage_history_id
        ) as previous_stage,
        row_number() over (
            partition by history.opportunity_id, history.stage order by history.entered_at, history.stage_history_id
        ) as stage_visit_number
    from history

)

select
    sequenced.stage_history_id,
    sequenced.opportunity_id,
    sequenced.stage,
    stages.stage_order,
    stages.stage_weight,
    stages.is_closed,
    stages.is_won,
    sequenced.entered_at,
    sequenced.left_at,
    cast(sequenced.entered_at as date) as entered_date,
    cast(sequenced.left_at as date) as left_date,
    case
        when not stages.is_closed
            then {{ dbt.datediff('cast(sequenced.entered_at as date)',
                                 'coalesce(cast(sequenced.left_at as date), as_of.as_of_date)', 'day') }}
    end as days_in_stage,
    sequenced.left_at is null as is_current,
    sequenced.stage_visit_number,
    sequenced.stage_visit_number > 1 as is_reentry,
    coalesce(sequenced.previous_stage = 'closed_lost', false) and not stages.is_closed as is_reopening
from sequenced
inner join stages
    on sequenced.stage = stages.stage
cross join as_of
