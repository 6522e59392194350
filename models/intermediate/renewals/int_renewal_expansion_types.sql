{#-
    Positive line-level changes from the expiring to the successor lines of each renewed event, by
    expansion type (docs/metrics.md section 2), at constant currency. One row per event and type with a
    positive amount. Products are compared by product name within a family:

    - new_product: a product family the account did not have;
    - module: a new product inside a family it had;
    - tier_upgrade: the same product at a higher plan tier (the whole increase of that product);
    - seats: the same product and tier with more quantity ((new - old quantity) x old unit ARR);
    - price_uplift: the same product and tier at a higher unit ARR (new quantity x unit increase).
    Seats and price split one product's increase exactly when both went up.
-#}
with event_lines as (

    select * from {{ ref('int_renewal_event_lines_matched') }}

),

events as (

    select * from {{ ref('int_renewal_events') }}
    where outcome = 'renewed'

),

valued as (

    select event_lines.*
    from event_lines
    inner join events
        on event_lines.renewal_event_id = events.renewal_event_id

),

products as (

    select
        renewal_event_id,
        line_role,
        product_family,
        product_name,
        max(tier_rank) as tier_rank,
        sum(quantity) as quantity,
        sum(arr_constant_currency) as arr_constant_currency
    from valued
    group by 1, 2, 3, 4

),

expiring_families as (

    select distinct
        renewal_event_id,
        product_family
    from products
    where line_role = 'expiring'

),

compared as (

    select
        successor.renewal_event_id,
        successor.product_name,
        case
            when expiring_families.product_family is null then 'new_product'
            when expiring.product_name is null then 'module'
            when successor.tier_rank > expiring.tier_rank then 'tier_upgrade'
            when successor.tier_rank = expiring.tier_rank then 'same_product'
            else 'tier_downgrade'
        end as comparison,
        successor.quantity as new_quantity,
        successor.arr_constant_currency as new_arr,
        expiring.quantity as old_quantity,
        expiring.arr_constant_currency as old_arr
    from products as successor
    left join expiring_families
        on
            successor.renewal_event_id = expiring_families.renewal_event_id
            and successor.product_family = expiring_families.product_family
    left join products as expiring
        on
            successor.renewal_event_id = expiring.renewal_event_id
            and successor.product_name = expiring.product_name
            and expiring.line_role = 'expiring'
    where successor.line_role = 'successor'

),

typed as (

    select
        renewal_event_id,
        'new_product' as expansion_type,
        new_arr as expansion_arr
    from compared
    where comparison = 'new_product'
    union all
    select
        renewal_event_id,
        'module' as expansion_type,
        new_arr as expansion_arr
    from compared
    where comparison = 'module'
    union all
    select
        renewal_event_id,
        'tier_upgrade' as expansion_type,
        new_arr - old_arr as expansion_arr
    from compared
    where comparison = 'tier_upgrade'
    union all
    select
        renewal_event_id,
        'seats' as expansion_type,
        {{ rwh_divide('(new_quantity - old_quantity) * old_arr', 'old_quantity') }} as expansion_arr
    from compared
    where comparison = 'same_product' and new_quantity > old_quantity and old_quantity > 0
    union all
    select
        renewal_event_id,
        'price_uplift' as expansion_type,
        new_quantity * ({{ rwh_divide('new_arr', 'new_quantity') }} - {{ rwh_divide('old_arr', 'old_quantity') }})
            as expansion_arr
    from compared
    where
        comparison = 'same_product' and new_quantity > 0 and old_quantity > 0
        and {{ rwh_divide('new_arr', 'new_quantity') }} > {{ rwh_divide('old_arr', 'old_quantity') }}

)

select
    {{ dbt.concat(['renewal_event_id', "'|'", 'expansion_type']) }} as renewal_expansion_type_id,
    renewal_event_id,
    expansion_type,
    cast(sum(expansion_arr) as {{ rwh_money_type() }}) as expansion_arr
from typed
where expansion_arr > 0
group by 1, 2, 3
