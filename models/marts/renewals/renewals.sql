{#-
    Renewal events (docs/metrics.md section 2): the rows of int_renewals_enriched, where the logic and its
    description live (the renewal marts and the CSM models read it there), published under this mart's
    contract. Billing alone builds it (docs/source-systems.md).
-#}
with renewals as (

    select * from {{ ref('int_renewals_enriched') }}

)

{{ rwh_contract_select('renewals') }}
