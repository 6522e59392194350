{#-
    Time in stage and win rate by stage (docs/metrics.md section 5). One row per fiscal quarter of the renewals'
    end dates, segment (all, and company size) and open stage: how many opportunities passed through the
    stage, the days they spent in it (mean, median, p90; completed visits only), and the win rate learned
    from history (closed opportunities that reached the stage and were won) beside the configured stage
    weight of ref_opportunity_stages.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with spells as (

    select * from {{ ref('int_opportunity_stage_spells') }}

),

opportunities as (

    select
        opportunity_id,
        fiscal_quarter_start_date,
        fiscal_quarter_label,
        size_segment
    from {{ ref('int_renewal_opportunities_attributed') }}

),

stages as (

    select * from {{ ref('ref_opportunity_stages') }}

),

final_stages as (

    select
        opportunity_id,
        is_closed as is_finally_closed,
        is_won as is_finally_won
    from spells
    where is_current

),

visits as (

    select
        spells.*,
        opportunities.fiscal_quarter_start_date,
        opportunities.fiscal_quarter_label,
        opportunities.size_segment,
        final_stages.is_finally_closed,
        final_stages.is_finally_won
    from spells
    inner join opportunities
        on spells.opportunity_id = opportunities.opportunity_id
    inner join final_stages
        on spells.opportunity_id = final_stages.opportunity_id
    where not spells.is_closed

),

segmented as (

    {{ rwh_fan_out('visits', ['all', 'size']) }}

),

reached as (

    select distinct
        fiscal_quarter_start_date,
        segment_type,
        segment_value,
        stage,
        opportunity_id,
        is_finally_closed,
        is_finally_won
    from segmented

),

win_rates as (

    select
        fiscal_quarter_start_date,
        segment_type,
        segment_value,
        stage,
        count(*) as opportunities_reached_count,
        sum(case when is_finally_closed then 1 else 0 end) as closed_count,
        sum(case when is_finally_won then 1 else 0 end) as won_count
    from reached
    group by 1, 2, 3, 4

),

durations as (

    select
        fiscal_quarter_start_date,
        fiscal_quarter_label,
        segment_type,
        segment_value,
        stage,
        count(*) as completed_visit_count,
        cast({{ rwh_round("avg(days_in_stage)", 2) }} as decimal(18, 2)) as mean_days_in_stage,
        cast({{ rwh_percentile('days_in_stage', 0.5) }} as decimal(18, 2)) as median_days_in_stage,
        cast({{ rwh_percentile('days_in_stage', 0.9) }} as decimal(18, 2)) as p90_days_in_stage
    from segmented
    where left_at is not null
    group by 1, 2, 3, 4, 5

),

final as (

    select
        {{ dbt.concat([
            'cast(win_rates.fiscal_quarter_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
            'win_rates.segment_type', "'|'", 'win_rates.segment_value', "'|'", 'win_rates.stage'
        ]) }} as stage_performance_id,
        'fiscal_quarter' as period_type,
        win_rates.fiscal_quarter_start_date as period_start_date,
        {{ rwh_fiscal_quarter_label('win_rates.fiscal_quarter_start_date') }} as period_label,
        win_rates.segment_type,
        win_rates.segment_value,
        win_rates.segment_type = 'all' as is_rollup,
        win_rates.stage,
        stages.stage_order,
        win_rates.opportunities_reached_count,
        win_rates.closed_count,
        win_rates.won_count,
        {{ rwh_ratio('win_rates.won_count', 'win_rates.closed_count') }} as learned_win_rate,
        stages.stage_weight as configured_stage_weight,
        coalesce(durations.completed_visit_count, 0) as completed_visit_count,
        durations.mean_days_in_stage,
        durations.median_days_in_stage,
        durations.p90_days_in_stage
    from win_rates
    inner join stages
        on win_rates.stage = stages.stage
    left join durations
        on
            win_rates.fiscal_quarter_start_date = durations.fiscal_quarter_start_date
            and win_rates.segment_type = durations.segment_type
            and win_rates.segment_value = durations.segment_value
            and win_rates.stage = durations.stage

)

{{ rwh_contract_select('final') }}
