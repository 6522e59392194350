with rows_kept as (

    select * from {{ ref('base_crm__account_ownership') }}
    where is_staged

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
