{#-
    The health score per account and week (docs/metrics.md section 7), on the dense grid of
    int_account_week_signals: each signal of rwh_health_signals() scored 0-100 against its row of
    ref_health_signals, each component the weighted mean of the signals that have a value and whose seed row
    names the component, the composite the ref_health_weights-weighted mean of the components that have one
    (renormalised, so a missing component never counts as 0), the band from ref_health_bands
    (account_health) and the score four weeks before. Which signal belongs to which component, and every
    weight and range, is read from the seeds at run time: no signal is listed here. Scores are rounded to 2
    decimals and the band is taken from the rounded score.

    Written wide on purpose: the same score computed long-form (a row per account, week and signal, then
    aggregated) took 248 s for the aggregation alone at 100,000 accounts and ran out of the 5 GB memory
    limit as a model, against 37 s for this one (docs/health-score.md).
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

{%- set components = rwh_health_components() -%}
{%- set all_signals = rwh_health_signals().keys() | list %}

with signals as (

    select * from {{ ref('int_account_week_signals') }}

),

signal_config as (

    select
    {% for signal in all_signals %}
            max(case when signal = '{{ signal }}' then component end) as {{ signal }}_component,
            max(case when signal = '{{ signal }}' then zero_score_value end) as {{ signal }}_zero,
            max(case when signal = '{{ signal }}' then full_score_value end) as {{ signal }}_full,
            max(case when signal = '{{ signal }}' then signal_weight end) as {{ signal }}_weight
            {{- "," if not loop.last }}
    {% endfor %}
    from {{ ref('ref_health_signals') }}

),

component_weights as (

    select
    {% for component in components %}
            max(case when component = '{{ component }}' then weight end) as {{ component }}_weight
            {{- "," if not loop.last }}
    {% endfor %}
    from {{ ref('ref_health_weights') }}

),

bands as (

    select * from {{ ref('ref_health_bands') }}
    where band_set = 'account_health'

),

signal_scores as (

    select
        signals.*,
    {% for signal in all_signals %}
        {{ rwh_signal_score('signals.' ~ signal, 'signal_config.' ~ signal ~ '_zero',
            'signal_config.' ~ signal ~ '_full') }}
            as {{ signal }}_score
        {{- "," if not loop.last }}
    {% endfor %}
    from signals
    cross join signal_config

),

component_scores as (

    select
        signal_scores.*,
    {% for component in components %}
        {{ rwh_weighted_mean(
            all_signals,
            "case when signal_config.{}_component = '" ~ component ~ "' then signal_scores.{}_score end",
            'signal_config.{}_weight'
        ) }} as {{ component }}_score
        {{- "," if not loop.last }}
    {% endfor %}
    from signal_scores
    cross join signal_config

),

composite as (

    select
        component_scores.*,
        cast({{ rwh_round(
            rwh_weighted_mean(components, 'component_scores.{}_score', 'component_weights.{}_weight'),
            2
        ) }} as decimal(5, 2)) as health_score
    from component_scores
    cross join component_weights

),

with_trend as (

    select
        composite.*,
        lag(composite.health_score, 4) over (
            partition by composite.account_id order by composite.week_number
        ) as health_score_4_weeks_before,
        lag(composite.is_customer, 4) over (
            partition by composite.account_id order by composite.week_number
        ) as was_customer_4_weeks_before
    from composite

)

select
    with_trend.account_week_id,
    with_trend.account_id,
    with_trend.week_start_date,
    with_trend.snapshot_date,
    with_trend.week_number,
    with_trend.is_customer,
    with_trend.health_score,
    bands.band as health_band,
    {% for component in components %}
        cast({{ rwh_round('with_trend.' ~ component ~ '_score', 2) }} as decimal(5, 2)) as {{ component }}_score,
    {% endfor %}
    {% for signal in all_signals %}
        cast({{ rwh_round('with_trend.' ~ signal ~ '_score', 2) }} as decimal(5, 2)) as {{ signal }}_score,
    {% endfor %}
    case when with_trend.was_customer_4_weeks_before then with_trend.health_score_4_weeks_before end
        as health_score_4_weeks_before,
    case
        when with_trend.was_customer_4_weeks_before
            then cast(with_trend.health_score - with_trend.health_score_4_weeks_before as decimal(6, 2))
    end as health_score_change_4_weeks
from with_trend
left join bands
    on {{ rwh_health_band_join('bands', 'with_trend.health_score') }}
