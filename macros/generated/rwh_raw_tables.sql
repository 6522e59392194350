{#- Generated from src/renewal_warehouse/pipeline/contract.py by `rwh sources`. Do not edit by hand. -#}
{% macro rwh_raw_tables() -%}
    {{ return([
        {'system': 'crm', 'table': 'accounts', 'key': ['account_id']},
        {'system': 'crm', 'table': 'users', 'key': ['user_id']},
        {'system': 'crm', 'table': 'account_ownership', 'key': ['ownership_id']},
        {'system': 'crm', 'table': 'renewal_opportunities', 'key': ['opportunity_id']},
        {'system': 'crm', 'table': 'opportunity_stage_history', 'key': ['stage_history_id']},
        {'system': 'crm', 'table': 'activities', 'key': ['activity_id']},
        {'system': 'crm', 'table': 'sponsor_changes', 'key': ['sponsor_change_id']},
        {'system': 'crm', 'table': 'value_reviews', 'key': ['value_review_id']},
        {'system': 'crm', 'table': 'renewal_targets', 'key': ['period_start_date', 'segment']},
        {'system': 'crm', 'table': 'forecast_submissions', 'key': ['submission_id']},
        {'system': 'billing', 'table': 'contracts', 'key': ['contract_id']},
        {'system': 'billing', 'table': 'contract_lines', 'key': ['contract_line_id']},
        {'system': 'billing', 'table': 'products', 'key': ['product_id']},
        {'system': 'billing', 'table': 'fx_rates', 'key': ['currency', 'rate_date']},
        {'system': 'product', 'table': 'usage_daily', 'key': ['account_id', 'user_id', 'usage_date']},
        {'system': 'product', 'table': 'licensed_seats', 'key': ['account_id', 'snapshot_date']},
        {'system': 'support', 'table': 'tickets', 'key': ['ticket_id']},
        {'system': 'cs_platform', 'table': 'survey_responses', 'key': ['response_id']},
        {'system': 'cs_platform', 'table': 'onboarding_milestones', 'key': ['milestone_id']},
        {'system': 'cs_platform', 'table': 'risk_flags', 'key': ['risk_flag_id']},
        {'system': 'cs_platform', 'table': 'churn_reasons', 'key': ['churn_record_id']}
    ]) }}
{%- endmacro %}
