{#-
    crm.renewal_opportunities from Salesforce: the current version of every renewal opportunity that is not
    excluded (docs/sources/salesforce.md). The proposal and signature dates are the first entries into the
    proposal_sent and closed_won stages of its stage history. Columns and types as the contract's.
-#}
with opportunities as (

    select * from {{ ref('base_salesforce__opportunity_versions') }}
    where version_rank = 1 and excluded_reason is null

),

milestones as (

    select
        opportunity_id,
        min(case when stage = 'proposal_sent' then cast(entered_at as date) end) as proposal_sent_date,
        min(case when stage = 'closed_won' then cast(entered_at as date) end) as signed_date
    from {{ ref('base_salesforce__stage_changes') }}
    where excluded_reason is null
    group by opportunity_id

)

select
    opportunities.opportunity_id,
    opportunities.account_id,
    opportunities.expiring_contract_id,
    opportunities.owner_user_id,
    opportunities.stage,
    opportunities.forecast_category,
    opportunities.probability_percent,
    opportunities.currency,
    opportunities.expiring_arr_amount,
    opportunities.renewal_arr_amount,
    opportunities.discount_percent,
    opportunities.term_months,
    opportunities.is_escalated,
    opportunities.created_date,
    opportunities.close_date,
    opportunities.first_outreach_date,
    milestones.proposal_sent_date,
    milestones.signed_date,
    opportunities.updated_at,
    opportunities.synced_at as _loaded_at
from opportunities
left join milestones
    on opportunities.opportunity_id = milestones.opportunity_id
