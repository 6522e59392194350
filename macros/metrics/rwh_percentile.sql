{#- A percentile (0-1) of an expression within a group, dispatched per adapter. -#}
{% macro rwh_percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('rwh_percentile', 'renewal_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__rwh_percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__rwh_percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
