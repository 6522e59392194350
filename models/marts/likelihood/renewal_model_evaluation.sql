{#-
    How good the renewal likelihood model is (issue 14; docs/renewal-likelihood.md), on the renewals whose grace window
    has closed it scored: per fiscal quarter of the end date and for all quarters together, for the whole book and
    by size segment, separately for the renewals it was trained on and those held out (breakdown
    evaluation_set; the held-out quarters are the latest ones, ref_renewal_model_training):
    - observed_renewal_rate: the base rate; mean_renewal_probability: what the model expected;
    - brier_score: mean squared difference between probability and outcome (1 renewed, 0 churned), beside
      base_rate_brier_score, the Brier score of always predicting the training renewal rate; brier_skill_score
      = 1 - brier_score / base_rate_brier_score (above 0: better than the base rate);
    - auc: the probability that a renewed renewal scores above a churned one (ties count half), from the
      ranks (Mann-Whitney); null unless both outcomes occur.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set group_columns = ['period_type', 'period_start_date', 'period_label', 'segment_type', 'segment_value',
                         'breakdown_value'] -%}

with scored as (

    select
        likelihood.renewal_event_id,
        likelihood.size_segment,
        likelihood.fiscal_quarter_start_date,
        {{ rwh_fiscal_quarter_label('likelihood.fiscal_quarter_start_date') }} as fiscal_quarter_label,
        case when likelihood.is_held_out then 'held_out' else 'training' end as evaluation_set,
        cast(likelihood.renewal_probability as {{ rwh_double_type() }}) as probability,
        cast(case when likelihood.is_renewed then 1 else 0 end as {{ rwh_double_type() }}) as renewed_value
    from {{ ref('int_renewal_likelihood') }} as likelihood
    where likelihood.is_evaluated

),

training as (

    select cast(training_renewal_rate as {{ rwh_double_type() }}) as training_renewal_rate
    from {{ ref('ref_renewal_model_training') }}

),

by_segment as (

    {{ rwh_fan_out(
        'scored', ['all', 'size'], ('fiscal_quarter', 'fiscal_quarter_start_date', 'fiscal_quarter_label'),
        with_all_time=true
    ) }}

),

ranked as (

    select
        by_segment.*,
        by_segment.evaluation_set as breakdown_value,
        {#- The average rank of tied probabilities: the lowest rank plus half the other ties. -#}
        rank()
            over (
                partition by
                    by_segment.period_label, by_segment.segment_type, by_segment.segment_value,
                    by_segment.evaluation_set
                order by by_segment.probability
            )
        + (count(*) over (
            partition by
                by_segment.period_label, by_segment.segment_type, by_segment.segment_value,
                by_segment.evaluation_set, by_segment.probability
        ) - 1) / 2.0 as probability_rank
    from by_segment

),

totals as (

    select
        {{ group_columns | join(',\n        ') }},
        count(*) as renewal_count,
        cast(sum(ranked.renewed_value) as {{ dbt.type_bigint() }}) as renewed_count,
        avg(ranked.renewed_value) as observed_renewal_rate,
        avg(ranked.probability) as mean_renewal_probability,
        avg((ranked.probability - ranked.renewed_value) * (ranked.probability - ranked.renewed_value))
            as brier_score,
        avg(
            (training.training_renewal_rate - ranked.renewed_value)
            * (training.training_renewal_rate - ranked.renewed_value)
        ) as base_rate_brier_score,
        sum(case when ranked.renewed_value = 1 then ranked.probability_rank else 0 end) as renewed_rank_sum
    from ranked
    cross join training
    group by {{ range(1, group_columns | length + 1) | join(', ') }}

),

final as (

    select
        {{ dbt.concat(['period_label', "'|'", 'segment_type', "'|'", 'segment_value', "'|'", 'breakdown_value']) }}
            as renewal_model_evaluation_id,
        period_type,
        period_start_date,
        period_label,
        segment_type,
        segment_value,
        'evaluation_set' as breakdown,
        breakdown_value,
        {{ rwh_is_rollup(all_time=true, segments=true) }} as is_rollup,
        renewal_count,
        renewed_count,
        {{ rwh_round('observed_renewal_rate', 6) }} as observed_renewal_rate,
        {{ rwh_round('mean_renewal_probability', 6) }} as mean_renewal_probability,
        {{ rwh_round('brier_score', 6) }} as brier_score,
        {{ rwh_round('base_rate_brier_score', 6) }} as base_rate_brier_score,
        case
            when base_rate_brier_score > 0 then {{ rwh_round('1 - brier_score / base_rate_brier_score', 6) }}
        end as brier_skill_score,
        case
            when renewed_count > 0 and renewed_count < renewal_count
                then {{ rwh_round(
                    '(renewed_rank_sum - renewed_count * (renewed_count + 1) / 2.0)'
                    ~ ' / (renewed_count * (renewal_count - renewed_count))', 6) }}
        end as auc
    from totals

)

{{ rwh_contract_select('final') }}
