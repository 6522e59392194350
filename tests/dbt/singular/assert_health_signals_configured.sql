{#-
    Every signal the health score reads is configured once in ref_health_signals, under its component, with
    a positive weight and distinct zero and full values; and no configured signal is left unread.
-#}
{%- set components = rwh_health_components() %}

with expected as (

    {% for component, signals in components.items() %}
        {% for signal in signals %}
            select
                '{{ component }}' as component,
                '{{ signal }}' as signal_name
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

configured as (

    select * from {{ ref('ref_health_signals') }}

)

select
    coalesce(expected.signal_name, configured.signal) as signal_name,
    expected.component as expected_component,
    configured.component as configured_component
from expected
full outer join configured
    on expected.signal_name = configured.signal
where
    expected.signal_name is null
    or configured.signal is null
    or expected.component != configured.component
    or configured.signal_weight <= 0
    or configured.zero_score_value = configured.full_score_value
