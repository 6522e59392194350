with rows_kept as (

    select base.*
    from {{ ref('base_crm__sponsor_changes') }} as base
    left join {{ ref('integrity_crm__sponsor_changes') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

staged as (

    select
        sponsor_change_id,
        account_id,
        previous_sponsor_email_hash,
        new_sponsor_email_hash,
        changed_date,
        _loaded_at
    from rows_kept

)

select * from staged
