{#-
    Risk and saves (docs/metrics.md section 6), for renewals ending up to the as-of date, per fiscal quarter of the
    end date (and all quarters together), size segment (and 'all') and breakdown:
    - breakdown 'all': every renewal; at-risk concentration is on these rows only;
    - 'risk_reason': at-risk renewals by primary risk reason (the first flag's; overlapping flags count once);
    - 'flag_lead': at-risk renewals by how early the first flag was raised (90_plus, 60_89, 30_59, under_30);
    - 'churn_reason': churned renewals by the reason the customer gave ('unrecorded' without one).
    Save rates are over decided at-risk renewals (pending ones are shown beside them): saved ARR / at-risk
    ARR and saved / at-risk renewals. The save discount (mean discount of saved renewals) is set against the
    standard discount (mean discount of renewed renewals that were never at risk) of the same period and
    segment. At-risk ARR at T-90 / T-60 / T-30 counts renewals with a flag open that day.
-#}
{%- set requires_systems = ['billing', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with renewals as (

    select * from {{ ref('int_renewals_enriched') }}
    where not is_upcoming

),

bands as (

    select * from {{ ref('ref_benchmark_bands') }}

),

by_segment as (

    {{ rwh_fan_out(
        'renewals', ['all', 'size'], ('fiscal_quarter', 'fiscal_quarter_start_date', 'fiscal_quarter_label'),
        with_all_time=true
    ) }}

),

by_breakdown as (

    select
        by_segment.*,
        'all' as breakdown,
        'all' as breakdown_value
    from by_segment
    union all
    select
        by_segment.*,
        'risk_reason' as breakdown,
        primary_risk_reason as breakdown_value
    from by_segment
    where is_at_risk
    union all
    select
        by_segment.*,
        'flag_lead' as breakdown,
        flag_lead_bucket as breakdown_value
    from by_segment
    where is_at_risk
    union all
    select
        by_segment.*,
        'churn_reason' as breakdown,
        churn_reason as breakdown_value
    from by_segment
    where is_churned

),

totals as (

    select
        period_type,
        period_start_date,
        period_label,
        segment_type,
        segment_value,
        breakdown,
        breakdown_value,
        count(*) as up_for_renewal_count,
        cast(sum(expiring_arr) as {{ rwh_money_type() }}) as expiring_arr,
        sum(case when is_at_risk then 1 else 0 end) as at_risk_count,
        cast(sum(case when is_at_risk then expiring_arr else 0 end) as {{ rwh_money_type() }}) as at_risk_arr,
        {% for days in [90, 60, 30] %}
            sum(case when is_at_risk_t{{ days }} then 1 else 0 end) as at_risk_t{{ days }}_count,
            cast(sum(case when is_at_risk_t{{ days }} then expiring_arr else 0 end) as {{ rwh_money_type() }})
                as at_risk_t{{ days }}_arr,
        {% endfor %}
        sum(case when is_at_risk and is_decided then 1 else 0 end) as decided_at_risk_count,
        cast(sum(case when is_at_risk and is_decided then expiring_arr else 0 end) as {{ rwh_money_type() }})
            as decided_at_risk_arr,
        sum(case when is_at_risk and outcome = 'pending' then 1 else 0 end) as pending_at_risk_count,
        sum(case when is_saved then 1 else 0 end) as saved_count,
        cast(sum(saved_arr) as {{ rwh_money_type() }}) as saved_arr,
        cast({{ rwh_round("avg(case when is_saved then discount_rate end)", 6) }} as decimal(18, 6))
            as average_save_discount_rate,
        sum(case when is_churned then 1 else 0 end) as churned_count,
        cast(sum(churned_arr) as {{ rwh_money_type() }}) as churned_arr
    from by_breakdown
    group by 1, 2, 3, 4, 5, 6, 7

),

standard_discounts as (

    select
        period_label,
        segment_type,
        segment_value,
        cast({{ rwh_round("avg(discount_rate)", 6) }} as decimal(18, 6)) as average_standard_discount_rate
    from by_segment
    where is_renewed and not is_at_risk
    group by 1, 2, 3

),

at_risk_accounts as (

    select
        period_label,
        segment_type,
        segment_value,
        account_id,
        sum(expiring_arr) as at_risk_arr
    from by_segment
    where is_at_risk
    group by 1, 2, 3, 4

),

concentration as (

    select
        period_label,
        segment_type,
        segment_value,
        sum(case when account_rank <= {{ var('at_risk_top_accounts') }} then at_risk_arr else 0 end)
            as top_accounts_at_risk_arr,
        sum(at_risk_arr) as at_risk_arr
    from (
        select
            at_risk_accounts.*,
            row_number() over (
                partition by
                    at_risk_accounts.period_label, at_risk_accounts.segment_type, at_risk_accounts.segment_value
                order by at_risk_accounts.at_risk_arr desc, at_risk_accounts.account_id asc
            ) as account_rank
        from at_risk_accounts
    ) as ranked
    group by 1, 2, 3

),

rates as (

    select
        totals.*,
        {{ rwh_ratio('totals.saved_arr', 'totals.decided_at_risk_arr') }} as arr_save_rate,
        {{ rwh_ratio('totals.saved_count', 'totals.decided_at_risk_count') }} as logo_save_rate,
        standard_discounts.average_standard_discount_rate,
        cast(
            case
                when totals.breakdown = 'all'
                    then {{ rwh_ratio('concentration.top_accounts_at_risk_arr', 'concentration.at_risk_arr') }}
            end
            as decimal(18, 6)
        ) as top_accounts_at_risk_arr_share
    from totals
    left join standard_discounts
        on
            totals.period_label = standard_discounts.period_label
            and totals.segment_type = standard_discounts.segment_type
            and totals.segment_value = standard_discounts.segment_value
    left join concentration
        on
            totals.period_label = concentration.period_label
            and totals.segment_type = concentration.segment_type
            and totals.segment_value = concentration.segment_value

),

final as (

    select
        {{ dbt.concat([
            'rates.period_label', "'|'", 'rates.segment_value', "'|'", 'rates.breakdown', "'|'", 'rates.breakdown_value'
        ]) }} as save_rate_id,
        rates.*,
        {{ rwh_is_rollup(all_time=true, segments=true, breakdown=true) }} as is_rollup,
        cast(
            (rates.average_save_discount_rate - rates.average_standard_discount_rate) * 100 as decimal(9, 2)
        ) as save_discount_gap_points,
        save_bands.band as arr_save_rate_band,
        lead_benchmarks.lower_bound as logo_save_rate_benchmark_low,
        lead_benchmarks.upper_bound as logo_save_rate_benchmark_high
    from rates
    left join bands as save_bands
        on {{ rwh_band_join('save_bands', 'save_rate_arr', 'rates.arr_save_rate') }}
    left join bands as lead_benchmarks
        on
            rates.breakdown = 'flag_lead'
            and lead_benchmarks.metric = case rates.breakdown_value
                when '90_plus' then 'save_rate_logos_flagged_90_plus'
                when '30_59' then 'save_rate_logos_flagged_30_60'
            end

)

{{ rwh_contract_select('final') }}
