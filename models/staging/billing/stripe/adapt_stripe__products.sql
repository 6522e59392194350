{#- billing.products from Stripe: every product that is not excluded (docs/sources/stripe.md). Columns and types as
    the contract's. -#}
select
    product_id,
    product_name,
    product_family,
    plan_tier,
    tier_rank,
    is_add_on,
    synced_at as _loaded_at
from {{ ref('base_stripe__products') }}
where excluded_reason is null
