{#-
    The renewal likelihood model's reliability table (issue 14; docs/renewal-likelihood.md): renewals whose grace window
    has closed grouped by the probability band they were given (ref_renewal_probability_bands), per fiscal quarter of
    the end date and for all quarters together, for the training and the held-out renewals (breakdown
    evaluation_set). A calibrated model's observed renewal rate in a band falls within the 90 % interval
    around its mean probability: mean +/- z x sqrt(sum of p(1 - p)) / n (the normal approximation of a sum
    of independent renewals with those probabilities; z = var renewal_model_interval_z, 1.645), clipped to
    [0, 1].
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with scored as (

    select
        likelihood.fiscal_quarter_start_date,
        {{ rwh_fiscal_quarter_label('likelihood.fiscal_quarter_start_date') }} as fiscal_quarter_label,
        case when likelihood.is_held_out then 'held_out' else 'training' end as evaluation_set,
        likelihood.renewal_probability,
        cast(likelihood.renewal_probability as {{ rwh_double_type() }}) as probability,
        cast(case when likelihood.is_renewed then 1 else 0 end as {{ rwh_double_type() }}) as renewed_value
    from {{ ref('int_renewal_likelihood') }} as likelihood
    where likelihood.is_evaluated

),

bands as (

    select * from {{ ref('ref_renewal_probability_bands') }}

),

by_period as (

    {{ rwh_fan_out(
        'scored', ['all'], ('fiscal_quarter', 'fiscal_quarter_start_date', 'fiscal_quarter_label'),
        with_all_time=true
    ) }}

),

totals as (

    select
        by_period.period_type,
        by_period.period_start_date,
        by_period.period_label,
        by_period.segment_type,
        by_period.segment_value,
        by_period.evaluation_set as breakdown_value,
        bands.band as probability_band,
        bands.lower_bound as band_lower_bound,
        bands.upper_bound as band_upper_bound,
        bands.sort_order as band_order,
        count(*) as renewal_count,
        cast(sum(by_period.renewed_value) as {{ dbt.type_bigint() }}) as renewed_count,
        avg(by_period.probability) as mean_renewal_probability,
        avg(by_period.renewed_value) as observed_renewal_rate,
        sum(by_period.probability * (1 - by_period.probability)) as outcome_variance
    from by_period
    inner join bands
        on
            by_period.renewal_probability >= bands.lower_bound
            and (by_period.renewal_probability < bands.upper_bound or bands.upper_bound >= 1)
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10

),

intervals as (

    select
        totals.*,
        {{ var('renewal_model_interval_z') }} * sqrt(totals.outcome_variance) / totals.renewal_count as half_width
    from totals

),

final as (

    select
        {{ dbt.concat(['period_label', "'|'", 'breakdown_value', "'|'", 'probability_band']) }}
            as renewal_model_reliability_id,
        period_type,
        period_start_date,
        period_label,
        segment_type,
        segment_value,
        'evaluation_set' as breakdown,
        breakdown_value,
        {{ rwh_is_rollup(all_time=true) }} as is_rollup,
        probability_band,
        band_lower_bound,
        band_upper_bound,
        band_order,
        renewal_count,
        renewed_count,
        {{ rwh_round('mean_renewal_probability', 6) }} as mean_renewal_probability,
        {{ rwh_round('observed_renewal_rate', 6) }} as observed_renewal_rate,
        {{ rwh_round('case when mean_renewal_probability - half_width < 0 then 0 '
                     ~ 'else mean_renewal_probability - half_width end', 6) }} as interval_lower_rate,
        {{ rwh_round('case when mean_renewal_probability + half_width > 1 then 1 '
                     ~ 'else mean_renewal_probability + half_width end', 6) }} as interval_upper_rate,
        observed_renewal_rate >= mean_renewal_probability - half_width - 0.0000005
        and observed_renewal_rate <= mean_renewal_probability + half_width + 0.0000005 as is_within_interval
    from intervals

)

{{ rwh_contract_select('final') }}
