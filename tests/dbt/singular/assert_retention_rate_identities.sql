-- docs/metrics.md invariant 2: NRR - GRR = expansion / starting ARR; 0 <= GRR <= 1; GRR <= NRR.
-- Rates are stored to 6 decimals, so the identity is checked to 2e-6.
select *
from {{ ref('retention') }}
where
    opening_arr > 0
    and (
        abs(net_revenue_retention_rate - gross_revenue_retention_rate - expansion_arr / opening_arr) > 0.000002
        or gross_revenue_retention_rate < 0
        or gross_revenue_retention_rate > 1
        or gross_revenue_retention_rate > net_revenue_retention_rate
        or abs(opening_arr - retained_arr - contraction_arr - churned_arr) > 0.00001
    )
