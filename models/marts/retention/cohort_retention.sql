{#-
    Cohort retention (docs/metrics.md section 3). One row per cohort (accounts acquired in the same month or
    fiscal quarter: their first month as a customer; period_type, period_start_date and period_label name that
    acquisition period) and periods since acquisition: the cohort's logos and
    ARR retained at that snapshot (months for monthly cohorts; quarter-end snapshots for quarterly ones,
    k = 0 being the end of the acquisition quarter). The cohort's ARR is retained two ways: gross, each account
    counted at most at its initial ARR (Σ min(ARR now, initial ARR): the cohort's GRR, at most 100 %), and net,
    uncapped (Σ ARR now: the cohort's NRR, its ARR now / its ARR then). ARR is at each line's own start-date
    FX rate.
-#}
{%- set string = dbt.type_string() %}

with account_months as (

    select * from {{ ref('int_account_months') }}

),

months as (

    select * from {{ ref('int_calendar_months') }}

),

cohort_accounts as (

    select
        account_id,
        cohort_month_start_date as first_customer_month,
        cohort_quarter_start_date as first_customer_quarter,
        initial_arr
    from {{ ref('int_account_cohorts') }}

),

monthly as (

    select
        'month' as period_type,
        cohort_accounts.first_customer_month as period_start_date,
        {{ dbt.datediff('cohort_accounts.first_customer_month', 'account_months.month_start_date', 'month') }}
            as periods_since_acquisition,
        account_months.month_start_date as snapshot_month_start_date,
        account_months.account_id,
        account_months.is_customer,
        account_months.arr,
        cohort_accounts.initial_arr
    from account_months
    inner join cohort_accounts
        on account_months.account_id = cohort_accounts.account_id

),

quarterly as (

    select
        'fiscal_quarter' as period_type,
        cohort_accounts.first_customer_quarter as period_start_date,
        cast(
            {{ dbt.datediff('cohort_accounts.first_customer_quarter', 'months.fiscal_quarter_start_date',
                'month') }} / 3
            as {{ dbt.type_int() }}
        ) as periods_since_acquisition,
        months.month_start_date as snapshot_month_start_date,
        cohort_accounts.account_id,
        coalesce(account_months.is_customer, false) as is_customer,
        coalesce(account_months.arr, 0) as arr,
        cohort_accounts.initial_arr
    from cohort_accounts
    inner join months
        on
            cohort_accounts.first_customer_quarter <= months.month_start_date
            and (months.fiscal_month % 3 = 0 or months.is_as_of_month)
    left join account_months
        on
            cohort_accounts.account_id = account_months.account_id
            and months.month_start_date = account_months.month_start_date

),

unioned as (

    select * from monthly
    union all
    select * from quarterly

),

aggregated as (

    select
        period_type,
        period_start_date,
        periods_since_acquisition,
        max(snapshot_month_start_date) as snapshot_month_start_date,
        count(*) as cohort_customer_count,
        sum(case when is_customer then 1 else 0 end) as retained_customer_count,
        cast(sum(initial_arr) as {{ rwh_money_type() }}) as initial_arr,
        cast(sum(case when arr < initial_arr then arr else initial_arr end) as {{ rwh_money_type() }})
            as gross_retained_arr,
        cast(sum(arr) as {{ rwh_money_type() }}) as net_retained_arr
    from unioned
    group by 1, 2, 3

),

final as (

    select
        {{ dbt.concat([
            'aggregated.period_type', "'|'", 'cast(aggregated.period_start_date as ' ~ string ~ ')', "'|'",
            'cast(aggregated.periods_since_acquisition as ' ~ string ~ ')'
        ]) }} as cohort_retention_id,
        aggregated.period_type,
        aggregated.period_start_date,
        case aggregated.period_type
            when 'month' then {{ dbt.concat([
                'cast(cohort_months.calendar_year as ' ~ string ~ ')', "'-'",
                "lpad(cast(cohort_months.calendar_month as " ~ string ~ "), 2, '0')"
            ]) }}
            else cohort_months.fiscal_quarter_label
        end as period_label,
        'all' as segment_type,
        'all' as segment_value,
        false as is_rollup,
        aggregated.periods_since_acquisition,
        aggregated.snapshot_month_start_date,
        aggregated.cohort_customer_count,
        aggregated.retained_customer_count,
        aggregated.initial_arr,
        aggregated.gross_retained_arr,
        aggregated.net_retained_arr,
        {{ rwh_ratio('aggregated.retained_customer_count', 'aggregated.cohort_customer_count') }}
            as logo_retention_rate,
        {{ rwh_ratio('aggregated.gross_retained_arr', 'aggregated.initial_arr') }} as gross_arr_retention_rate,
        {{ rwh_ratio('aggregated.net_retained_arr', 'aggregated.initial_arr') }} as net_arr_retention_rate
    from aggregated
    inner join months as cohort_months
        on aggregated.period_start_date = cohort_months.month_start_date

)

{{ rwh_contract_select('final') }}
