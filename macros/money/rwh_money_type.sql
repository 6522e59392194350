{#- Money in major units, exact to 1e-6 (amounts are rounded only where they are shown). -#}
{% macro rwh_money_type() -%}
    {{ return(adapter.dispatch('rwh_money_type', 'renewal_warehouse')()) }}
{%- endmacro %}

{% macro default__rwh_money_type() -%}
    decimal(38, 6)
{%- endmacro %}
