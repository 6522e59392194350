with rows_kept as (

    select * from {{ ref('base_cs_platform__risk_flags') }}
    where is_staged

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
