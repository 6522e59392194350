{#-
    crm.renewal_opportunities from HubSpot: every renewal deal that is not excluded (docs/sources/hubspot.md). The
    proposal and signature dates are the first entries into the proposal_sent and closed_won stages of its stage
    history. Columns and types as the contract's.
-#}
with deals as (
    select * from {{ ref('base_hubspot__deals') }}
    where excluded_reason is null
),

milestones as (

    select
        opportunity_id,
        min(case when stage = 'proposal_sent' then cast(entered_at as date) end) as proposal_sent_date,
        min(case when stage = 'closed_won' then cast(entered_at as date) end) as signed_date
    from {{ ref('base_hubspot__stage_changes') }}
    where excluded_reason is null
    group by opportunity_id
)

select
    deals.opportunity_id,
    deals.account_id,
    deals.expiring_contract_id,
    deals.owner_user_id,
    deals.stage,
    deals.forecast_category,
    deals.probability_percent,
    deals.currency,
    deals.expiring_arr_amount,
    deals.renewal_arr_amount,
    deals.discount_percent,
    deals.term_months,
    deals.is_escalated,
    deals.created_date,
    deals.close_date,
    deals.first_outreach_date,
    milestones.proposal_sent_date,
    milestones.signed_date,
    deals.updated_at,
    deals.synced_at as _loaded_at
from deals
left join milestones
    on deals.opportunity_id = milestones.opportunity_id
