with rows_kept as (

    select * from {{ ref('base_crm__opportunity_stage_history') }}
    where is_staged

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
