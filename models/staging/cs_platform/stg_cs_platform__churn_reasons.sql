with rows_kept as (

    select * from {{ ref('base_cs_platform__churn_reasons') }}
    where is_staged

),

staged as (

    select
        churn_record_id,
        account_id,
        contract_id,
        reason,
        detail,
        churn_date,
        _loaded_at
    from rows_kept

)

select * from staged
