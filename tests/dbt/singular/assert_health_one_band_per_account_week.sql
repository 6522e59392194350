{#-
    docs/metrics.md invariant 5: every account-week has exactly one health band. The bands of ref_health_bands
    (account_health) are matched again against each score: zero matches (a gap) or two (an overlap) fail,
    as does a mart band that differs from the one the score falls in.
-#}
{{ config(enabled=rwh_has_systems(['billing', 'crm', 'product', 'support', 'cs_platform'])) }}
with health as (

    select * from {{ ref('int_account_health_weeks') }}

),

bands as (

    select * from {{ ref('ref_health_bands') }}
    where band_set = 'account_health'

),

matches as (

    select
        health.account_week_id,
        health.health_band,
        count(bands.band) as band_count,
        max(bands.band) as matched_band
    from health
    left join bands
        on {{ rwh_health_band_join('bands', 'health.health_score') }}
    group by 1, 2

)

select *
from matches
where band_count != 1 or health_band is null or health_band != matched_band
