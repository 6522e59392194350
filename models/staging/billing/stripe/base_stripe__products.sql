{#-
    One row per Stripe product with the catalogue entry it makes (docs/sources/stripe.md): the family, plan
    tier, tier rank and add-on flag come from the product's metadata (keys product_family, plan_tier,
    tier_rank, is_add_on; the family defaults to the product's name). excluded_reason: test mode, or deleted
    with no line selling it (a deleted product a line still sells stays in the catalogue).
-#}
with products as (

    select
        cast(id as {{ dbt.type_string() }}) as product_id,
        cast(name as {{ dbt.type_string() }}) as product_name,
        {{ rwh_json_text('metadata', 'product_family') }} as metadata_product_family,
        {{ rwh_json_text('metadata', 'plan_tier') }} as plan_tier,
        {{ rwh_json_text('metadata', 'tier_rank') }} as tier_rank_text,
        {{ rwh_json_text('metadata', 'is_add_on') }} as is_add_on_text,
        coalesce(cast(livemode as boolean), true) as is_livemode,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ source('stripe', 'product') }}

),

sold as (

    select distinct product_id
    from {{ ref('base_stripe__items') }}
    where excluded_reason is null

)

select
    products.product_id,
    products.product_name,
    coalesce(products.metadata_product_family, products.product_name) as product_family,
    products.plan_tier,
    cast(products.tier_rank_text as {{ dbt.type_int() }}) as tier_rank,
    coalesce(lower(products.is_add_on_text) = 'true', false) as is_add_on,
    products.synced_at,
    case
        when not products.is_livemode then 'test_mode'
        when products.is_deleted and sold.product_id is null then 'deleted_unreferenced'
    end as excluded_reason
from products
left join sold
    on products.product_id = sold.product_id
