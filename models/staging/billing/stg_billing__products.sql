with products as (

    select * from {{ ref('base_billing__products') }}
    where is_staged

),

staged as (

    select
        product_id,
        product_name,
        product_family,
        plan_tier,
        tier_rank,
        is_add_on,
        _loaded_at
    from products

)

select * from staged
