-- docs/metrics.md invariant 1: opening + new + expansion + reactivation - contraction - churn + fx = closing,
-- for every account-month, exactly, in ARR and in MRR (+ quarantined: MRR falling into or coming back from
-- revenue staging quarantined, its own movement as FX is).
select *
from {{ ref('int_mrr_movements') }}
where
    opening_arr + new_arr + expansion_arr + reactivation_arr - contraction_arr - churn_arr + fx_arr + quarantined_arr
    != closing_arr
    or opening_mrr + new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churn_mrr + fx_mrr + quarantined_mrr
    != closing_mrr
