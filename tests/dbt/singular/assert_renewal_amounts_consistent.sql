-- Each renewal event: renewed ARR never above expiring ARR, and for renewals
-- successor (constant currency) - expiring = expansion - contraction.
select *
from {{ ref('renewals') }}
where
    renewed_arr > expiring_arr
    or (is_renewed and abs(successor_arr_constant_currency - expiring_arr - expansion_arr + contraction_arr) > 0.00001)
    or (not is_renewed and (renewed_arr != 0 or expansion_arr != 0 or contraction_arr != 0))
