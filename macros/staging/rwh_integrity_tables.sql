{#-
    The raw tables that have an integrity model (integrity_<system>__<table>) with the source systems it
    needs: the quarantine, the staged views and the conservation test read it for them. A pytest test keeps
    this list equal to the models in models/staging/_integrity/.
-#}
{% macro rwh_integrity_tables() -%}
    {%- set tables = {
        'billing.contracts': ['billing'],
        'billing.contract_lines': ['billing'],
        'crm.account_ownership': ['crm'],
        'crm.activities': ['crm'],
        'crm.forecast_submissions': ['crm'],
        'crm.opportunity_stage_history': ['crm'],
        'crm.renewal_opportunities': ['crm'],
        'crm.sponsor_changes': ['crm'],
        'crm.value_reviews': ['crm'],
        'cs_platform.churn_reasons': ['cs_platform'],
        'cs_platform.onboarding_milestones': ['cs_platform'],
        'cs_platform.risk_flags': ['cs_platform'],
        'cs_platform.survey_responses': ['cs_platform'],
        'product.licensed_seats': ['product'],
        'support.tickets': ['support'],
    } -%}
    {%- set present = [] -%}
    {%- for name, systems in tables.items() if rwh_has_systems(systems) -%}
        {%- do present.append(name) -%}
    {%- endfor -%}
    {{ return(present) }}
{%- endmacro %}
