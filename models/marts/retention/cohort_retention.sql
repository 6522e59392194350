{#-
    Cohort retention (METRICS.md section 3). One row per cohort (accounts acquired in the same month or
    fiscal quarter: their first month as a customer) and periods since acquisition: the cohort's logos and
    ARR retained at that snapshot (months for monthly cohorts; quarter-end snapshots for quarterly ones,
    k = 0 being the end of the acquisition quarter). ARR is at each line's own start-date FX rate.
-#}
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
        'month' as cohort_type,
        cohort_accounts.first_customer_month as cohort_start_date,
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
        'quarter' as cohort_type,
        cohort_accounts.first_customer_quarter as cohort_start_date,
        cast(
            {{ dbt.datediff('cohort_accounts.first_customer_quarter', 'months.fiscal_quarter_start_date', 'month') }} / 3
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
        cohort_type,
        cohort_start_date,
        periods_since_acquisition,
        max(snapshot_month_start_date) as snapshot_month_start_date,
        count(*) as cohort_customer_count,
        sum(case when is_customer then 1 else 0 end) as retained_customer_count,
        cast(sum(initial_arr) as {{ rwh_money_type() }}) as initial_arr,
        cast(sum(arr) as {{ rwh_money_type() }}) as retained_arr
    from unioned
    group by 1, 2, 3

)

select
    {{ dbt.concat([
        'aggregated.cohort_type', "'|'", 'cast(aggregated.cohort_start_date as ' ~ dbt.type_string() ~ ')', "'|'",
        'cast(aggregated.periods_since_acquisition as ' ~ dbt.type_string() ~ ')'
    ]) }} as cohort_retention_id,
    aggregated.*,
    {{ rwh_ratio('aggregated.retained_customer_count', 'aggregated.cohort_customer_count') }} as logo_retention_rate,
    {{ rwh_ratio('aggregated.retained_arr', 'aggregated.initial_arr') }} as arr_retention_rate
from aggregated
