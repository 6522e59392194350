with rows_kept as (

    select * from {{ ref('base_crm__accounts') }}
    where is_staged

),

staged as (

    select
        account_id,
        parent_account_id,
        account_name,
        industry,
        region,
        acquisition_source,
        employee_count,
        created_at,
        _loaded_at
    from rows_kept

)

select * from staged
