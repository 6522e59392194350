{#- Generated from src/renewal_warehouse/pipeline/vendors/ by `rwh sources`. Do not edit by hand. -#}
{% macro rwh_vendors() -%}
    {{ return([
        {'vendor': 'stripe', 'system': 'billing', 'replaces': ['contracts', 'contract_lines', 'products'], 'tables': ['customer', 'subscription_history', 'subscription_item', 'price', 'product', 'coupon', 'discount']}
    ]) }}
{%- endmacro %}
