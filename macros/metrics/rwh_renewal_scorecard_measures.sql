{#-
    The renewal scorecard's base aggregate (docs/metrics.md sections 2 and 3), the select-list measures of a
    group-by over renewal events (int_renewals_enriched rows, or rows carrying its columns is_decided,
    is_renewed, outcome, expiring_arr and renewed_arr): renewals up for renewal, decided (renewed +
    churned), renewed and pending, the expiring ARR of the decided ones and the renewed ARR. Logo renewal
    rate (renewed_count / decided_count) and gross dollar retention (renewed_arr / decided_expiring_arr)
    are read from them. No trailing comma.
-#}
{% macro rwh_renewal_scorecard_measures() -%}
    count(*) as up_for_renewal_count,
    sum(case when is_decided then 1 else 0 end) as decided_count,
    sum(case when is_renewed then 1 else 0 end) as renewed_count,
    sum(case when outcome = 'pending' then 1 else 0 end) as pending_count,
    cast(sum(case when is_decided then expiring_arr else 0 end) as {{ rwh_money_type() }}) as decided_expiring_arr,
    cast(sum(renewed_arr) as {{ rwh_money_type() }}) as renewed_arr
{%- endmacro %}
