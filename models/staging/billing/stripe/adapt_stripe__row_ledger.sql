{#-
    Every row the Stripe adapter read, one ledger row each (docs/sources/stripe.md): mapped (it made, or went
    into, a contract row: contract_table names which, contract_key the row when it is one to one) or excluded
    with its reason. Rows of subscription_history are keyed by id and version; the others by id. Staging then
    stages or quarantines the contract rows as it does the contract's own files (staging.quarantined_rows).
    Tested: every source row is here once (assert_vendor_rows_are_all_in_the_ledger).
-#}
with subscriptions as (

    select * from {{ ref('base_stripe__subscriptions') }}

),

items as (

    select * from {{ ref('base_stripe__items') }}

),

mapped_items as (

    select * from items
    where excluded_reason is null

),

used_customers as (

    select distinct customer_id from subscriptions
    where excluded_reason is null

),

used_prices as (

    select distinct price_id from mapped_items

),

used_coupons as (

    select distinct coupon_id from mapped_items
    where coupon_id is not null

),

used_discounts as (

    select distinct discount_id from mapped_items
    where discount_id is not null

),

known_coupons as (

    select
        cast(id as {{ dbt.type_string() }}) as coupon_id,
        coalesce(cast(livemode as boolean), true) as is_livemode
    from {{ source('stripe', 'coupon') }}

),

customers as (

    select
        'customer' as vendor_table,
        cast(customers.id as {{ dbt.type_string() }}) as vendor_key,
        case
            when not coalesce(cast(customers.livemode as boolean), true) then 'test_mode'
            when used.customer_id is not null then null
            when coalesce(cast(customers.is_deleted as boolean), false) then 'deleted_unreferenced'
            else 'no_subscription'
        end as excluded_reason,
        'billing.contracts' as contract_table,
        cast(null as {{ dbt.type_string() }}) as contract_key
    from {{ source('stripe', 'customer') }} as customers
    left join used_customers as used
        on cast(customers.id as {{ dbt.type_string() }}) = used.customer_id

),

versions as (

    select
        'subscription_history' as vendor_table,
        {{ dbt.concat([
            "versions.subscription_id", "'@'",
            "coalesce(cast(versions.version_started_at as " ~ dbt.type_string() ~ "), cast(versions.synced_at as "
            ~ dbt.type_string() ~ "))"
        ]) }} as vendor_key,
        case
            when versions.version_rank > 1 then 'superseded_version'
            else subscriptions.excluded_reason
        end as excluded_reason,
        'billing.contracts' as contract_table,
        case when versions.version_rank = 1 then versions.subscription_id end as contract_key
    from {{ ref('base_stripe__subscription_versions') }} as versions
    left join subscriptions
        on versions.subscription_id = subscriptions.subscription_id

),

subscription_items as (

    select
        'subscription_item' as vendor_table,
        items.item_id as vendor_key,
        items.excluded_reason,
        'billing.contract_lines' as contract_table,
        items.item_id as contract_key
    from items

),

prices as (

    select
        'price' as vendor_table,
        cast(prices.id as {{ dbt.type_string() }}) as vendor_key,
        case
            when used.price_id is not null then null
            when not coalesce(cast(prices.livemode as boolean), true) then 'test_mode'
            when lower(cast(prices.type as {{ dbt.type_string() }})) = 'one_time' then 'one_time'
            when lower(cast(prices.recurring_usage_type as {{ dbt.type_string() }})) = 'metered' then 'metered'
            else 'unreferenced'
        end as excluded_reason,
        'billing.contract_lines' as contract_table,
        cast(null as {{ dbt.type_string() }}) as contract_key
    from {{ source('stripe', 'price') }} as prices
    left join used_prices as used
        on cast(prices.id as {{ dbt.type_string() }}) = used.price_id

),

products as (

    select
        'product' as vendor_table,
        product_id as vendor_key,
        excluded_reason,
        'billing.products' as contract_table,
        product_id as contract_key
    from {{ ref('base_stripe__products') }}

),

coupons as (

    select
        'coupon' as vendor_table,
        cast(coupons.id as {{ dbt.type_string() }}) as vendor_key,
        case
            when used.coupon_id is not null then null
            when not coalesce(cast(coupons.livemode as boolean), true) then 'test_mode'
            else 'unreferenced'
        end as excluded_reason,
        'billing.contract_lines' as contract_table,
        cast(null as {{ dbt.type_string() }}) as contract_key
    from {{ source('stripe', 'coupon') }} as coupons
    left join used_coupons as used
        on cast(coupons.id as {{ dbt.type_string() }}) = used.coupon_id

),

discounts as (

    select
        'discount' as vendor_table,
        cast(discounts.id as {{ dbt.type_string() }}) as vendor_key,
        case
            when used.discount_id is not null then null
            when known_coupons.coupon_id is null then 'unknown_coupon'
            when not known_coupons.is_livemode then 'test_mode_coupon'
            else 'not_applied'
        end as excluded_reason,
        'billing.contract_lines' as contract_table,
        cast(null as {{ dbt.type_string() }}) as contract_key
    from {{ source('stripe', 'discount') }} as discounts
    left join used_discounts as used
        on cast(discounts.id as {{ dbt.type_string() }}) = used.discount_id
    left join known_coupons
        on cast(discounts.coupon_id as {{ dbt.type_string() }}) = known_coupons.coupon_id

),

unioned as (

    select * from customers
    union all
    select * from versions
    union all
    select * from subscription_items
    union all
    select * from prices
    union all
    select * from products
    union all
    select * from coupons
    union all
    select * from discounts

)

select
    'stripe' as vendor,
    vendor_table,
    vendor_key,
    case when excluded_reason is null then 'mapped' else 'excluded' end as outcome,
    excluded_reason,
    contract_table,
    contract_key
from unioned
