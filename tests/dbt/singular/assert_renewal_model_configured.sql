{#-
    The renewal likelihood model agrees with its configuration: every feature of rwh_renewal_model_features()
    has its coefficient row in ref_renewal_model_coefficients (without one it would silently not count),
    every coefficient row is a computed feature or the intercept, exactly one intercept row exists, and every
    scale is positive. One row per disagreement (run `rwh train` after changing the features).
-#}
{{ config(enabled=rwh_has_systems(['billing', 'crm', 'product', 'support', 'cs_platform'])) }}

with computed as (

    {% for feature in rwh_renewal_model_features() %}
        select '{{ feature }}' as feature_name
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
    union all
    select 'intercept' as feature_name

),

configured as (

    select * from {{ ref('ref_renewal_model_coefficients') }}

)

select
    coalesce(computed.feature_name, configured.feature) as subject,
    case
        when configured.feature is null then 'computed but no row in ref_renewal_model_coefficients'
        when computed.feature_name is null
            then 'a coefficient for a feature rwh_renewal_model_features() does not compute'
        else 'feature_scale not positive'
    end as finding
from computed
full outer join configured
    on computed.feature_name = configured.feature
where
    computed.feature_name is null
    or configured.feature is null
    or configured.feature_scale <= 0
