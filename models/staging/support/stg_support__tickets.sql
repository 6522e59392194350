with tickets as (

    select * from {{ ref('base_support__tickets') }}
    where is_staged

),

staged as (

    select
        {{ rwh_star(ref('base_support__tickets'), except=rwh_audit_columns()) }},
        reopened_count > 0 as is_reopened
    from tickets

)

select * from staged
