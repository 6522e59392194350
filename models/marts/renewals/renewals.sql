{#-
    One row per renewal event (a contract with a committed term reaching its end date; METRICS.md section 2):
    its outcome from billing (renewed, churned, pending), the amounts at constant currency, expansion by
    type, early and multi-year flags, discount, and the CRM process facts. Segment and CSM are taken as of
    the event (CSM: the account owner at T-90).
-#}
{%- set expansion_types = ['new_product', 'module', 'tier_upgrade', 'seats', 'price_uplift'] -%}

with events as (

    select * from {{ ref('int_renewal_events') }}

),

process as (

    select * from {{ ref('int_renewal_process_facts') }}

),

expansion_types as (

    select * from {{ ref('int_renewal_expansion_types') }}

),

expansion_pivot as (

    select
        renewal_event_id,
    {% for t in expansion_types %}
        cast(sum(case when expansion_type = '{{ t }}' then expansion_arr else 0 end) as {{ rwh_money_type() }})
            as {{ t }}_expansion_arr
        {{- "," if not loop.last }}
    {% endfor %}
    from expansion_types
    group by 1

)

select
    events.renewal_event_id,
    events.account_id,
    events.expiring_contract_id,
    events.successor_contract_id,
    events.is_successor_inferred,
    events.end_date,
    {{ rwh_fiscal_quarter_start('events.end_date') }} as fiscal_quarter_start_date,
    {{ rwh_fiscal_quarter_label('events.end_date') }} as fiscal_quarter_label,
    {{ rwh_fiscal_year('events.end_date') }} as fiscal_year,
    events.outcome,
    events.is_renewed,
    events.is_churned,
    events.is_decided,
    events.is_upcoming,
    events.renewal_number,
    case
        when events.renewal_number = 1 then '1st'
        when events.renewal_number = 2 then '2nd'
        else '3rd+'
    end as tenure_bucket,
    events.expiring_arr,
    events.successor_arr,
    events.successor_arr_constant_currency,
    events.renewed_arr,
    events.expansion_arr,
    events.contraction_arr,
    events.churned_arr,
    events.fx_arr,
    events.expansion_arr > 0 as has_expansion,
    {% for t in expansion_types %}
        coalesce(expansion_pivot.{{ t }}_expansion_arr, 0) as {{ t }}_expansion_arr,
        coalesce(expansion_pivot.{{ t }}_expansion_arr, 0) > 0 as has_{{ t }}_expansion,
    {% endfor %}
    events.discount_rate,
    events.successor_signed_date,
    events.successor_start_date,
    events.successor_term_months,
    events.days_early,
    events.is_early_renewal,
    events.is_multi_year_renewal,
    process.opportunity_id,
    process.crm_stage,
    process.is_escalated,
    process.first_outreach_date,
    process.proposal_sent_date,
    process.signature_date,
    process.days_to_close,
    process.touchpoint_count,
    process.proposal_to_signature_days,
    process.touchpoint_count >= 15 or process.touchpoint_count <= 3 as is_touchpoint_count_flagged,
    process.crm_stage = 'closed_won' and events.outcome = 'churned' as is_crm_won_but_churned,
    process.csm_user_id_at_t90,
    process.size_segment,
    process.industry,
    process.region,
    process.acquisition_source,
    process.plan_tier,
    process.acv_band
from events
inner join process
    on events.renewal_event_id = process.renewal_event_id
left join expansion_pivot
    on events.renewal_event_id = expansion_pivot.renewal_event_id
