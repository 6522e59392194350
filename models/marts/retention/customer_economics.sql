{#-
    Customer economics per twelve-month period (fiscal years and trailing twelve months; docs/metrics.md section 3).
    One row per period.

    - ARPA: ARR per paying customer at the closing snapshot (average annual revenue per customer).
    - LTV (simple) = ARPA x average lifetime in years, the lifetime being 1 / annual logo churn rate.
    - LTV (advanced) = ARPA x gross margin / annual revenue churn rate (1 - GRR); gross margin and CAC are
      vars (the data has no cost side). LTV / CAC is shown when a CAC is set.
    - ACV growth = (ARPA now - ARPA twelve months before) / ARPA twelve months before.
    - Land-and-expand ratio: for accounts whose 24th month as a customer falls in the period (its first month
      included) and who are still paying then, their average ARR at month 24 / their average initial ARR.
      A period where no account reaches month 24 counts 0 accounts and has no ratio.
-#}
with retention as (

    select * from {{ ref('int_period_segment_retention') }}
    where segment_type = 'all' and months_in_period = 12

),

account_months as (

    select * from {{ ref('int_account_months') }}

),

arpa_by_month as (

    select
        month_start_date,
        sum(case when arr > 0 then 1 else 0 end) as paying_customer_count,
        cast(sum(arr) as {{ rwh_money_type() }}) as total_arr
    from account_months
    group by 1

),

land_and_expand as (

    select
        retention.period_id,
        count(*) as land_and_expand_account_count,
        cast(avg(month_24.arr) as {{ rwh_money_type() }}) as average_arr_at_month_24,
        cast(avg(initial.arr) as {{ rwh_money_type() }}) as average_initial_arr
    from retention
    inner join account_months as month_24
        on
            retention.period_start_date <= month_24.month_start_date
            and retention.closing_month_start_date >= month_24.month_start_date
            and month_24.month_start_date
            = cast({{ dbt.dateadd('month', 24, 'month_24.first_customer_month') }} as date)
    inner join account_months as initial
        on
            month_24.account_id = initial.account_id
            and initial.month_start_date = initial.first_customer_month
    where month_24.arr > 0 and initial.arr > 0
    group by 1

),

joined as (

    select
        retention.period_id,
        retention.period_type,
        retention.period_start_date,
        retention.period_label,
        retention.segment_type,
        retention.segment_value,
        false as is_rollup,
        retention.closing_month_start_date,
        retention.is_complete,
        retention.fiscal_year,
        retention.logo_churn_rate as annual_logo_churn_rate,
        retention.revenue_churn_rate as annual_revenue_churn_rate,
        now_arpa.paying_customer_count,
        {{ rwh_ratio('now_arpa.total_arr', 'now_arpa.paying_customer_count') }} as arpa,
        {{ rwh_ratio('year_ago_arpa.total_arr', 'year_ago_arpa.paying_customer_count') }} as arpa_year_ago,
        coalesce(land_and_expand.land_and_expand_account_count, 0) as land_and_expand_account_count,
        land_and_expand.average_arr_at_month_24,
        land_and_expand.average_initial_arr
    from retention
    left join arpa_by_month as now_arpa
        on retention.closing_month_start_date = now_arpa.month_start_date
    left join arpa_by_month as year_ago_arpa
        on
            cast({{ dbt.dateadd('month', -12, 'retention.closing_month_start_date') }} as date)
            = year_ago_arpa.month_start_date
    left join land_and_expand
        on retention.period_id = land_and_expand.period_id

),

economics as (

    select
        joined.*,
        {{ rwh_ratio('1', 'joined.annual_logo_churn_rate') }} as average_lifetime_years,
        {{ var('gross_margin') }} as gross_margin,
        {{ var('customer_acquisition_cost') }} as customer_acquisition_cost,
        {{ rwh_ratio('joined.arpa - joined.arpa_year_ago', 'joined.arpa_year_ago') }} as acv_growth_rate,
        {{ rwh_ratio('joined.average_arr_at_month_24', 'joined.average_initial_arr') }} as land_and_expand_ratio
    from joined

),

final as (

    select
        economics.*,
        cast(
            cast(economics.arpa as {{ rwh_double_type() }})
            * cast(economics.average_lifetime_years as {{ rwh_double_type() }})
            as {{ rwh_money_type() }}
        ) as ltv_simple,
        cast(
            cast(economics.arpa as {{ rwh_double_type() }}) * economics.gross_margin
            / nullif(cast(economics.annual_revenue_churn_rate as {{ rwh_double_type() }}), 0)
            as {{ rwh_money_type() }}
        ) as ltv_advanced,
        cast(
            cast(economics.arpa as {{ rwh_double_type() }}) * economics.gross_margin
            / nullif(cast(economics.annual_revenue_churn_rate as {{ rwh_double_type() }}), 0)
            / nullif(economics.customer_acquisition_cost, 0)
            as decimal(18, 6)
        ) as ltv_to_cac_ratio
    from economics

)

{{ rwh_contract_select('final') }}
