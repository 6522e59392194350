{#-
    One row per renewal event (a contract with a committed term reaching its end date; METRICS.md section 2):
    its outcome from billing (renewed, churned, pending), the amounts at constant currency, expansion by
    type, early and multi-year flags, discount, the CRM process facts, the risk facts (at risk, saved, flag
    lead, primary reason), the churn reason the customer gave, and the leading indicators (health at T-90,
    engagement change, value review by T-60, sponsor change). Segment and CSM are taken as of
    the event (CSM: the account owner at T-90).
    Billing alone builds it (RWH_SOURCE_SYSTEMS): the columns of an absent system are null, never zero or
    false: CRM process facts and CSM need the CRM, risk facts and churn reasons the CS platform, leading
    indicators every system (docs/source-systems.md).
    The events are joined in int_renewals_enriched, which the marts and intermediate models built on renewal
    events read; this mart publishes it under its contract.
-#}
with renewals as (

    select * from {{ ref('int_renewals_enriched') }}

)

{{ rwh_contract_select('renewals') }}
