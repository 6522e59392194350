with rows_kept as (

    select * from {{ ref('base_crm__accounts') }}
    where is_staged

),

staged as (

    select {{ rwh_star(ref('base_crm__accounts'), except=rwh_audit_columns()) }}
    from rows_kept

)

select * from staged
