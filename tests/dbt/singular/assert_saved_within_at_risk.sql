{#-
    docs/metrics.md invariant 3 for saves: saved ARR <= at-risk ARR and saved <= at-risk renewals (decided ones);
    at-risk renewals at T-90 / T-60 / T-30 and in total never exceed the renewals; a saved renewal is an
    at-risk renewal that renewed; save rates lie within 0-1.
-#}
{{ config(enabled=rwh_has_systems(['billing', 'cs_platform'])) }}
with save_rate as (

    select * from {{ ref('save_rate') }}

),

renewals as (

    select * from {{ ref('renewals') }}

)

select
    save_rate_id as failing_id,
    'save_rate' as check_name
from save_rate
where
    saved_arr > decided_at_risk_arr
    or saved_count > decided_at_risk_count
    or decided_at_risk_count > at_risk_count
    or at_risk_count > up_for_renewal_count
    or at_risk_arr > expiring_arr
    or at_risk_t90_count > at_risk_count
    or at_risk_t60_count > at_risk_count
    or at_risk_t30_count > at_risk_count
    or arr_save_rate < 0 or arr_save_rate > 1
    or logo_save_rate < 0 or logo_save_rate > 1

union all

select
    renewal_event_id as failing_id,
    'renewals' as check_name
from renewals
where
    is_saved != (is_at_risk and is_renewed)
    or saved_arr > expiring_arr
    or (not is_at_risk and (is_at_risk_t90 or is_at_risk_t60 or is_at_risk_t30))
    or (is_at_risk and flag_lead_bucket is null)
