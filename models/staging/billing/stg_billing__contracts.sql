with contracts as (

    select * from {{ ref('base_billing__contracts') }}
    where is_staged

),

staged as (

    select
        contract_id,
        account_id,
        predecessor_contract_id,
        amends_contract_id,
        contract_type,
        currency,
        term_months,
        signed_date,
        start_date,
        end_date,
        _loaded_at,
        end_date is null as is_open_ended
    from contracts

)

select * from staged
