{#- Generated from src/renewal_warehouse/pipeline/vendors/ by `rwh sources`. Do not edit by hand. -#}
{% macro rwh_vendors() -%}
    {{ return([
        {'vendor': 'stripe', 'system': 'billing', 'replaces': ['contracts', 'contract_lines', 'products'], 'tables': ['customer', 'subscription_history', 'subscription_item', 'price', 'product', 'coupon', 'discount']},
        {'vendor': 'salesforce', 'system': 'crm', 'replaces': ['accounts', 'users', 'account_ownership', 'renewal_opportunities', 'opportunity_stage_history'], 'tables': ['account', 'user', 'user_role', 'record_type', 'opportunity', 'opportunity_history']},
        {'vendor': 'hubspot', 'system': 'crm', 'replaces': ['accounts', 'users', 'account_ownership', 'renewal_opportunities', 'opportunity_stage_history'], 'tables': ['company', 'company_property_history', 'owner', 'owner_team', 'team', 'deal', 'deal_company', 'deal_stage', 'deal_pipeline', 'deal_pipeline_stage', 'merged_deal']},
        {'vendor': 'zendesk', 'system': 'support', 'replaces': ['tickets'], 'tables': ['ticket', 'ticket_field_history', 'ticket_comment', 'ticket_tag', 'organization', 'user']},
        {'vendor': 'segment', 'system': 'product', 'replaces': ['usage_daily'], 'tables': ['tracks', 'identifies', 'groups']}
    ]) }}
{%- endmacro %}
