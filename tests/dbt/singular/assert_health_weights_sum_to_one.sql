-- docs/metrics.md invariant 5: the health score weights sum to 1.
select sum(weight) as total_weight
from {{ ref('ref_health_weights') }}
having abs(sum(weight) - 1) > 0.000001
