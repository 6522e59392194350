{#-
    One row per account and month: the segments the account belongs to at that month's snapshot
    (METRICS.md section 1): company size (employee count against ref_size_segments), industry, region,
    acquisition source, plan tier (highest tier among its active lines) and ACV band (its ARR against
    ref_acv_bands).
-#}
with account_months as (

    select * from {{ ref('int_account_months') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

size_segments as (

    select * from {{ ref('ref_size_segments') }}

),

acv_bands as (

    select * from {{ ref('ref_acv_bands') }}

),

tiers as (

    select distinct
        tier_rank,
        plan_tier
    from {{ ref('stg_billing__products') }}

)

select
    account_months.account_month_id,
    account_months.account_id,
    account_months.month_start_date,
    coalesce(size_segments.segment, 'unknown') as size_segment,
    coalesce(accounts.industry, 'unknown') as industry,
    coalesce(accounts.region, 'unknown') as region,
    coalesce(accounts.acquisition_source, 'unknown') as acquisition_source,
    coalesce(tiers.plan_tier, 'none') as plan_tier,
    coalesce(acv_bands.acv_band, 'none') as acv_band
from account_months
inner join accounts
    on account_months.account_id = accounts.account_id
left join size_segments
    on
        accounts.employee_count >= size_segments.min_employees
        and (size_segments.max_employees is null or accounts.employee_count <= size_segments.max_employees)
left join tiers
    on account_months.max_tier_rank = tiers.tier_rank
left join acv_bands
    on
        account_months.arr > 0
        and account_months.arr >= acv_bands.min_acv
        and (acv_bands.max_acv is null or account_months.arr < acv_bands.max_acv)
