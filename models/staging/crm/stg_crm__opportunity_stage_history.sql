with rows_kept as (

    select base.*
    from {{ ref('base_crm__opportunity_stage_history') }} as base
    left join {{ ref('integrity_crm__opportunity_stage_history') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

staged as (

    select
        stage_history_id,
        opportunity_id,
        stage,
        entered_at,
        _loaded_at
    from rows_kept

)

select * from staged
