{#-
    The health score's components (docs/metrics.md section 7): a score column each in int_account_health_weeks.
    Which signals make a component, and its weight, are rows of ref_health_signals and ref_health_weights.
-#}
{% macro rwh_health_components() -%}
    {{ return(['usage', 'engagement', 'support', 'outcomes']) }}
{%- endmacro %}
