with rows_kept as (

    select * from {{ ref('base_crm__sponsor_changes') }}
    where is_staged

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
