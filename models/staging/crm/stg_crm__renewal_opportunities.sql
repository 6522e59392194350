{#- CRM amounts are converted at the rate of the opportunity's created date. -#}
with opportunities as (

    select base.*
    from {{ ref('base_crm__renewal_opportunities') }} as base
    left join {{ ref('integrity_crm__renewal_opportunities') }} as integrity
        on base.base_row_id = integrity.base_row_id
    where base.is_staged and integrity.base_row_id is null

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

staged as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.expiring_contract_id,
        opportunities.owner_user_id,
        opportunities.stage,
        opportunities.forecast_category,
        opportunities.currency,
        cast(opportunities.probability_percent / 100 as decimal(9, 6)) as win_probability_rate,
        cast(opportunities.discount_percent / 100 as decimal(9, 6)) as discount_rate,
        opportunities.expiring_arr_amount as expiring_arr,
        opportunities.renewal_arr_amount as renewal_arr,
        {{ rwh_to_reporting('opportunities.expiring_arr_amount', 'row_fx', 'reporting_fx') }} as expiring_arr_reporting,
        {{ rwh_to_reporting('opportunities.renewal_arr_amount', 'row_fx', 'reporting_fx') }} as renewal_arr_reporting,
        opportunities.term_months,
        opportunities.is_escalated,
        opportunities.stage in ('closed_won', 'closed_lost') as is_closed,
        opportunities.stage = 'closed_won' as is_won,
        opportunities.created_date,
        opportunities.close_date,
        opportunities.first_outreach_date,
        opportunities.proposal_sent_date,
        opportunities.signed_date,
        opportunities.updated_at,
        opportunities._loaded_at
    from opportunities
    left join fx_rates as row_fx
        on {{ rwh_fx_rate_on('row_fx', 'opportunities.currency', 'opportunities.created_date') }}
    left join fx_rates as reporting_fx
        on {{ rwh_fx_rate_on('reporting_fx', "'" ~ var('reporting_currency') ~ "'", 'opportunities.created_date') }}

)

select * from staged
