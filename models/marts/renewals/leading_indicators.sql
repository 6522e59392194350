{#-
    Renewal outcomes by leading indicator (docs/metrics.md section 7): for each fiscal quarter of the end date
    (and for all quarters together, period_type 'all_time'), size segment (and 'all'), indicator and its
    value, the decided renewals, logo renewal rate and gross dollar retention, and the lift: the rate in
    points against the other known values of the same indicator in the same period and segment.
    Indicators: health_outcome_band_t90 (high / medium / low, t90_outcome band edges), health_band_t90
    (green / yellow / red), engagement (drop / no_drop), value_review_t60 (done / not_done),
    sponsor_change (changed / unchanged) and at_risk (flagged / not_flagged); 'unknown' where the indicator
    has no value (it is left out of the lift).
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set indicators = {
    'health_outcome_band_t90': "coalesce(health_outcome_band_t90, 'unknown')",
    'health_band_t90': "coalesce(health_band_t90, 'unknown')",
    'engagement':
        "case when is_engagement_drop then 'drop' when not is_engagement_drop then 'no_drop' else 'unknown' end",
    'value_review_t60': "case when is_value_review_done_t60 then 'done'"
        ~ " when not is_value_review_done_t60 then 'not_done' else 'unknown' end",
    'sponsor_change': "case when has_sponsor_change then 'changed' else 'unchanged' end",
    'at_risk': "case when is_at_risk then 'flagged' else 'not_flagged' end",
} -%}

with renewals as (

    select * from {{ ref('int_renewals_enriched') }}
    where not is_upcoming

),

by_segment as (

    {{ rwh_fan_out(
        'renewals', ['all', 'size'], ('fiscal_quarter', 'fiscal_quarter_start_date', 'fiscal_quarter_label'),
        with_all_time=true
    ) }}

),

by_indicator as (

    {% for indicator, expression in indicators.items() %}
        select
            period_type,
            period_start_date,
            period_label,
            segment_type,
            segment_value,
            '{{ indicator }}' as breakdown,
            {{ expression }} as breakdown_value,
            is_decided,
            is_renewed,
            outcome,
            expiring_arr,
            renewed_arr
        from by_segment
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

totals as (

    select
        period_type,
        period_start_date,
        period_label,
        segment_type,
        segment_value,
        breakdown,
        breakdown_value,
        {{ rwh_renewal_scorecard_measures() }}
    from by_indicator
    group by 1, 2, 3, 4, 5, 6, 7

),

with_known as (

    select
        totals.*,
        sum(case when totals.breakdown_value != 'unknown' then totals.decided_count else 0 end) over (
            partition by totals.period_label, totals.segment_type, totals.segment_value, totals.breakdown
        ) as known_decided_count,
        sum(case when totals.breakdown_value != 'unknown' then totals.renewed_count else 0 end) over (
            partition by totals.period_label, totals.segment_type, totals.segment_value, totals.breakdown
        ) as known_renewed_count
    from totals

),

rates as (

    select
        with_known.*,
        {{ rwh_ratio('renewed_count', 'decided_count') }} as logo_renewal_rate,
        {{ rwh_ratio('renewed_arr', 'decided_expiring_arr') }} as gross_dollar_retention_rate,
        cast(
            case
                when with_known.breakdown_value != 'unknown'
                    then {{ rwh_ratio('known_renewed_count - renewed_count', 'known_decided_count - decided_count') }}
            end
            as decimal(18, 6)
        ) as other_values_logo_renewal_rate
    from with_known

),

final as (

    select
        {{ dbt.concat([
            'period_label', "'|'", 'segment_value', "'|'", 'breakdown', "'|'", 'breakdown_value'
        ]) }} as leading_indicator_id,
        period_type,
        period_start_date,
        period_label,
        segment_type,
        segment_value,
        breakdown,
        breakdown_value,
        {{ rwh_is_rollup(all_time=true, segments=true) }} as is_rollup,
        up_for_renewal_count,
        decided_count,
        renewed_count,
        pending_count,
        decided_expiring_arr,
        renewed_arr,
        logo_renewal_rate,
        gross_dollar_retention_rate,
        other_values_logo_renewal_rate,
        cast((logo_renewal_rate - other_values_logo_renewal_rate) * 100 as decimal(9, 2)) as logo_renewal_lift_points
    from rates

)

{{ rwh_contract_select('final') }}
