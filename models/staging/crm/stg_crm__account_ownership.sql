with rows_kept as (

    select base.*
    from {{ ref('base_crm__account_ownership') }} as base
    left join {{ ref('integrity_crm__account_ownership') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

staged as (

    select
        ownership_id,
        account_id,
        owner_user_id,
        valid_from_date,
        valid_to_date,
        _loaded_at
    from rows_kept

)

select * from staged
