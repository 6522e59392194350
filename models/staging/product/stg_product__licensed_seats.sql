with seats as (

    select * from {{ ref('base_product__licensed_seats') }}
    where is_staged

),

staged as (

    select
        {{ dbt.concat(['account_id', "'|'", 'cast(snapshot_date as ' ~ dbt.type_string() ~ ')']) }} as seat_snapshot_id,
        {{ rwh_star(ref('base_product__licensed_seats'), except=rwh_audit_columns()) }}
    from seats

)

select * from staged
