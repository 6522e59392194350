{#-
    One row per renewal event (a contract with a committed term reaching its end date; docs/metrics.md section 2):
    its outcome from billing (renewed, churned, pending), the amounts at constant currency, expansion by
    type, early and multi-year flags, discount, the CRM process facts, the risk facts (at risk, saved, flag
    lead, primary reason), the churn reason the customer gave, and the leading indicators (health at T-90,
    engagement change, value review by T-60, sponsor change). Segment and CSM are taken as of
    the event (CSM: the account owner at T-90). has_quarantined_revenue: a contract line of the account that
    staging quarantined is active within the grace window around the end date (end - grace .. end + grace),
    where the expiring and the successor lines are: the event's amounts miss revenue staging could not keep
    (its outcome, from the contracts, stands).
    Billing alone builds it (RWH_SOURCE_SYSTEMS): the columns of an absent system are null, never zero or
    false: CRM process facts and CSM need the CRM, risk facts and churn reasons the CS platform, leading
    indicators every system (docs/source-systems.md).
-#}
{%- set expansion_types = ['new_product', 'module', 'tier_upgrade', 'seats', 'price_uplift'] -%}
{%- set has_crm = rwh_has_systems(['crm']) -%}
{%- set has_cs_platform = rwh_has_systems(['cs_platform']) -%}
{%- set has_indicators = rwh_has_systems(['billing', 'crm', 'product', 'support', 'cs_platform']) -%}
{%- set risk_columns = {
    'is_at_risk': 'boolean', 'risk_flag_count': dbt.type_bigint(), 'primary_risk_reason': dbt.type_string(),
    'first_flagged_date': 'date', 'flag_lead_days': dbt.type_bigint(), 'flag_lead_bucket': dbt.type_string(),
    'is_at_risk_t90': 'boolean', 'is_at_risk_t60': 'boolean', 'is_at_risk_t30': 'boolean',
    'is_saved': 'boolean', 'saved_arr': rwh_money_type()} -%}
{%- set indicator_columns = {
    'health_score_t90': 'decimal(5, 2)', 'health_band_t90': dbt.type_string(),
    'health_outcome_band_t90': dbt.type_string(), 'engagement_change_rate': 'decimal(18, 6)',
    'is_engagement_drop': 'boolean', 'is_value_review_done_t60': 'boolean', 'has_sponsor_change': 'boolean'} -%}

with events as (

    select * from {{ ref('int_renewal_events') }}

),

process as (

    select * from {{ ref('int_renewal_process_facts') }}

),

expansion_types as (

    select * from {{ ref('int_renewal_expansion_types') }}

),

{# A system that is absent leaves its facts null: a relation of the same shape, one row per event. #}
risk as (

    {% if has_cs_platform -%}
        select * from {{ ref('int_renewal_risk') }}
    {%- else -%}
        select
            renewal_event_id,
            {% for column, type in risk_columns.items() -%}
                cast(null as {{ type }}) as {{ column }}{{ "," if not loop.last }}
            {% endfor %}
        from events
    {%- endif %}

),

indicators as (

    {% if has_indicators -%}
        select * from {{ ref('int_renewal_leading_indicators') }}
    {%- else -%}
        select
            renewal_event_id,
            {% for column, type in indicator_columns.items() -%}
                cast(null as {{ type }}) as {{ column }}{{ "," if not loop.last }}
            {% endfor %}
        from events
    {%- endif %}

),

churn_reasons as (

    {% if has_cs_platform -%}
        select
            contract_id,
            reason,
            row_number() over (partition by contract_id order by churn_date desc, churn_record_id desc) as reason_rank
        from {{ ref('stg_cs_platform__churn_reasons') }}
        where contract_id is not null
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as contract_id,
            cast(null as {{ dbt.type_string() }}) as reason,
            cast(null as {{ dbt.type_bigint() }}) as reason_rank
        from events
        where 1 = 0
    {%- endif %}

),

quarantined_revenue as (

    select distinct events.renewal_event_id
    from events
    inner join {{ ref('quarantined_contract_lines') }} as quarantined_lines
        on
            events.account_id = quarantined_lines.account_id
            and quarantined_lines.has_period
            and quarantined_lines.start_date <= {{ dbt.dateadd('day', var('renewal_grace_days'), 'events.end_date') }}
            and (
                quarantined_lines.end_date is null
                or quarantined_lines.end_date >= {{ dbt.dateadd('day', -var('renewal_grace_days'), 'events.end_date') }}
            )

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
    quarantined_revenue.renewal_event_id is not null as has_quarantined_revenue,
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
    {% if has_crm -%}
        process.crm_stage = 'closed_won' and events.outcome = 'churned'
    {%- else -%}
        cast(null as boolean)
    {%- endif %} as is_crm_won_but_churned,
    process.csm_user_id_at_t90,
    process.size_segment,
    process.industry,
    process.region,
    process.acquisition_source,
    process.plan_tier,
    process.acv_band,
    risk.is_at_risk,
    risk.risk_flag_count,
    risk.primary_risk_reason,
    risk.first_flagged_date,
    risk.flag_lead_days,
    risk.flag_lead_bucket,
    risk.is_at_risk_t90,
    risk.is_at_risk_t60,
    risk.is_at_risk_t30,
    risk.is_saved,
    risk.saved_arr,
    {% if has_cs_platform -%}
        case when events.is_churned then coalesce(churn_reasons.reason, 'unrecorded') end
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif %} as churn_reason,
    indicators.health_score_t90,
    indicators.health_band_t90,
    indicators.health_outcome_band_t90,
    indicators.engagement_change_rate,
    indicators.is_engagement_drop,
    indicators.is_value_review_done_t60,
    indicators.has_sponsor_change
from events
inner join process
    on events.renewal_event_id = process.renewal_event_id
inner join risk
    on events.renewal_event_id = risk.renewal_event_id
inner join indicators
    on events.renewal_event_id = indicators.renewal_event_id
left join expansion_pivot
    on events.renewal_event_id = expansion_pivot.renewal_event_id
left join churn_reasons
    on events.expiring_contract_id = churn_reasons.contract_id and churn_reasons.reason_rank = 1
left join quarantined_revenue
    on events.renewal_event_id = quarantined_revenue.renewal_event_id
