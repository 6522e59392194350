{#-
    One row per account: its acquisition cohort (docs/metrics.md section 3), the month and fiscal quarter of its
    first month as a customer, and its ARR in that month.
-#}
with account_months as (

    select * from {{ ref('int_account_months') }}

),

months as (

    select * from {{ ref('int_calendar_months') }}

)

select
    account_months.account_id,
    account_months.first_customer_month as cohort_month_start_date,
    months.fiscal_quarter_start_date as cohort_quarter_start_date,
    months.fiscal_quarter_label as cohort_quarter_label,
    account_months.arr as initial_arr
from account_months
inner join months
    on account_months.first_customer_month = months.month_start_date
where account_months.month_start_date = account_months.first_customer_month
