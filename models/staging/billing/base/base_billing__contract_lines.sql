with source as (

    select * from {{ rwh_raw('billing', 'contract_lines') }}

),

typed as (

    select
        cast(contract_line_id as {{ dbt.type_string() }}) as contract_line_id,
        cast(contract_id as {{ dbt.type_string() }}) as contract_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        lower(trim(cast(billing_period as {{ dbt.type_string() }}))) as billing_period,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        cast(unit_list_price_minor as {{ dbt.type_bigint() }}) as unit_list_price_minor,
        cast(unit_net_price_minor as {{ dbt.type_bigint() }}) as unit_net_price_minor,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('billing', 'contract_lines') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.contract_line_id is null then 'null_key'
            when
                typed.billing_period is null
                or {{ rwh_not_accepted('billing', 'contract_lines', 'billing_period', 'typed.billing_period') }}
                then 'invalid_enum'
            when
                typed.currency is null
                or {{ rwh_not_accepted('billing', 'contract_lines', 'currency', 'typed.currency') }}
                then 'unknown_currency'
            when typed.start_date is null then 'null_date'
            when typed.end_date < typed.start_date then 'invalid_date_range'
            when typed.billing_period = 'term' and typed.end_date is null then 'invalid_billing_period'
            when typed.quantity is null or typed.quantity < 0 then 'out_of_range'
            when typed.unit_list_price_minor < 0 or typed.unit_net_price_minor < 0 then 'negative_amount'
            when typed.unit_list_price_minor is null or typed.unit_net_price_minor is null then 'null_amount'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['contract_line_id']) }}
