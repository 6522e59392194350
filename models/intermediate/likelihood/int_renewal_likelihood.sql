{#-
    The renewal likelihood model scored in SQL (issue 14; docs/renewal-likelihood.md): one row per renewal
    event of int_renewal_model_features (its T-90 is on or before the as-of date). The linear score is the
    intercept plus, for every feature, coefficient x (value - training mean) / training scale, with the
    coefficients `rwh train` wrote to ref_renewal_model_coefficients (a missing value adds nothing); the
    probability is the logistic function of the score, computed in double precision on every engine and kept
    to 9 decimals. Each renewal carries the three factors (rwh_renewal_model_features(): the segment's two
    indicators make one) that move its score most from the average renewal's, in words, with their
    contribution to the score (negative: lowers the likelihood).
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set features = rwh_renewal_model_features() -%}
{%- set float_type = rwh_double_type() -%}
{%- set string_type = dbt.type_string() -%}

with features as (

    select * from {{ ref('int_renewal_model_features') }}

),

coefficients as (

    select
        feature,
        cast(feature_mean as {{ float_type }}) as feature_mean,
        cast(feature_scale as {{ float_type }}) as feature_scale,
        cast(coefficient as {{ float_type }}) as coefficient
    from {{ ref('ref_renewal_model_coefficients') }}

),

training as (

    select * from {{ ref('ref_renewal_model_training') }}

),

feature_values as (

    {% for name, factor in features.items() %}
        select
            renewal_event_id,
            '{{ name }}' as feature,
            '{{ factor }}' as factor,
            x_{{ name }} as feature_value
        from features
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

contributions as (

    select
        feature_values.renewal_event_id,
        feature_values.factor,
        sum(
            coalesce(
                coefficients.coefficient * (feature_values.feature_value - coefficients.feature_mean)
                / coefficients.feature_scale,
                0
            )
        ) as contribution
    from feature_values
    inner join coefficients
        on feature_values.feature = coefficients.feature
    group by 1, 2

),

intercept as (

    select coefficient from coefficients
    where feature = 'intercept'

),

scores as (

    select
        contributions.renewal_event_id,
        max(intercept.coefficient) + sum(contributions.contribution) as likelihood_score
    from contributions
    cross join intercept
    group by 1

),

ranked as (

    select
        renewal_event_id,
        factor,
        contribution,
        row_number() over (
            partition by renewal_event_id
            order by abs(cast(contribution as decimal(18, 9))) desc, factor
        ) as factor_rank
    from contributions

),

phrased as (

    select
        ranked.renewal_event_id,
        ranked.factor_rank,
        ranked.contribution,
        case ranked.factor
            when 'segment'
                then
                    case features.size_segment
                        when 'enterprise' then 'Enterprise account'
                        when 'mid_market' then 'Mid-Market account'
                        else 'SMB account'
                    end
            when 'health'
                then
                    case
                        when features.x_health_score_t90 is null then 'no health score at T-90'
                        else {{ dbt.concat(["'health '", rwh_whole_number_text("features.x_health_score_t90"),
                            "' at T-90'"]) }}
                    end
            when 'usage'
                then
                    case
                        when features.usage_change_60d_raw is null then 'no usage two months before'
                        when features.usage_change_60d_raw < 0
                            then {{ dbt.concat(["'usage down '",
                                rwh_whole_number_text("-100 * features.usage_change_60d_raw"), "' % in 60 days'"]) }}
                        else 'usage steady or up in 60 days'
                    end
            when 'csat'
                then
                    case
                        when features.x_csat_60d is null then 'no CSAT answer in 60 days'
                        else {{ dbt.concat(["'CSAT '", rwh_one_decimal_text("features.x_csat_60d"), "' in 60 days'"]) }}
                    end
            when 'nps'
                then
                    case
                        when features.x_nps_60d is null then 'no NPS answer in 60 days'
                        else {{ dbt.concat(["'NPS answer '", rwh_one_decimal_text("features.x_nps_60d"),
                            "' in 60 days'"]) }}
                    end
            when 'escalations'
                then
                    case
                        when features.ticket_count_60d = 0 then 'no support ticket in 60 days'
                        else {{ dbt.concat([rwh_whole_number_text("features.escalated_ticket_count_60d"), "' of '",
                        rwh_whole_number_text("features.ticket_count_60d"), "' tickets escalated in 60 days'"]) }}
                    end
            when 'value_review'
                then
                    case when features.x_is_value_review_done = 1 then 'value review done' else 'no value review' end
            when 'risk_flag'
                then
                    case
                        when features.x_is_at_risk_t90 = 1
                            then {{ dbt.concat(["'risk flag open ('", "replace(features.risk_reason_t90, '_', ' ')",
                                "')'"]) }}
                        else 'no open risk flag'
                    end
            when 'sponsor'
                then
                    case
                        when features.x_has_sponsor_change_180d = 1 then 'executive sponsor changed'
                        else 'same executive sponsor'
                    end
            when 'tenure'
                then
                    case when features.x_is_first_renewal = 1 then 'first renewal' else 'renewed before' end
            when 'discount'
                then
                    {{ dbt.concat(["'discount '",
                        rwh_whole_number_text("100 * coalesce(features.x_discount_rate_t90, 0)"),
                        "' % on the current contract'"]) }}
            when 'size'
                then
                    {{ dbt.concat(["'$'", rwh_whole_number_text("features.arr_t90 / 1000"), "'K ARR'"]) }}
            else ranked.factor
        end as factor_phrase
    from ranked
    inner join features
        on ranked.renewal_event_id = features.renewal_event_id
    where ranked.factor_rank <= 3

),

top_factors as (

    select
        renewal_event_id,
    {%- for rank in [1, 2, 3] %}
        max(case when factor_rank = {{ rank }} then factor_phrase end) as factor_{{ rank }},
        max(case when factor_rank = {{ rank }} then contribution end) as factor_{{ rank }}_contribution
        {{- "," if not loop.last }}
    {%- endfor %}
    from phrased
    group by 1

)

select
    features.renewal_event_id,
    features.account_id,
    features.csm_user_id_at_t90,
    features.size_segment,
    features.end_date,
    features.t90_date,
    features.fiscal_quarter_start_date,
    features.fiscal_quarter_start_date >= training.held_out_from_date as is_held_out,
    features.outcome,
    features.is_decided,
    features.is_evaluated,
    features.is_renewed,
    features.expiring_arr,
    features.renewed_arr,
    cast(scores.likelihood_score as decimal(18, 9)) as likelihood_score,
    cast(1 / (1 + exp(-1 * scores.likelihood_score)) as decimal(18, 9)) as renewal_probability,
    top_factors.factor_1,
    cast(top_factors.factor_1_contribution as decimal(18, 6)) as factor_1_contribution,
    top_factors.factor_2,
    cast(top_factors.factor_2_contribution as decimal(18, 6)) as factor_2_contribution,
    top_factors.factor_3,
    cast(top_factors.factor_3_contribution as decimal(18, 6)) as factor_3_contribution
from features
inner join scores
    on features.renewal_event_id = scores.renewal_event_id
inner join top_factors
    on features.renewal_event_id = top_factors.renewal_event_id
cross join training
