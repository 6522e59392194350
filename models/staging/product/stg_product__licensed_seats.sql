with seats as (

    select * from {{ ref('base_product__licensed_seats') }}
    where is_staged

),

staged as (

    select
        {{ dbt.concat(['account_id', "'|'", 'cast(snapshot_date as ' ~ dbt.type_string() ~ ')']) }} as seat_snapshot_id,
        account_id,
        snapshot_date,
        licensed_seats,
        _loaded_at
    from seats

)

select * from staged
