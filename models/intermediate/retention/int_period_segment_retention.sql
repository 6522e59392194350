{#-
    Retention by period and segment. One row per period (month, fiscal quarter, fiscal year, trailing
    twelve months) and segment (segment_type, segment_value; segment_type 'all' is the whole book).

    NRR, GRR, logo churn and expansion rate follow the accounts at the opening snapshot to the closing one
    at constant currency (docs/metrics.md section 2); accounts acquired during the period are left out. Beside
    them, the MRR movement totals of the period's months, each attributed to the account's segment at the
    opening of that month (these may differ from the cohort figures when an account moved both ways).
    Bands compare the annualised rate with the annual benchmarks of ref_benchmark_bands. A period and
    segment with movements but no customer at its opening (the first month of history, a segment's first
    customer) has its row too, with zero opening and null rates. Revenue staging quarantined shows as its
    own movement (quarantined_mrr), and quarantined_revenue_account_count counts the period's accounts whose
    opening or closing snapshot misses such revenue: their figures, and the period's, are incomplete.
-#}

with periods as (

    select * from {{ ref('int_retention_periods') }}

),

period_accounts as (

    select * from {{ ref('int_period_account_retention') }}

),

movements as (

    select * from {{ ref('int_mrr_movements') }}

),

segments as (

    select * from {{ ref('int_account_month_segments') }}

),

bands as (

    select * from {{ ref('ref_benchmark_bands') }}

),

account_amounts as (

    select
        period_accounts.*,
        {{ rwh_retention_amounts('period_accounts') | indent(8) }}
    from period_accounts

),

account_segments as (

    {{ rwh_fan_out('account_amounts') }}

),

cohort_totals as (

    select
        period_id,
        segment_type,
        segment_value,
        sum(case when is_customer_at_opening then 1 else 0 end) as opening_customer_count,
        sum(case when is_customer_at_opening and not is_customer_at_closing then 1 else 0 end)
            as churned_customer_count,
        sum(case when opening_arr > 0 then 1 else 0 end) as opening_paying_customer_count,
        sum(case when has_quarantined_revenue then 1 else 0 end) as quarantined_revenue_account_count,
        sum(case when opening_arr > 0 and closing_arr_constant_currency > opening_arr then 1 else 0 end)
            as expanded_customer_count,
        cast(sum(opening_arr) as {{ rwh_money_type() }}) as opening_arr,
        cast(sum(nrr_closing_arr) as {{ rwh_money_type() }}) as closing_arr,
        cast(sum(retained_arr) as {{ rwh_money_type() }}) as retained_arr,
        cast(sum(expansion_arr) as {{ rwh_money_type() }}) as expansion_arr,
        cast(sum(contraction_arr) as {{ rwh_money_type() }}) as contraction_arr,
        cast(sum(churned_arr) as {{ rwh_money_type() }}) as churned_arr
    from account_segments
    group by 1, 2, 3

),

movement_segments as (

    select
        movements.*,
        case when movements.was_customer then previous_segments.size_segment else current_segments.size_segment end
            as size_segment,
        case when movements.was_customer then previous_segments.industry else current_segments.industry end
            as industry,
        case when movements.was_customer then previous_segments.region else current_segments.region end
            as region,
        case when movements.was_customer then previous_segments.plan_tier else current_segments.plan_tier end
            as plan_tier,
        case when movements.was_customer then previous_segments.acv_band else current_segments.acv_band end
            as acv_band,
        case
            when movements.was_customer then previous_segments.acquisition_source
            else current_segments.acquisition_source
        end as acquisition_source
    from movements
    inner join segments as current_segments
        on movements.account_month_id = current_segments.account_month_id
    left join segments as previous_segments
        on
            movements.account_id = previous_segments.account_id
            and previous_segments.month_start_date
            = cast({{ dbt.dateadd('month', -1, 'movements.month_start_date') }} as date)
    where movements.movement_type not in ('none', 'flat') or movements.fx_mrr != 0

),

movement_segments_fanned_out as (

    {{ rwh_fan_out('movement_segments') }}

),

monthly_movements as (

    select
        month_start_date,
        segment_type,
        segment_value,
        cast(sum(new_mrr) as {{ rwh_money_type() }}) as new_mrr,
        cast(sum(expansion_mrr) as {{ rwh_money_type() }}) as expansion_mrr,
        cast(sum(reactivation_mrr) as {{ rwh_money_type() }}) as reactivation_mrr,
        cast(sum(contraction_mrr) as {{ rwh_money_type() }}) as contraction_mrr,
        cast(sum(churn_mrr) as {{ rwh_money_type() }}) as churn_mrr,
        cast(sum(fx_mrr) as {{ rwh_money_type() }}) as fx_mrr,
        cast(sum(quarantined_mrr) as {{ rwh_money_type() }}) as quarantined_mrr
    from movement_segments_fanned_out
    group by 1, 2, 3

),

period_movements as (

    select
        periods.period_id,
        monthly_movements.segment_type,
        monthly_movements.segment_value,
        cast(sum(monthly_movements.new_mrr) as {{ rwh_money_type() }}) as new_mrr,
        cast(sum(monthly_movements.expansion_mrr) as {{ rwh_money_type() }}) as expansion_mrr,
        cast(sum(monthly_movements.reactivation_mrr) as {{ rwh_money_type() }}) as reactivation_mrr,
        cast(sum(monthly_movements.contraction_mrr) as {{ rwh_money_type() }}) as contraction_mrr,
        cast(sum(monthly_movements.churn_mrr) as {{ rwh_money_type() }}) as churn_mrr,
        cast(sum(monthly_movements.fx_mrr) as {{ rwh_money_type() }}) as fx_mrr,
        cast(sum(monthly_movements.quarantined_mrr) as {{ rwh_money_type() }}) as quarantined_mrr
    from periods
    inner join monthly_movements
        on
            periods.period_start_date <= monthly_movements.month_start_date
            and periods.closing_month_start_date >= monthly_movements.month_start_date
    group by 1, 2, 3

),

period_segments as (

    select
        period_id,
        segment_type,
        segment_value
    from cohort_totals
    union
    select
        period_id,
        segment_type,
        segment_value
    from period_movements

),

metrics as (

    select
        periods.period_id,
        periods.period_type,
        periods.period_start_date,
        periods.period_label,
        periods.closing_month_start_date,
        periods.months_in_period,
        periods.is_complete,
        periods.fiscal_year,
        period_segments.segment_type,
        period_segments.segment_value,
        period_segments.segment_type = 'all' as is_rollup,
        coalesce(cohort_totals.opening_customer_count, 0) as opening_customer_count,
        coalesce(cohort_totals.churned_customer_count, 0) as churned_customer_count,
        coalesce(cohort_totals.opening_paying_customer_count, 0) as opening_paying_customer_count,
        coalesce(cohort_totals.expanded_customer_count, 0) as expanded_customer_count,
        coalesce(cohort_totals.quarantined_revenue_account_count, 0) as quarantined_revenue_account_count,
        cast(coalesce(cohort_totals.opening_arr, 0) as {{ rwh_money_type() }}) as opening_arr,
        cast(coalesce(cohort_totals.closing_arr, 0) as {{ rwh_money_type() }}) as closing_arr,
        cast(coalesce(cohort_totals.retained_arr, 0) as {{ rwh_money_type() }}) as retained_arr,
        cast(coalesce(cohort_totals.expansion_arr, 0) as {{ rwh_money_type() }}) as expansion_arr,
        cast(coalesce(cohort_totals.contraction_arr, 0) as {{ rwh_money_type() }}) as contraction_arr,
        cast(coalesce(cohort_totals.churned_arr, 0) as {{ rwh_money_type() }}) as churned_arr,
        {{ rwh_ratio('cohort_totals.closing_arr', 'cohort_totals.opening_arr') }} as net_revenue_retention_rate,
        {{ rwh_ratio('cohort_totals.retained_arr', 'cohort_totals.opening_arr') }} as gross_revenue_retention_rate,
        {{ rwh_ratio('cohort_totals.churned_customer_count', 'cohort_totals.opening_customer_count') }}
            as logo_churn_rate,
        {{ rwh_ratio('cohort_totals.expanded_customer_count', 'cohort_totals.opening_paying_customer_count') }}
            as expansion_rate,
        cast({{ rwh_divide('coalesce(cohort_totals.opening_arr, 0)', '12') }} as {{ rwh_money_type() }})
            as starting_mrr,
        cast(coalesce(period_movements.new_mrr, 0) as {{ rwh_money_type() }}) as new_mrr,
        cast(coalesce(period_movements.expansion_mrr, 0) as {{ rwh_money_type() }}) as expansion_mrr,
        cast(coalesce(period_movements.reactivation_mrr, 0) as {{ rwh_money_type() }}) as reactivation_mrr,
        cast(coalesce(period_movements.contraction_mrr, 0) as {{ rwh_money_type() }}) as contraction_mrr,
        cast(coalesce(period_movements.churn_mrr, 0) as {{ rwh_money_type() }}) as churn_mrr,
        cast(coalesce(period_movements.fx_mrr, 0) as {{ rwh_money_type() }}) as fx_mrr,
        cast(coalesce(period_movements.quarantined_mrr, 0) as {{ rwh_money_type() }}) as quarantined_mrr
    from period_segments
    inner join periods
        on period_segments.period_id = periods.period_id
    left join cohort_totals
        on
            period_segments.period_id = cohort_totals.period_id
            and period_segments.segment_type = cohort_totals.segment_type
            and period_segments.segment_value = cohort_totals.segment_value
    left join period_movements
        on
            period_segments.period_id = period_movements.period_id
            and period_segments.segment_type = period_movements.segment_type
            and period_segments.segment_value = period_movements.segment_value

),

derived as (

    select
        metrics.*,
        cast(1 - metrics.gross_revenue_retention_rate as decimal(18, 6)) as revenue_churn_rate,
        {{ rwh_ratio('metrics.new_mrr + metrics.expansion_mrr + metrics.reactivation_mrr',
                     'metrics.contraction_mrr + metrics.churn_mrr') }} as quick_ratio,
        {{ rwh_ratio('metrics.expansion_mrr', 'metrics.starting_mrr') }} as upsell_rate,
        {{ rwh_annualise('metrics.net_revenue_retention_rate', 'metrics.months_in_period') }}
            as annualised_net_revenue_retention_rate,
        {{ rwh_annualise('metrics.gross_revenue_retention_rate', 'metrics.months_in_period') }}
            as annualised_gross_revenue_retention_rate,
        1 - {{ rwh_annualise('1 - metrics.logo_churn_rate', 'metrics.months_in_period') }} as annualised_logo_churn_rate
    from metrics

)

select
    {{ dbt.concat(['derived.period_id', "'|'", 'derived.segment_type', "'|'", 'derived.segment_value']) }}
        as retention_id,
    derived.*,
    nrr_bands.band as net_revenue_retention_band,
    grr_bands.band as gross_revenue_retention_band,
    logo_churn_bands.band as annual_logo_churn_band
from derived
left join bands as nrr_bands
    on {{ rwh_band_join('nrr_bands', 'nrr', 'derived.annualised_net_revenue_retention_rate') }}
left join bands as grr_bands
    on {{ rwh_band_join('grr_bands', 'grr', 'derived.annualised_gross_revenue_retention_rate') }}
left join bands as logo_churn_bands
    on {{ rwh_band_join('logo_churn_bands', 'annual_logo_churn', 'derived.annualised_logo_churn_rate') }}
