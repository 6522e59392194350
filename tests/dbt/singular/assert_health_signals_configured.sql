{#-
    The health signals agree with their configuration: every signal of rwh_health_signals() has its row in
    ref_health_signals (without one it would go unscored) and every configured signal is computed (without
    that it would be configured and never read); every signal has a positive weight and distinct zero and
    full values; and the components of both seeds are the ones rwh_health_components() writes a score
    column for. One row per disagreement.
-#}
{{ config(enabled=rwh_has_systems(['billing', 'crm', 'product', 'support', 'cs_platform'])) }}

with computed as (

    {% for signal in rwh_health_signals() %}
        select '{{ signal }}' as signal_name
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

components as (

    {% for component in rwh_health_components() %}
        select '{{ component }}' as component
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

configured as (

    select * from {{ ref('ref_health_signals') }}

),

weights as (

    select * from {{ ref('ref_health_weights') }}

)

select
    coalesce(computed.signal_name, configured.signal) as subject,
    case
        when configured.signal is null then 'computed but no row in ref_health_signals'
        when computed.signal_name is null then 'configured but not in rwh_health_signals()'
        when configured.signal_weight <= 0 then 'signal_weight not positive'
        when configured.zero_score_value = configured.full_score_value then 'zero_score_value = full_score_value'
        else 'component ' || configured.component || ' not in rwh_health_components()'
    end as finding
from computed
full outer join configured
    on computed.signal_name = configured.signal
left join components
    on configured.component = components.component
where
    computed.signal_name is null
    or configured.signal is null
    or configured.signal_weight <= 0
    or configured.zero_score_value = configured.full_score_value
    or components.component is null

union all

select
    coalesce(components.component, weights.component) as subject,
    case
        when weights.component is null then 'no weight in ref_health_weights'
        else 'weighted in ref_health_weights but not in rwh_health_components()'
    end as finding
from components
full outer join weights
    on components.component = weights.component
where components.component is null or weights.component is null
