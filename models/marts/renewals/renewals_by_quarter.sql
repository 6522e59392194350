{#-
    Renewal outcomes and process by fiscal quarter of the end date, segment (as of the event) and tenure
    (1st, 2nd, 3rd+ renewal of the account; 'all' for every renewal). docs/metrics.md sections 3 and 4.

    Rates over decided events (renewed + churned) use "renewals" in the docs/metrics.md sense: logo renewal
    rate and gross dollar retention divide by decided events; early, multi-year, expansion, discount,
    days-to-close and touchpoint figures describe renewed events; escalation rate covers decided events.
    Pending events are shown beside them and never counted as renewed or churned. The quarter that
    contains the as-of date shows every renewal ending in it (docs/metrics.md section 2): those ending after
    the as-of date are pending. Later quarters are not up for renewal yet. Without the CRM
    (RWH_SOURCE_SYSTEMS) its process figures (escalation, days to close, touchpoints) are null.
-#}
{%- set expansion_types = ['new_product', 'module', 'tier_upgrade', 'seats', 'price_uplift'] -%}
{%- set has_crm = rwh_has_systems(['crm']) -%}

with as_of_quarter as (

    select {{ rwh_fiscal_quarter_start('as_of_date') }} as fiscal_quarter_start_date
    from {{ ref('int_as_of_date') }}

),

renewals as (

    -- Quarters up to the as-of quarter; that quarter shows all its renewals, those still ahead as pending.
    select renewals.*
    from {{ ref('int_renewals_enriched') }} as renewals
    inner join as_of_quarter
        on renewals.fiscal_quarter_start_date <= as_of_quarter.fiscal_quarter_start_date

),

bands as (

    select * from {{ ref('ref_benchmark_bands') }}

),

segment_benchmarks as (

    {%- set benchmark_metrics = ['logo_renewal', 'gross_dollar_retention', 'days_to_close', 'touchpoints_to_close',
                                 'proposal_to_signature_days'] %}
    select
        segment,
    {% for metric in benchmark_metrics %}
        max(case when metric = '{{ metric }}' then lower_bound end) as {{ metric }}_benchmark_low,
        max(case when metric = '{{ metric }}' then upper_bound end) as {{ metric }}_benchmark_high
        {{- "," if not loop.last }}
    {% endfor %}
    from {{ ref('ref_segment_benchmarks') }}
    group by 1

),

by_segment as (

    {{ rwh_fan_out('renewals', period=('fiscal_quarter', 'fiscal_quarter_start_date', 'fiscal_quarter_label')) }}

),

by_tenure as (

    select
        by_segment.*,
        'tenure' as breakdown,
        by_segment.tenure_bucket as breakdown_value
    from by_segment
    union all
    select
        by_segment.*,
        'tenure' as breakdown,
        'all' as breakdown_value
    from by_segment

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
        {{ rwh_renewal_scorecard_measures() }},
        sum(case when is_churned then 1 else 0 end) as churned_count,
        cast(sum(churned_arr) as {{ rwh_money_type() }}) as churned_arr,
        cast(sum(contraction_arr) as {{ rwh_money_type() }}) as contraction_arr,
        cast(sum(expansion_arr) as {{ rwh_money_type() }}) as expansion_arr,
        cast(sum(case when outcome = 'pending' then expiring_arr else 0 end) as {{ rwh_money_type() }}) as pending_arr,
        sum(case when has_quarantined_revenue then 1 else 0 end) as quarantined_revenue_count,
        sum(case when is_early_renewal then 1 else 0 end) as early_renewal_count,
        cast({{ rwh_round("avg(case when is_early_renewal then days_early end)", 2) }} as decimal(18, 2))
            as average_days_early,
        sum(case when is_multi_year_renewal then 1 else 0 end) as multi_year_renewal_count,
        sum(case when has_expansion then 1 else 0 end) as renewals_with_expansion_count,
        cast(avg(case when has_expansion then expansion_arr end) as {{ rwh_money_type() }}) as average_expansion_arr,
        {% for t in expansion_types %}
            sum(case when has_{{ t }}_expansion then 1 else 0 end) as {{ t }}_renewal_count,
            cast(sum({{ t }}_expansion_arr) as {{ rwh_money_type() }}) as {{ t }}_expansion_arr,
        {% endfor %}
        cast(sum(
            new_product_expansion_arr + module_expansion_arr + tier_upgrade_expansion_arr + seats_expansion_arr
            + price_uplift_expansion_arr
        ) as {{ rwh_money_type() }}) as typed_expansion_arr,
        cast(sum(case when is_renewed then discount_rate end) as decimal(18, 6)) as sum_discount_rate,
        {#- The CRM's counts are null, not zero, without the CRM (RWH_SOURCE_SYSTEMS). -#}
        {% if has_crm -%}
            sum(case when is_decided and is_escalated then 1 else 0 end)
        {%- else -%}
            cast(null as {{ dbt.type_bigint() }})
        {%- endif %} as escalated_count,
        cast({{ rwh_round("avg(case when is_renewed then days_to_close end)", 2) }} as decimal(18, 2))
            as average_days_to_close,
        cast({{ rwh_round("avg(case when is_renewed then touchpoint_count end)", 2) }} as decimal(18, 2))
            as average_touchpoints_to_close,
        cast({{ rwh_round("avg(case when is_renewed then proposal_to_signature_days end)", 2) }} as decimal(18, 2))
            as average_proposal_to_signature_days,
        {% if has_crm -%}
            sum(case when is_crm_won_but_churned then 1 else 0 end)
        {%- else -%}
            cast(null as {{ dbt.type_bigint() }})
        {%- endif %} as crm_won_but_churned_count
    from by_tenure
    group by 1, 2, 3, 4, 5, 6, 7

),

rates as (

    select
        totals.*,
        {{ rwh_ratio('totals.renewed_count', 'totals.decided_count') }} as logo_renewal_rate,
        {{ rwh_ratio('totals.renewed_arr', 'totals.decided_expiring_arr') }} as gross_dollar_retention_rate,
        {{ rwh_ratio('totals.early_renewal_count', 'totals.renewed_count') }} as early_renewal_rate,
        {{ rwh_ratio('totals.multi_year_renewal_count', 'totals.renewed_count') }} as multi_year_renewal_rate,
        {{ rwh_ratio('totals.renewals_with_expansion_count', 'totals.renewed_count') }} as expansion_rate_at_renewal,
        {% for t in expansion_types %}
            {{ rwh_ratio('totals.' ~ t ~ '_renewal_count', 'totals.renewals_with_expansion_count') }}
                as {{ t }}_attach_rate,
            {{ rwh_ratio('totals.' ~ t ~ '_expansion_arr', 'totals.typed_expansion_arr') }} as {{ t }}_expansion_share,
        {% endfor %}
        {{ rwh_ratio('totals.sum_discount_rate', 'totals.renewed_count') }} as average_discount_rate,
        {{ rwh_ratio('totals.escalated_count', 'totals.decided_count') }} as escalation_rate
    from totals

),

final as (

    select
        {{ dbt.concat([
            'cast(rates.period_start_date as ' ~ dbt.type_string() ~ ')', "'|'", 'rates.segment_type', "'|'",
            'rates.segment_value', "'|'", 'rates.breakdown_value'
        ]) }} as renewal_quarter_id,
        rates.*,
        {{ rwh_is_rollup(segments=true, breakdown=true) }} as is_rollup,
        logo_bands.band as logo_renewal_band,
        early_bands.band as early_renewal_band,
        multi_year_bands.band as multi_year_renewal_band,
        expansion_bands.band as expansion_at_renewal_band,
        discount_bands.band as average_discount_band,
        escalation_bands.band as escalation_band,
        segment_benchmarks.logo_renewal_benchmark_low as segment_logo_renewal_benchmark_low,
        segment_benchmarks.logo_renewal_benchmark_high as segment_logo_renewal_benchmark_high,
        segment_benchmarks.gross_dollar_retention_benchmark_low as segment_gross_dollar_retention_benchmark_low,
        segment_benchmarks.gross_dollar_retention_benchmark_high as segment_gross_dollar_retention_benchmark_high,
        segment_benchmarks.days_to_close_benchmark_low as segment_days_to_close_benchmark_low,
        segment_benchmarks.days_to_close_benchmark_high as segment_days_to_close_benchmark_high,
        segment_benchmarks.touchpoints_to_close_benchmark_low as segment_touchpoints_benchmark_low,
        segment_benchmarks.touchpoints_to_close_benchmark_high as segment_touchpoints_benchmark_high,
        segment_benchmarks.proposal_to_signature_days_benchmark_low as segment_proposal_to_signature_benchmark_low,
        segment_benchmarks.proposal_to_signature_days_benchmark_high as segment_proposal_to_signature_benchmark_high
    from rates
    left join bands as logo_bands
        on {{ rwh_band_join('logo_bands', 'logo_renewal', 'rates.logo_renewal_rate') }}
    left join bands as early_bands
        on {{ rwh_band_join('early_bands', 'early_renewal', 'rates.early_renewal_rate') }}
    left join bands as multi_year_bands
        on {{ rwh_band_join('multi_year_bands', 'multi_year_renewal', 'rates.multi_year_renewal_rate') }}
    left join bands as expansion_bands
        on {{ rwh_band_join('expansion_bands', 'expansion_at_renewal', 'rates.expansion_rate_at_renewal') }}
    left join bands as discount_bands
        on {{ rwh_band_join('discount_bands', 'average_discount', 'rates.average_discount_rate') }}
    left join bands as escalation_bands
        on {{ rwh_band_join('escalation_bands', 'escalation', 'rates.escalation_rate') }}
    left join segment_benchmarks
        on
            rates.segment_type = 'size'
            and rates.segment_value = segment_benchmarks.segment

)

{{ rwh_contract_select('final') }}
