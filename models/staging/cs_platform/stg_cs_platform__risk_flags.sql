with rows_kept as (

    select base.*
    from {{ ref('base_cs_platform__risk_flags') }} as base
    left join {{ ref('integrity_cs_platform__risk_flags') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

staged as (

    select
        risk_flag_id,
        account_id,
        raised_by_user_id,
        reason,
        outcome,
        flagged_date,
        resolved_date,
        _loaded_at
    from rows_kept

)

select * from staged
