{#-
    One row per Stripe subscription item with the line it makes (docs/sources/stripe.md): its price (price
    and legacy plan ids are one id space), the list price in the contract's minor units (Stripe's minor units
    rescaled by each currency's ISO 4217 exponent against Stripe's: JPY and KRW 0, KWD 3, ISK 2 at Stripe but 0
    in ISO), its billing period, its service dates and the one discount that applies (the item's own, else
    its subscription's, else its customer's; the latest) with its window. excluded_reason names why an item
    makes no line: its subscription is missing or excluded, its price is one-time, metered, tiered or billed
    per an interval the contract cannot hold.
-#}
{%- set repeating_end = dbt.dateadd('month', 'discounts.duration_in_months', 'discounts.discount_start_date') -%}

with items as (

    select
        cast(id as {{ dbt.type_string() }}) as item_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(plan_id as {{ dbt.type_string() }}) as price_id,
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ source('stripe', 'subscription_item') }}

),

prices as (

    select
        cast(id as {{ dbt.type_string() }}) as price_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        upper(cast(currency as {{ dbt.type_string() }})) as currency,
        cast(unit_amount as {{ dbt.type_bigint() }}) as unit_amount,
        lower(cast(type as {{ dbt.type_string() }})) as price_type,
        lower(cast(billing_scheme as {{ dbt.type_string() }})) as billing_scheme,
        lower(cast(recurring_interval as {{ dbt.type_string() }})) as recurring_interval,
        cast(recurring_interval_count as {{ dbt.type_int() }}) as recurring_interval_count,
        lower(cast(recurring_usage_type as {{ dbt.type_string() }})) as recurring_usage_type,
        coalesce(cast(livemode as boolean), true) as is_livemode
    from {{ source('stripe', 'price') }}

),

currencies as (

    select
        currency,
        minor_unit_exponent
    from {{ ref('ref_currencies') }}

),

coupons as (

    select
        cast(id as {{ dbt.type_string() }}) as coupon_id,
        cast(percent_off as decimal(9, 4)) as percent_off,
        cast(amount_off as {{ dbt.type_bigint() }}) as amount_off,
        upper(cast(currency as {{ dbt.type_string() }})) as coupon_currency,
        lower(cast(duration as {{ dbt.type_string() }})) as duration,
        cast(duration_in_months as {{ dbt.type_int() }}) as duration_in_months,
        coalesce(cast(livemode as boolean), true) as is_livemode
    from {{ source('stripe', 'coupon') }}

),

discounts as (

    select
        cast(discounts.id as {{ dbt.type_string() }}) as discount_id,
        coalesce(
            lower(cast(discounts.type as {{ dbt.type_string() }})),
            case when discounts.subscription_id is not null then 'subscription' else 'customer' end
        ) as applies_to,
        cast(discounts.type_id as {{ dbt.type_string() }}) as applies_to_id,
        cast(discounts.subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(discounts.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(cast(discounts.{{ adapter.quote('start') }} as {{ dbt.type_timestamp() }}) as date) as discount_start_date,
        cast(cast(discounts.{{ adapter.quote('end') }} as {{ dbt.type_timestamp() }}) as date) as discount_end_date,
        coupons.coupon_id,
        coupons.percent_off,
        coupons.amount_off,
        coupons.coupon_currency,
        coupons.duration,
        coupons.duration_in_months
    from {{ source('stripe', 'discount') }} as discounts
    inner join coupons
        on cast(discounts.coupon_id as {{ dbt.type_string() }}) = coupons.coupon_id
    where coupons.is_livemode

),

joined as (

    select
        items.*,
        subscriptions.customer_id,
        subscriptions.is_trial,
        subscriptions.excluded_reason as subscription_excluded_reason,
        subscriptions.subscription_id is not null as has_subscription,
        prices.price_id is not null as has_price,
        prices.product_id,
        prices.currency,
        prices.unit_amount,
        prices.price_type,
        prices.billing_scheme,
        prices.recurring_interval,
        prices.recurring_interval_count,
        prices.recurring_usage_type,
        prices.is_livemode as is_price_livemode,
        -- Stripe's minor units to the contract's (ISO 4217): 10 ^ (ISO exponent - Stripe's)
        power(10.0, currencies.minor_unit_exponent - {{ rwh_stripe_exponent('prices.currency') }}) as minor_unit_scale,
        case
            when items.created_at is not null and cast(items.created_at as date) > subscriptions.start_date
                then cast(items.created_at as date)
            else subscriptions.start_date
        end as line_start_date,
        subscriptions.end_date as line_end_date
    from items
    left join {{ ref('base_stripe__subscriptions') }} as subscriptions
        on items.subscription_id = subscriptions.subscription_id
    left join prices
        on items.price_id = prices.price_id
    left join currencies
        on prices.currency = currencies.currency

),

candidate_discounts as (

    select
        joined.item_id,
        discounts.discount_id,
        discounts.coupon_id,
        discounts.percent_off,
        discounts.amount_off,
        discounts.coupon_currency,
        discounts.discount_start_date,
        -- exclusive end: the discount's own end, else forever (none), a repeating coupon's months, and for a
        -- once coupon its start (one invoice is not recurring revenue)
        coalesce(
            discounts.discount_end_date,
            case discounts.duration
                when 'repeating' then cast({{ repeating_end }} as date)
                when 'once' then discounts.discount_start_date
            end
        ) as discount_end_date,
        row_number() over (
            partition by joined.item_id
            order by
                case discounts.applies_to when 'subscription_item' then 1 when 'subscription' then 2 else 3 end,
                discounts.discount_start_date desc,
                discounts.discount_id asc
        ) as discount_rank
    from joined
    inner join discounts
        on
            (discounts.applies_to = 'subscription_item' and joined.item_id = discounts.applies_to_id)
            or (
                discounts.applies_to = 'subscription'
                and coalesce(discounts.applies_to_id, discounts.subscription_id) = joined.subscription_id
            )
            or (
                discounts.applies_to = 'customer'
                and coalesce(discounts.applies_to_id, discounts.customer_id) = joined.customer_id
            )

),

priced as (

    select
        joined.*,
        case
            when joined.recurring_interval = 'month' and joined.recurring_interval_count = 1 then 'month'
            when joined.recurring_interval = 'year' and joined.recurring_interval_count = 1 then 'year'
            else 'term'
        end as billing_period,
        cast(round(joined.unit_amount * joined.minor_unit_scale) as {{ dbt.type_bigint() }}) as unit_list_price_minor,
        candidate_discounts.discount_id,
        candidate_discounts.coupon_id,
        candidate_discounts.discount_start_date,
        candidate_discounts.discount_end_date,
        candidate_discounts.percent_off,
        -- an amount off in another currency than the price's is not applied (the ledger says so)
        case
            when candidate_discounts.coupon_currency = joined.currency
                then cast(round(candidate_discounts.amount_off * joined.minor_unit_scale) as {{ dbt.type_bigint() }})
        end as amount_off_minor
    from joined
    left join candidate_discounts
        on
            joined.item_id = candidate_discounts.item_id
            and candidate_discounts.discount_rank = 1

),

decided as (

    select
        priced.*,
        -- the net price while the discount runs: percent off rounded half up in whole minor units (in integers:
        -- a float would be a cent out on large prices), or the amount off per billing period spread over the
        -- quantity; a trial is free
        case
            when priced.is_trial then 0
            when priced.percent_off is not null
                then cast(floor(
                    (
                        priced.unit_list_price_minor
                        * (10000 - cast(round(priced.percent_off * 100) as {{ dbt.type_bigint() }}))
                        + 5000
                    ) / 10000.0
                ) as {{ dbt.type_bigint() }})
            when priced.amount_off_minor is not null and priced.quantity > 0
                then cast(round(
                    priced.unit_list_price_minor
                    - priced.amount_off_minor / cast(priced.quantity as decimal(18, 6))
                ) as {{ dbt.type_bigint() }})
            else priced.unit_list_price_minor
        end as discounted_net_price_minor,
        case
            when not priced.has_subscription then 'orphan_subscription'
            when priced.subscription_excluded_reason = 'test_mode' then 'test_mode_parent'
            when priced.subscription_excluded_reason is not null then 'excluded_subscription'
            when not priced.has_price then 'unknown_price'
            when not priced.is_price_livemode then 'test_mode'
            when priced.price_type = 'one_time' or priced.recurring_interval is null then 'one_time'
            when priced.recurring_usage_type = 'metered' or priced.quantity is null then 'metered'
            when priced.billing_scheme = 'tiered' or priced.unit_amount is null then 'tiered_price'
            when priced.recurring_interval not in ('month', 'year') then 'unsupported_interval'
            -- a price of another interval is the price of the item's whole term: only a fixed term has one
            when
                priced.billing_period = 'term' and priced.line_end_date is null
                then 'unsupported_interval'
            when priced.line_end_date < priced.line_start_date then 'added_after_end'
        end as excluded_reason
    from priced

)

select
    item_id,
    subscription_id,
    customer_id,
    price_id,
    product_id,
    currency,
    quantity,
    coalesce(is_trial, false) as is_trial,
    billing_period,
    unit_list_price_minor,
    greatest(discounted_net_price_minor, 0) as discounted_net_price_minor,
    discount_id,
    coupon_id,
    discount_start_date,
    discount_end_date,
    line_start_date,
    line_end_date,
    synced_at,
    excluded_reason
from decided
