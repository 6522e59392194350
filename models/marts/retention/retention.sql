{#-
    Retention by period and segment. One row per period (month, fiscal quarter, fiscal year, trailing
    twelve months) and segment (segment_type, segment_value; segment_type 'all' is the whole book).

    NRR, GRR, logo churn and expansion rate follow the accounts at the opening snapshot to the closing one
    at constant currency (METRICS.md section 2); accounts acquired during the period are left out. Beside
    them, the MRR movement totals of the period's months, each attributed to the account's segment at the
    opening of that month (these may differ from the cohort figures when an account moved both ways).
    Bands compare the annualised rate with the annual benchmarks of ref_benchmark_bands. A period and
    segment with movements but no customer at its opening (the first month of history, a segment's first
    customer) has its row too, with zero opening and null rates.
    Computed in int_period_segment_retention (customer_economics reads it there); this mart publishes it
    under its contract.
-#}
with retention as (

    select * from {{ ref('int_period_segment_retention') }}

)

{{ rwh_contract_select('retention') }}
