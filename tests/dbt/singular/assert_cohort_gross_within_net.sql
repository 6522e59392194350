-- Cohort retention, gross and net (docs/metrics.md section 3): gross counts each account at most at its initial ARR,
-- so 0 <= gross retained ARR <= initial ARR and gross <= net; the rates are the amounts over the initial ARR.
select *
from {{ ref('cohort_retention') }}
where
    gross_retained_arr < 0
    or gross_retained_arr > initial_arr
    or gross_retained_arr > net_retained_arr
    or gross_arr_retention_rate > 1
    or gross_arr_retention_rate > net_arr_retention_rate
    or (initial_arr > 0 and abs(gross_arr_retention_rate - gross_retained_arr / initial_arr) > 0.000001)
    or (initial_arr > 0 and abs(net_arr_retention_rate - net_retained_arr / initial_arr) > 0.000001)
