{#-
    One row per account and month: the segments the account belongs to at that month's snapshot
    (docs/metrics.md section 1): its time-independent segments (int_accounts_segmented), its plan tier (highest
    tier among its active lines) and its ACV band (its ARR against ref_acv_bands, lower bounds included: a
    customer at $0 is in the lowest band). In a month it is not a customer, its tier and band are 'none'.
-#}
with account_months as (

    select * from {{ ref('int_account_months') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

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
    accounts.size_segment,
    accounts.industry,
    accounts.region,
    accounts.acquisition_source,
    coalesce(tiers.plan_tier, 'none') as plan_tier,
    coalesce(acv_bands.acv_band, 'none') as acv_band
from account_months
inner join accounts
    on account_months.account_id = accounts.account_id
left join tiers
    on account_months.max_tier_rank = tiers.tier_rank
left join acv_bands
    on
        account_months.is_customer
        and {{ rwh_acv_band_join('acv_bands', 'account_months.arr') }}
