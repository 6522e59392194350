{#-
    Renewal pipeline coverage (docs/metrics.md section 5). One row per weekly snapshot (Monday), fiscal quarter of
    the renewals' end dates and segment (all, and company size): the quarter's renewal target, the pipeline
    ARR unweighted and weighted by stage (ref_opportunity_stages weights; closed won counts 1, closed lost 0),
    already-won ARR, coverage of the target with its band, and the stage distribution of the pipeline with
    the share behind schedule. A segment with no target keeps its pipeline and gets no coverage
    (is_target_missing).
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set stage_names = ['not_engaged', 'early_discussion', 'proposal_sent', 'negotiation', 'closed_won',
    'closed_lost'] -%}

with opportunity_weeks as (

    select * from {{ ref('int_opportunity_weeks') }}

),

targets as (

    select * from {{ ref('stg_crm__renewal_targets') }}

),

bands as (

    select * from {{ ref('ref_benchmark_bands') }}

),

segmented as (

    {{ rwh_fan_out(
        'opportunity_weeks', ['all', 'size'], ('fiscal_quarter', 'fiscal_quarter_start_date', 'fiscal_quarter_label')
    ) }}

),

pipeline as (

    select
        week_start_date,
        period_type,
        period_start_date,
        period_label,
        segment_type,
        segment_value,
        count(*) as opportunity_count,
        sum(case when not is_closed then 1 else 0 end) as open_opportunity_count,
        cast(sum(expiring_arr) as {{ rwh_money_type() }}) as unweighted_pipeline_arr,
        {#- decimal(28, 6) x decimal(9, 6) is exact on every engine; Spark rounds a wider product to 6 decimals. #}
        cast(sum(cast(expiring_arr as decimal(28, 6)) * stage_weight) as {{ rwh_money_type() }})
            as weighted_pipeline_arr,
        cast(sum(case when not is_closed then expiring_arr else 0 end) as {{ rwh_money_type() }}) as open_pipeline_arr,
        cast(sum(case when is_won then expiring_arr else 0 end) as {{ rwh_money_type() }}) as won_arr,
        cast(sum(case when is_closed and not is_won then expiring_arr else 0 end) as {{ rwh_money_type() }})
            as lost_arr,
        cast(sum(case when is_behind_schedule then expiring_arr else 0 end) as {{ rwh_money_type() }})
            as behind_schedule_arr,
        sum(case when is_behind_schedule then 1 else 0 end) as behind_schedule_count,
    {% for stage in stage_names %}
        cast(sum(case when stage = '{{ stage }}' then expiring_arr else 0 end) as {{ rwh_money_type() }})
            as {{ stage }}_arr
        {{- "," if not loop.last }}
    {% endfor %}
    from segmented
    group by 1, 2, 3, 4, 5, 6

),

quarter_targets as (

    select
        period_start_date as fiscal_quarter_start_date,
        'size' as segment_type,
        segment as segment_value,
        target_arr_reporting as target_arr,
        1 as target_count
    from targets
    union all
    select
        period_start_date as fiscal_quarter_start_date,
        'all' as segment_type,
        'all' as segment_value,
        sum(target_arr_reporting) as target_arr,
        count(*) as target_count
    from targets
    group by 1, 2, 3

),

segment_count as (

    select count(*) as size_segment_count from {{ ref('ref_size_segments') }}

),

coverage as (

    select
        pipeline.*,
        cast(quarter_targets.target_arr as {{ rwh_money_type() }}) as target_arr,
        quarter_targets.target_arr is null
        or (pipeline.segment_type = 'all' and quarter_targets.target_count < segment_count.size_segment_count)
            as is_target_missing
    from pipeline
    cross join segment_count
    left join quarter_targets
        on
            pipeline.period_start_date = quarter_targets.fiscal_quarter_start_date
            and pipeline.segment_type = quarter_targets.segment_type
            and pipeline.segment_value = quarter_targets.segment_value

),

rates as (

    select
        coverage.*,
        cast(
            case
                when not coverage.is_target_missing
                    then {{ rwh_ratio('coverage.weighted_pipeline_arr', 'coverage.target_arr') }}
            end as decimal(18, 6)
        ) as coverage_rate,
        cast(
            case
                when not coverage.is_target_missing
                    then {{ rwh_ratio('coverage.unweighted_pipeline_arr', 'coverage.target_arr') }}
            end as decimal(18, 6)
        ) as unweighted_coverage_rate,
        {% for stage in stage_names %}
            {{ rwh_ratio('coverage.' ~ stage ~ '_arr', 'coverage.unweighted_pipeline_arr') }} as {{ stage }}_share,
        {% endfor %}
        {{ rwh_ratio('coverage.behind_schedule_arr', 'coverage.open_pipeline_arr') }} as behind_schedule_share
    from coverage

),

final as (

    select
        {{ dbt.concat([
            'cast(rates.week_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
            'cast(rates.period_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
            'rates.segment_type', "'|'", 'rates.segment_value'
        ]) }} as pipeline_coverage_id,
        rates.*,
        {{ rwh_is_rollup(segments=true) }} as is_rollup,
        coverage_bands.band as coverage_band
    from rates
    left join bands as coverage_bands
        on {{ rwh_band_join('coverage_bands', 'pipeline_coverage', 'rates.coverage_rate') }}

)

{{ rwh_contract_select('final') }}
