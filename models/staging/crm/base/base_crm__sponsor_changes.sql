with source as (

    select * from {{ source('crm', 'sponsor_changes') }}

),

typed as (

    select
        cast(sponsor_change_id as {{ dbt.type_string() }}) as sponsor_change_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        {{ rwh_pii_hash('cast(previous_sponsor_email as ' ~ dbt.type_string() ~ ')') }} as previous_sponsor_email_hash,
        {{ rwh_pii_hash('cast(new_sponsor_email as ' ~ dbt.type_string() ~ ')') }} as new_sponsor_email_hash,
        cast(changed_date as date) as changed_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'sponsor_changes') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.sponsor_change_id is null then 'null_key'
            when typed.changed_date is null then 'null_date'
            when cast(typed.changed_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['sponsor_change_id']) }}
