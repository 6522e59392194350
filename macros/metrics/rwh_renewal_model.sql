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


{#- A number as whole-number text for the factors' words ("usage down 40 % in 60 days"), the same on every engine. -#}
{% macro rwh_whole_number_text(expression) -%}
    cast(cast(round(cast({{ expression }} as decimal(18, 6)), 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
{%- endmacro %}


{#- A number as text with one decimal ("CSAT 3.2"), the same on every engine. -#}
{% macro rwh_one_decimal_text(expression) -%}
    cast(cast(round(cast({{ expression }} as decimal(18, 6)), 1) as decimal(18, 1)) as {{ dbt.type_string() }})
{%- endmacro %}
