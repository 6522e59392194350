{#-
    Each CSM's book of business per period (docs/metrics.md section 8): the customer accounts the CSM owned on the
    period's book day (int_csm_periods; owner from int_account_owner_spells), by size segment, their ARR
    that month, and the share green / yellow / red in the health week ending on that day or in the six days
    before it (accounts without a scored week there are left out of the shares).
-#}
{%- set requires_systems = ['billing', 'crm', 'product', 'support', 'cs_platform'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with periods as (

    select * from {{ ref('int_csm_periods') }}

),

owner_spells as (

    select * from {{ ref('int_account_owner_spells') }}

),

account_months as (

    select * from {{ ref('int_account_months') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

health_weeks as (

    select * from {{ ref('int_account_health_weeks') }}
    where is_customer

),

owned_accounts as (

    select
        owners.owner_user_id as csm_user_id,
        periods.period_label,
        periods.snapshot_date,
        owners.account_id,
        accounts.size_segment,
        account_months.arr
    from periods
    inner join owner_spells as owners
        on
            periods.snapshot_date >= owners.valid_from_date
            and (owners.valid_to_date is null or periods.snapshot_date <= owners.valid_to_date)
    inner join account_months
        on
            owners.account_id = account_months.account_id
            and periods.last_month_start_date = account_months.month_start_date
            and account_months.is_customer
    inner join accounts
        on owners.account_id = accounts.account_id

),

last_health as (

    select
        owned_accounts.csm_user_id,
        owned_accounts.period_label,
        health_weeks.health_band,
        row_number() over (
            partition by owned_accounts.csm_user_id, owned_accounts.period_label, owned_accounts.account_id
            order by health_weeks.snapshot_date desc
        ) as week_rank
    from owned_accounts
    inner join health_weeks
        on
            owned_accounts.account_id = health_weeks.account_id
            and owned_accounts.snapshot_date >= health_weeks.snapshot_date
            and health_weeks.snapshot_date > {{ dbt.dateadd('day', -7, 'owned_accounts.snapshot_date') }}

),

book as (

    select
        csm_user_id,
        period_label,
        count(*) as book_account_count,
        sum(case when size_segment = 'smb' then 1 else 0 end) as book_smb_account_count,
        sum(case when size_segment = 'mid_market' then 1 else 0 end) as book_mid_market_account_count,
        sum(case when size_segment = 'enterprise' then 1 else 0 end) as book_enterprise_account_count,
        cast(sum(arr) as {{ rwh_money_type() }}) as book_arr
    from owned_accounts
    group by 1, 2

),

book_health as (

    select
        csm_user_id,
        period_label,
        count(*) as book_scored_account_count,
        sum(case when health_band = 'green' then 1 else 0 end) as book_green_count,
        sum(case when health_band = 'yellow' then 1 else 0 end) as book_yellow_count,
        sum(case when health_band = 'red' then 1 else 0 end) as book_red_count
    from last_health
    where week_rank = 1
    group by 1, 2

)

select
    {{ dbt.concat(['book.csm_user_id', "'|'", 'book.period_label']) }} as csm_period_id,
    book.csm_user_id,
    book.period_label,
    book.book_account_count,
    book.book_smb_account_count,
    book.book_mid_market_account_count,
    book.book_enterprise_account_count,
    book.book_arr,
    {{ rwh_ratio('book_health.book_green_count', 'book_health.book_scored_account_count') }} as book_green_share,
    {{ rwh_ratio('book_health.book_yellow_count', 'book_health.book_scored_account_count') }} as book_yellow_share,
    {{ rwh_ratio('book_health.book_red_count', 'book_health.book_scored_account_count') }} as book_red_share
from book
left join book_health
    on book.csm_user_id = book_health.csm_user_id and book.period_label = book_health.period_label
