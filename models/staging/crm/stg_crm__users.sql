with rows_kept as (

    select * from {{ ref('base_crm__users') }}
    where is_staged

),

staged as (

    select
        user_id,
        full_name_hash,
        email_hash,
        role,
        team,
        is_active,
        hired_date,
        _loaded_at
    from rows_kept

)

select * from staged
