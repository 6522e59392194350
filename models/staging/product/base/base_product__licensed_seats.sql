with source as (

    select * from {{ source('product', 'licensed_seats') }}

),

typed as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(snapshot_date as date) as snapshot_date,
        cast(licensed_seats as {{ dbt.type_int() }}) as licensed_seats,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('product', 'licensed_seats') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.account_id is null or typed.snapshot_date is null then 'null_key'
            when typed.licensed_seats < 0 then 'out_of_range'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['account_id', 'snapshot_date']) }}
