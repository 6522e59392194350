with rows_kept as (

    select * from {{ ref('base_crm__value_reviews') }}
    where is_staged

),

staged as (

    select
        value_review_id,
        account_id,
        review_type,
        status,
        scheduled_date,
        completed_date,
        _loaded_at
    from rows_kept

)

select * from staged
