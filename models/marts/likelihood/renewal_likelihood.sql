{#-
    Renewal likelihood at T-90 (issue 14; docs/renewal-likelihood.md): every renewal whose T-90 has passed,
    with the probability the model gives it, the expected renewed ARR (probability x expiring ARR) and the
    three factors that move it most, in words. The scoring lives in int_renewal_likelihood.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with likelihood as (

    select * from {{ ref('int_renewal_likelihood') }}

),

final as (

    select
        likelihood.*,
        {{ rwh_fiscal_quarter_label('likelihood.fiscal_quarter_start_date') }} as fiscal_quarter_label,
        likelihood.renewal_probability * likelihood.expiring_arr as expected_renewed_arr
    from likelihood

)

{{ rwh_contract_select('final') }}
