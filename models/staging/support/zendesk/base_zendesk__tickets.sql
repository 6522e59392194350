{#-
    One row per Zendesk ticket with the contract ticket it makes (docs/sources/zendesk.md): the account (its
    organization's var zendesk_account_column, else its requester's organization's), the requester's email, the
    first response (base_zendesk__comments), the resolution (of a ticket now solved or closed, its latest entry into
    solved or closed from another status: the close that follows a solve is not a resolution, a reopened ticket
    closed without a new solve is resolved when it closes), the reopens (base_zendesk__field_changes), escalation (a tag in
    var zendesk_escalation_tags) and the latest rating (good or bad, scored by var zendesk_csat_scores). A deleted
    organization (_fivetran_deleted) gives no account.
    excluded_reason: deleted (status deleted or removed at the source), merged (tagged closed_by_merge: merged
    into another ticket, which keeps its own history), no_account.
-#}
{%- set tickets = source('zendesk', 'ticket') -%}
{%- set organizations = source('zendesk', 'organization') -%}
{%- set str = dbt.type_string() -%}
{%- set scores = var('zendesk_csat_scores') -%}
with tickets as (

    select
        cast(id as {{ str }}) as ticket_id,
        cast(organization_id as {{ str }}) as organization_id,
        cast(requester_id as {{ str }}) as requester_id,
        lower(trim(cast(priority as {{ str }}))) as priority,
        lower(trim(cast(status as {{ str }}))) as status,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        coalesce(
            cast({{ rwh_optional_column(tickets, '_fivetran_deleted', 'boolean') }} as boolean), false
        ) as is_deleted_at_source,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ tickets }}

),

organization_accounts as (

    select
        cast(id as {{ str }}) as organization_id,
        cast({{ adapter.quote(var('zendesk_account_column')) }} as {{ str }}) as account_id
    from {{ organizations }}
    where not coalesce(
        cast({{ rwh_optional_column(organizations, '_fivetran_deleted', 'boolean') }} as boolean), false
    )

),

requesters as (

    select
        cast(id as {{ str }}) as user_id,
        cast(email as {{ str }}) as email,
        cast(organization_id as {{ str }}) as organization_id
    from {{ source('zendesk', 'user') }}

),

changes as (

    select * from {{ ref('base_zendesk__field_changes') }}

),

resolutions as (

    select
        ticket_id,
        {#- the latest entry into solved or closed from another status: solved then closed keeps the solve (Zendesk
            closes solved tickets days later), a reopened ticket closed without a new solve is resolved when closed #}
        max(
            case
                when
                    field_name = 'status'
                    and field_value in ('solved', 'closed')
                    and coalesce(previous_value, '') not in ('solved', 'closed')
                    then changed_at
            end
        ) as last_resolved_at,
        sum(case when is_reopen then 1 else 0 end) as reopened_count,
        max(
            case
                when rating_rank = 1 and field_value = 'good' then {{ scores['good'] }}
                when rating_rank = 1 and field_value = 'bad' then {{ scores['bad'] }}
            end
        ) as csat_score
    from changes
    group by ticket_id

),

first_responses as (

    select
        ticket_id,
        created_at as first_response_at
    from {{ ref('base_zendesk__comments') }}
    where response_rank = 1

),

tags as (

    select
        cast(ticket_id as {{ str }}) as ticket_id,
        max(
            case
                when {{ rwh_in_values('lower(trim(cast(tag as ' ~ str ~ ')))', var('zendesk_escalation_tags')) }}
                    then 1
                else 0
            end
        ) as has_escalation_tag,
        max(case when lower(trim(cast(tag as {{ str }}))) = 'closed_by_merge' then 1 else 0 end) as has_merge_tag
    from {{ source('zendesk', 'ticket_tag') }}
    group by cast(ticket_id as {{ str }})

),

joined as (

    select
        tickets.*,
        coalesce(own_organization.account_id, requester_organization.account_id) as account_id,
        case
            when own_organization.account_id is not null then own_organization.organization_id
            when requester_organization.account_id is not null then requester_organization.organization_id
        end as account_organization_id,
        requesters.email as requester_email,
        first_responses.first_response_at,
        case
            when tickets.status in ('solved', 'closed')
                then resolutions.last_resolved_at
        end as resolved_at,
        coalesce(tags.has_escalation_tag, 0) = 1 as is_escalated,
        coalesce(resolutions.reopened_count, 0) as reopened_count,
        resolutions.csat_score,
        coalesce(tags.has_merge_tag, 0) = 1 as is_merged
    from tickets
    left join organization_accounts as own_organization
        on tickets.organization_id = own_organization.organization_id
    left join requesters
        on tickets.requester_id = requesters.user_id
    left join organization_accounts as requester_organization
        on requesters.organization_id = requester_organization.organization_id
    left join resolutions
        on tickets.ticket_id = resolutions.ticket_id
    left join first_responses
        on tickets.ticket_id = first_responses.ticket_id
    left join tags
        on tickets.ticket_id = tags.ticket_id

)

select
    joined.ticket_id,
    joined.account_id,
    joined.organization_id,
    joined.account_organization_id,
    joined.requester_id,
    joined.requester_email,
    joined.priority,
    joined.status,
    joined.created_at,
    joined.first_response_at,
    joined.resolved_at,
    joined.is_escalated,
    joined.reopened_count,
    joined.csat_score,
    joined.synced_at,
    case
        when joined.status = 'deleted' or joined.is_deleted_at_source then 'deleted'
        when joined.is_merged then 'merged'
        when joined.account_id is null then 'no_account'
    end as excluded_reason
from joined
