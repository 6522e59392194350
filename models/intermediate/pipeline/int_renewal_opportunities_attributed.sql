{#-
    One row per renewal opportunity with what the pipeline marts attribute it by: the end date and expiring
    ARR of the renewal event of its expiring contract (billing; the CRM close date and amount when billing has
    no event), the fiscal quarter of that end date, the account's company size and the CSM at T-90.
-#}
{%- set requires_systems = ['billing', 'crm'] -%}
{{ config(enabled=rwh_has_systems(requires_systems), meta={'requires_systems': requires_systems}) }}

with opportunities as (

    select * from {{ ref('stg_crm__renewal_opportunities') }}

),

events as (

    select * from {{ ref('int_renewal_events') }}

),

process as (

    select * from {{ ref('int_renewal_process_facts') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

opportunity_facts as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.owner_user_id,
        opportunities.created_date,
        coalesce(events.end_date, opportunities.close_date) as end_date,
        coalesce(events.expiring_arr, opportunities.expiring_arr_reporting) as expiring_arr,
        events.renewal_event_id,
        accounts.size_segment,
        process.csm_user_id_at_t90
    from opportunities
    inner join accounts
        on opportunities.account_id = accounts.account_id
    left join events
        on opportunities.expiring_contract_id = events.expiring_contract_id
    left join process
        on events.renewal_event_id = process.renewal_event_id

)

select
    opportunity_facts.*,
    {{ rwh_fiscal_quarter_start('opportunity_facts.end_date') }} as fiscal_quarter_start_date,
    {{ rwh_fiscal_quarter_label('opportunity_facts.end_date') }} as fiscal_quarter_label,
    cast(
        {{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, rwh_fiscal_quarter_start('opportunity_facts.end_date'))) }}
        as date
    ) as fiscal_quarter_end_date
from opportunity_facts
