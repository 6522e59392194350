with rows_kept as (

    select * from {{ ref('base_crm__activities') }}
    where is_staged

),

staged as (

    select
        activity_id,
        account_id,
        opportunity_id,
        user_id,
        activity_type,
        direction,
        is_proactive,
        occurred_at,
        _loaded_at
    from rows_kept

)

select * from staged
