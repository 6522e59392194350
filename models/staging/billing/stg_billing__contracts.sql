with contracts as (

    select * from {{ ref('base_billing__contracts') }}
    where is_staged

),

staged as (

    select
        {{ rwh_star(ref('base_billing__contracts'), except=rwh_audit_columns()) }},
        end_date is null as is_open_ended
    from contracts

)

select * from staged
