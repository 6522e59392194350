-- docs/metrics.md invariant 3: renewed logos <= logos up for renewal; renewed ARR <= ARR up for renewal.
select *
from {{ ref('renewals_by_quarter') }}
where
    renewed_count > decided_count
    or decided_count > up_for_renewal_count
    or renewed_arr > decided_expiring_arr
    or renewed_count + churned_count + pending_count != up_for_renewal_count
