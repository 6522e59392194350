{#-
    Renewal outcomes per CSM and period (docs/metrics.md section 8), and for the team (csm_user_id 'team': every
    attributed renewal pooled). A renewal belongs to the CSM who owned the account at T-90 and to the fiscal
    quarter of its end date (and to all_time). Rates over decided renewals: logo renewal rate, gross dollar
    retention, escalation; over renewed: average discount, early renewal; over decided at-risk: save rate by
    ARR and by logo. The expected renewal rate applies the team's renewal rate per size segment x health band
    at T-90 (t90_outcome bands; every decided renewal up to the as-of date) to the CSM's own decided
    renewals: the portfolio adjustment.
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with renewals as (

    select * from {{ ref('int_renewals_enriched') }}
    where
        not is_upcoming
        and csm_user_id_at_t90 is not null

),

expected_cells as (

    select
        size_segment,
        coalesce(health_outcome_band_t90, 'unknown') as health_band,
        {{ rwh_ratio('sum(case when is_renewed then 1 else 0 end)', 'count(*)') }} as cell_renewal_rate
    from renewals
    where is_decided
    group by 1, 2

),

attributed as (

    select
        renewals.fiscal_quarter_label,
        renewals.outcome,
        renewals.is_decided,
        renewals.is_renewed,
        renewals.expiring_arr,
        renewals.renewed_arr,
        renewals.expansion_arr,
        renewals.discount_rate,
        renewals.is_early_renewal,
        renewals.is_escalated,
        renewals.is_at_risk,
        renewals.is_saved,
        renewals.saved_arr,
        renewals.csm_user_id_at_t90,
        expected_cells.cell_renewal_rate
    from renewals
    left join expected_cells
        on
            renewals.size_segment = expected_cells.size_segment
            and coalesce(renewals.health_outcome_band_t90, 'unknown') = expected_cells.health_band

),

by_period as (

    select
        attributed.*,
        attributed.fiscal_quarter_label as period_label
    from attributed
    union all
    select
        attributed.*,
        'all' as period_label
    from attributed

),

with_team as (

    select
        by_period.*,
        by_period.csm_user_id_at_t90 as csm_user_id
    from by_period
    union all
    select
        by_period.*,
        'team' as csm_user_id
    from by_period

),

totals as (

    select
        csm_user_id,
        period_label,
        {{ rwh_renewal_scorecard_measures() }},
        cast(sum(expansion_arr) as {{ rwh_money_type() }}) as renewal_expansion_arr,
        sum(case when is_renewed then discount_rate end) as sum_discount_rate,
        sum(case when is_early_renewal then 1 else 0 end) as early_renewal_count,
        sum(case when is_decided and is_escalated then 1 else 0 end) as escalated_count,
        sum(case when is_at_risk and is_decided then 1 else 0 end) as decided_at_risk_count,
        sum(case when is_at_risk and is_decided then expiring_arr else 0 end) as decided_at_risk_arr,
        sum(case when is_saved then 1 else 0 end) as saved_count,
        sum(saved_arr) as saved_arr,
        sum(case when is_decided then cell_renewal_rate else 0 end) as expected_renewed_count
    from with_team
    group by 1, 2

)

select
    {{ dbt.concat(['totals.csm_user_id', "'|'", 'totals.period_label']) }} as csm_period_id,
    totals.*,
    {{ rwh_ratio('renewed_count', 'decided_count') }} as logo_renewal_rate,
    {{ rwh_ratio('renewed_arr', 'decided_expiring_arr') }} as gross_dollar_retention_rate,
    {{ rwh_ratio('sum_discount_rate', 'renewed_count') }} as average_discount_rate,
    {{ rwh_ratio('early_renewal_count', 'renewed_count') }} as early_renewal_rate,
    {{ rwh_ratio('escalated_count', 'decided_count') }} as escalation_rate,
    {{ rwh_ratio('saved_arr', 'decided_at_risk_arr') }} as arr_save_rate,
    {{ rwh_ratio('saved_count', 'decided_at_risk_count') }} as logo_save_rate,
    {{ rwh_ratio('expected_renewed_count', 'decided_count') }} as expected_logo_renewal_rate
from totals
