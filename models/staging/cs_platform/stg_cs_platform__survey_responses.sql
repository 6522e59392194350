with rows_kept as (

    select * from {{ ref('base_cs_platform__survey_responses') }}
    where is_staged

),

staged as (

    select {{ rwh_star(ref('base_cs_platform__survey_responses'), except=rwh_audit_columns()) }}
    from rows_kept

)

select * from staged
