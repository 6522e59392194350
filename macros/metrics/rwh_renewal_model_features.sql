{#-
    The renewal likelihood model's features (issue 14; docs/renewal-likelihood.md), each defined once: its
    name (int_renewal_model_features has one column x_<name> per entry) and the factor it belongs to (a
    factor is what a renewal's top three reasons name in words; the segment's two indicators make one).
    `rwh train` fits one coefficient per feature on these columns and writes ref_renewal_model_coefficients;
    assert_renewal_model_configured fails when this list and the seed disagree.
-#}
{% macro rwh_renewal_model_features() -%}
    {{ return({
        'is_mid_market': 'segment',
        'is_enterprise': 'segment',
        'health_score_t90': 'health',
        'usage_change_60d': 'usage',
        'csat_60d': 'csat',
        'nps_60d': 'nps',
        'escalated_ticket_share_60d': 'escalations',
        'is_value_review_done': 'value_review',
        'is_at_risk_t90': 'risk_flag',
        'has_sponsor_change_180d': 'sponsor',
        'is_first_renewal': 'tenure',
        'discount_rate_t90': 'discount',
        'log_arr_t90': 'size',
    }) }}
{%- endmacro %}
