with source as (

    select * from {{ rwh_raw('billing', 'products') }}

),

typed as (

    select
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        lower(trim(cast(product_family as {{ dbt.type_string() }}))) as product_family,
        lower(trim(cast(plan_tier as {{ dbt.type_string() }}))) as plan_tier,
        cast(tier_rank as {{ dbt.type_int() }}) as tier_rank,
        cast(is_add_on as {{ dbt.type_boolean() }}) as is_add_on,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('billing', 'products') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.product_id is null then 'null_key'
            when {{ rwh_not_accepted('billing', 'products', 'plan_tier', 'typed.plan_tier') }} then 'invalid_enum'
            when typed.tier_rank < 1 or typed.tier_rank > 3 then 'out_of_range'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['product_id']) }}
