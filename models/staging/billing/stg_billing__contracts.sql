with contracts as (

    select base.*
    from {{ ref('base_billing__contracts') }} as base
    left join {{ ref('integrity_billing__contracts') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

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
