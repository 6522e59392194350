with seats as (

    select base.*
    from {{ ref('base_product__licensed_seats') }} as base
    left join {{ ref('integrity_product__licensed_seats') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
