with rows_kept as (

    select base.*
    from {{ ref('base_crm__value_reviews') }} as base
    left join {{ ref('integrity_crm__value_reviews') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
