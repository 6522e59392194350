{#-
    Retention by period and segment (docs/metrics.md section 2): the rows of int_period_segment_retention, where
    the logic and its description live (customer_economics reads it there), published under this mart's
    contract.
-#}
with retention as (

    select * from {{ ref('int_period_segment_retention') }}

)

{{ rwh_contract_select('retention') }}
