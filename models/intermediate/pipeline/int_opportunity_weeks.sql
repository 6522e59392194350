{#-
    One row per renewal opportunity and week (Monday snapshots), from the first Monday on or after the day it
    was created (it did not exist on the Monday of its creation week) to the end of
    the fiscal quarter its contract ends in (or the as-of date): the stage it was in that day (as-of join on
    the stage history), the stage expected at its T-minus (the windows of ref_opportunity_stages) and
    whether it is behind schedule (an open opportunity in an earlier stage than expected).

    Expiring ARR, end date, segment and quarter come from int_renewal_opportunities_attributed.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with opportunities as (

    select * from {{ ref('int_renewal_opportunities_attributed') }}

),

weeks as (

    select * from {{ ref('int_calendar_weeks') }}

),

spells as (

    select * from {{ ref('int_opportunity_stage_spells') }}

),

stages as (

    select * from {{ ref('ref_opportunity_stages') }}

),

as_of as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

snapshots as (

    select
        opportunities.*,
        weeks.week_start_date,
        -- noqa: disable=LT05
        {{ dbt.datediff('weeks.week_start_date', 'opportunities.end_date', 'day') }} as days_before_end
        -- noqa: enable=LT05
    from opportunities
    inner join weeks
        on
            opportunities.created_date <= weeks.week_start_date
            and opportunities.fiscal_quarter_end_date >= weeks.week_start_date
    cross join as_of
    where weeks.week_start_date <= as_of.as_of_date

),

staged as (

    select
        snapshots.opportunity_id,
        snapshots.week_start_date,
        spells.stage,
        row_number() over (
            partition by snapshots.opportunity_id, snapshots.week_start_date
            order by spells.entered_at desc, spells.stage_history_id desc
        ) as spell_rank
    from snapshots
    inner join spells
        on
            snapshots.opportunity_id = spells.opportunity_id
            and snapshots.week_start_date >= spells.entered_date
            and (spells.left_date is null or snapshots.week_start_date < spells.left_date)

),

expected as (

    select
        snapshots.opportunity_id,
        snapshots.week_start_date,
        max(stages.stage_order) as expected_stage_order
    from snapshots
    inner join stages
        on
            not stages.is_closed
            and (
                stages.expected_to_days_before_end is null
                or snapshots.days_before_end > stages.expected_to_days_before_end
            )
            and (
                stages.expected_from_days_before_end is null
                or snapshots.days_before_end <= stages.expected_from_days_before_end
            )
    group by 1, 2

),

latest_open_stage as (

    select max(stage_order) as stage_order from stages
    where not is_closed

),

resolved as (

    -- The stage and the expected stage are settled here, before the stage lookups: DuckDB 2.0 dropped
    -- rows when the coalesce below sat in the join condition itself.
    select
        snapshots.*,
        coalesce(staged.stage, 'not_engaged') as stage,
        coalesce(expected.expected_stage_order, latest_open_stage.stage_order) as expected_stage_order
    from snapshots
    cross join latest_open_stage
    left join staged
        on
            snapshots.opportunity_id = staged.opportunity_id
            and snapshots.week_start_date = staged.week_start_date
            and staged.spell_rank = 1
    left join expected
        on
            snapshots.opportunity_id = expected.opportunity_id
            and snapshots.week_start_date = expected.week_start_date

)

select
    {{ dbt.concat(['resolved.opportunity_id', "'|'", 'cast(resolved.week_start_date as ' ~ dbt.type_string() ~ ')']) }}
        as opportunity_week_id,
    resolved.opportunity_id,
    resolved.week_start_date,
    resolved.account_id,
    resolved.renewal_event_id,
    resolved.owner_user_id,
    resolved.csm_user_id_at_t90,
    resolved.size_segment,
    resolved.end_date,
    resolved.fiscal_quarter_start_date,
    resolved.fiscal_quarter_label,
    resolved.days_before_end,
    resolved.expiring_arr,
    resolved.stage,
    current_stages.stage_order,
    current_stages.stage_weight,
    current_stages.is_closed,
    current_stages.is_won,
    expected_stages.stage as expected_stage,
    not current_stages.is_closed and current_stages.stage_order < expected_stages.stage_order as is_behind_schedule
from resolved
inner join stages as current_stages
    on resolved.stage = current_stages.stage
inner join stages as expected_stages
    on resolved.expected_stage_order = expected_stages.stage_order
