with rows_kept as (

    select base.*
    from {{ ref('base_crm__activities') }} as base
    left join {{ ref('integrity_crm__activities') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
