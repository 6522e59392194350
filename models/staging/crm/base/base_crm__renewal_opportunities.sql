with source as (

    select * from {{ rwh_raw('crm', 'renewal_opportunities') }}

),

typed as (

    select
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(expiring_contract_id as {{ dbt.type_string() }}) as expiring_contract_id,
        cast(owner_user_id as {{ dbt.type_string() }}) as owner_user_id,
        lower(trim(cast(stage as {{ dbt.type_string() }}))) as stage,
        lower(trim(cast(forecast_category as {{ dbt.type_string() }}))) as forecast_category,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,
        cast(probability_percent as decimal(5, 2)) as probability_percent,
        cast(expiring_arr_amount as {{ rwh_major_amount_type() }}) as expiring_arr_amount,
        cast(renewal_arr_amount as {{ rwh_major_amount_type() }}) as renewal_arr_amount,
        cast(discount_percent as decimal(5, 2)) as discount_percent,
        cast(term_months as {{ dbt.type_int() }}) as term_months,
        cast(is_escalated as {{ dbt.type_boolean() }}) as is_escalated,
        cast(created_date as date) as created_date,
        cast(close_date as date) as close_date,
        cast(first_outreach_date as date) as first_outreach_date,
        cast(proposal_sent_date as date) as proposal_sent_date,
        cast(signed_date as date) as signed_date,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at,
        {{ rwh_row_hash('crm', 'renewal_opportunities') }} as row_hash
    from source

),

checked as (

    select
        typed.*,
        case
            when typed.opportunity_id is null then 'null_key'
            when {{ rwh_not_accepted('crm', 'renewal_opportunities', 'stage', 'typed.stage') }} then 'invalid_enum'
            when
                {{ rwh_not_accepted('crm', 'renewal_opportunities', 'forecast_category', 'typed.forecast_category') }}
                then 'invalid_enum'
            when
                typed.currency is null
                or {{ rwh_not_accepted('crm', 'renewal_opportunities', 'currency', 'typed.currency') }}
                then 'unknown_currency'
            when typed.probability_percent < 0 or typed.probability_percent > 100 then 'out_of_range'
            when typed.discount_percent < 0 or typed.discount_percent > 100 then 'out_of_range'
            when typed.term_months < 1 or typed.term_months > 60 then 'out_of_range'
            when typed.expiring_arr_amount < 0 or typed.renewal_arr_amount < 0 then 'negative_amount'
            when typed.created_date is null then 'null_date'
            when cast(typed.created_date as {{ dbt.type_timestamp() }}) > typed._loaded_at then 'future_date'
        end as row_quarantine_reason
    from typed

),

{{ rwh_flag_rows('checked', ['opportunity_id']) }}
