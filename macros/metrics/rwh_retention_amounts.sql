{#-
    The retention amounts of one account in one period (docs/metrics.md section 2), from its opening ARR and its
    closing ARR at constant currency (int_period_account_retention): the closing ARR it counts in NRR (only when
    paying at the opening), the opening ARR it keeps (GRR: the closing ARR capped at the opening), and what it
    added (expansion), lost while staying (contraction) or lost by leaving (churned). One definition:
    int_period_segment_retention sums them per segment, account_retention publishes them per account.
-#}
{% macro rwh_retention_amounts(relation) -%}
    {%- set opening = relation ~ '.opening_arr' -%}
    {%- set closing = relation ~ '.closing_arr_constant_currency' -%}
    case when {{ opening }} > 0 then {{ closing }} else 0 end as nrr_closing_arr,
    case
        when {{ opening }} > 0 and {{ closing }} < {{ opening }} then {{ closing }}
        else {{ opening }}
    end as retained_arr,
    case
        when {{ opening }} > 0 and {{ closing }} > {{ opening }} then {{ closing }} - {{ opening }}
        else 0
    end as expansion_arr,
    case
        when {{ closing }} > 0 and {{ closing }} < {{ opening }} then {{ opening }} - {{ closing }}
        else 0
    end as contraction_arr,
    case when {{ opening }} > 0 and {{ closing }} = 0 then {{ opening }} else 0 end as churned_arr
{%- endmacro %}
