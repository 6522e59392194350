with rows_kept as (

    select * from {{ ref('base_cs_platform__risk_flags') }}
    where is_staged

),

staged as (

    select {{ rwh_star(ref('base_cs_platform__risk_flags'), except=rwh_audit_columns()) }}
    from rows_kept

)

select * from staged
