{#-
    One row per renewal event with the CRM side of the renewal (docs/metrics.md sections 2 and 4): its renewal
    opportunity (the latest created for the expiring contract), escalation, first outreach, proposal and
    signature dates, touchpoints from first outreach to signature, the owning CSM at T-90 (the ownership
    history as int_account_owner_spells resolves it, not today's owner) and the account's segments at the
    event (rwh_account_segments: the tier and ACV band of its expiring lines). The signature date comes from
    billing (the successor's signed date) and falls back to the CRM's. Without the CRM (RWH_SOURCE_SYSTEMS)
    the CRM columns are null and the segments come from billing (int_accounts_segmented).
-#}
{%- set has_crm = rwh_has_systems(['crm']) %}
with events as (

    select * from {{ ref('int_renewal_events') }}

),

{# Without the CRM its relations are empty and of the same shape: the joins below stay, every CRM column is null. #}
opportunities as (

    {% if has_crm -%}
        select
            *,
            row_number() over (
                partition by expiring_contract_id
                order by created_date desc, opportunity_id desc
            ) as opportunity_rank
        from {{ ref('stg_crm__renewal_opportunities') }}
        where expiring_contract_id is not null
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as opportunity_id,
            cast(null as {{ dbt.type_string() }}) as expiring_contract_id,
            cast(null as {{ dbt.type_string() }}) as stage,
            cast(null as boolean) as is_escalated,
            cast(null as date) as first_outreach_date,
            cast(null as date) as proposal_sent_date,
            cast(null as date) as signed_date,
            cast(null as {{ dbt.type_bigint() }}) as opportunity_rank
        from events
        where 1 = 0
    {%- endif %}

),

activities as (

    {% if has_crm -%}
        select * from {{ ref('stg_crm__activities') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as activity_id,
            cast(null as {{ dbt.type_string() }}) as opportunity_id,
            cast(null as {{ dbt.type_timestamp() }}) as occurred_at
        from events
        where 1 = 0
    {%- endif %}

),

owner_spells as (

    {% if has_crm -%}
        select * from {{ ref('int_account_owner_spells') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as account_id,
            cast(null as {{ dbt.type_string() }}) as owner_user_id,
            cast(null as date) as valid_from_date,
            cast(null as date) as valid_to_date
        from events
        where 1 = 0
    {%- endif %}

),

{{ rwh_account_segments_ctes() }}

joined as (

    select
        events.renewal_event_id,
        events.end_date,
        opportunities.opportunity_id,
        opportunities.stage as crm_stage,
        {% if has_crm -%}
            coalesce(opportunities.is_escalated, false)
        {%- else -%}
            cast(null as boolean)
        {%- endif %} as is_escalated,
        opportunities.first_outreach_date,
        opportunities.proposal_sent_date,
        coalesce(events.successor_signed_date, opportunities.signed_date) as signature_date,
        owners.owner_user_id as csm_user_id_at_t90,
        {{ rwh_account_segments_columns() }}
    from events
    left join opportunities
        on
            events.expiring_contract_id = opportunities.expiring_contract_id
            and opportunities.opportunity_rank = 1
    left join owner_spells as owners
        on {{ rwh_owner_on_date('owners', 'events.account_id', dbt.dateadd('day', -90, 'events.end_date')) }}
    {{ rwh_account_segments_joins('events.account_id', 'events.expiring_tier_rank', 'events.expiring_arr') }}

),

touchpoints as (

    select
        joined.renewal_event_id,
        count(activities.activity_id) as touchpoint_count
    from joined
    inner join activities
        on
            joined.opportunity_id = activities.opportunity_id
            and cast(activities.occurred_at as date) >= joined.first_outreach_date
            and cast(activities.occurred_at as date) <= joined.signature_date
    group by 1

)

select
    joined.*,
    case
        when joined.signature_date is not null and joined.first_outreach_date is not null
            then coalesce(touchpoints.touchpoint_count, 0)
    end as touchpoint_count,
    -- noqa: disable=LT05
    {{ dbt.datediff('joined.first_outreach_date', 'joined.signature_date', 'day') }} as days_to_close,
    {{ dbt.datediff('joined.proposal_sent_date', 'joined.signature_date', 'day') }} as proposal_to_signature_days
    -- noqa: enable=LT05
from joined
left join touchpoints
    on joined.renewal_event_id = touchpoints.renewal_event_id
