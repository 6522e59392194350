{#-
    Audit: the CRM's renewal opportunities against billing's renewal events, each opportunity with what
    billing says of the same renewal (matched by int_renewal_opportunities_attributed). A finding names what
    disagrees: an opportunity billing has no renewal for, an opportunity won in the CRM whose renewal churned
    in billing or the other way round, an expiring ARR that differs by more than 1 %, or a won amount that
    differs from billing's successor ARR by more than 1 %. Amounts are compared only for opportunities in the
    reporting currency: the CRM converts on the opportunity's creation date and billing at the expiring
    contract's rate, so other currencies differ by the FX movement between the two dates. Billing is the
    system of record for revenue (docs/metrics.md section 1); the CRM's amounts are what CSMs forecast from.
    Needs the CRM (RWH_SOURCE_SYSTEMS).
-#}
{{ config(enabled=rwh_has_systems(['crm'])) }}

with opportunities as (

    select * from {{ ref('stg_crm__renewal_opportunities') }}

),

attributed as (

    select * from {{ ref('int_renewal_opportunities_attributed') }}

),

events as (

    select * from {{ ref('int_renewal_events') }}

),

matched as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.stage,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.close_date,
        opportunities.currency,
        opportunities.currency = '{{ var("reporting_currency") }}' as is_in_reporting_currency,
        opportunities.expiring_arr_reporting as crm_expiring_arr,
        opportunities.renewal_arr_reporting as crm_renewal_arr,
        events.renewal_event_id,
        events.end_date,
        events.outcome as billing_outcome,
        events.expiring_arr as billing_expiring_arr,
        events.successor_arr as billing_successor_arr
    from opportunities
    left join attributed
        on opportunities.opportunity_id = attributed.opportunity_id
    left join events
        on attributed.renewal_event_id = events.renewal_event_id

),

findings as (

    select
        matched.*,
        case
            when matched.renewal_event_id is null then 'no billing renewal for this opportunity'
            when matched.is_closed and matched.is_won and matched.billing_outcome = 'churned'
                then 'won in the CRM, churned in billing'
            when matched.is_closed and not matched.is_won and matched.billing_outcome = 'renewed'
                then 'lost in the CRM, renewed in billing'
            when
                matched.is_in_reporting_currency
                and abs(matched.crm_expiring_arr - matched.billing_expiring_arr)
                > 0.01 * abs(matched.billing_expiring_arr)
                then 'expiring ARR differs by more than 1 %'
            when
                matched.is_in_reporting_currency
                and matched.is_closed
                and matched.is_won
                and matched.billing_outcome = 'renewed'
                and abs(matched.crm_renewal_arr - matched.billing_successor_arr)
                > 0.01 * abs(matched.billing_successor_arr)
                then 'won amount differs from the successor ARR by more than 1 %'
        end as finding
    from matched

)

select * from findings
where finding is not null
order by finding, account_id, opportunity_id
