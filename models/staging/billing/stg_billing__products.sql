with products as (

    select * from {{ ref('base_billing__products') }}
    where is_staged

),

staged as (

    select {{ rwh_star(ref('base_billing__products'), except=rwh_audit_columns()) }}
    from products

)

select * from staged
