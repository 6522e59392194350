{#-
    Every row the Zendesk adapter read, one ledger row each (docs/sources/zendesk.md): mapped (it made, or went
    into, a contract ticket) or excluded with its reason. Field-history rows are keyed by ticket, field, value and
    '@' the time of the change, tag rows by ticket and tag, the others by id. An organization is mapped when it
    gave a mapped ticket its account (the ticket's own, else its requester's). Tested: every source row is here once
    (assert_vendor_rows_are_all_in_the_ledger).
-#}
{%- set str = dbt.type_string() -%}
{%- set users = source('zendesk', 'user') -%}
with tickets as (

    select * from {{ ref('base_zendesk__tickets') }}

),

mapped_tickets as (

    select * from tickets
    where excluded_reason is null

),

ticket_rows as (

    select
        'ticket' as vendor_table,
        ticket_id as vendor_key,
        excluded_reason,
        ticket_id as contract_key
    from tickets

),

change_rows as (

    select
        'ticket_field_history' as vendor_table,
        {{ dbt.concat(["changes.ticket_id", "':'", "changes.field_name", "':'",
            "coalesce(changes.field_value, '')", "'@'", "cast(changes.changed_at as " ~ str ~ ")"]) }} as vendor_key,
        case
            when tickets.ticket_id is null then 'unknown_ticket'
            when tickets.excluded_reason is not null then 'ticket_excluded'
            when changes.field_name = 'status' then null
            when changes.rating_rank = 1 then null
            when changes.is_rating then 'superseded_rating'
            when changes.field_name = 'satisfaction_score' then 'not_a_rating'
            else 'not_used'
        end as excluded_reason,
        changes.ticket_id as contract_key
    from {{ ref('base_zendesk__field_changes') }} as changes
    left join tickets
        on changes.ticket_id = tickets.ticket_id

),

comment_rows as (

    select
        'ticket_comment' as vendor_table,
        ticket_comments.comment_id as vendor_key,
        case
            when tickets.ticket_id is null then 'unknown_ticket'
            when tickets.excluded_reason is not null then 'ticket_excluded'
            when ticket_comments.response_rank = 1 then null
            when ticket_comments.is_response then 'later_response'
            else 'not_a_response'
        end as excluded_reason,
        ticket_comments.ticket_id as contract_key
    from {{ ref('base_zendesk__comments') }} as ticket_comments
    left join tickets
        on ticket_comments.ticket_id = tickets.ticket_id

),

tag_rows as (

    select
        'ticket_tag' as vendor_table,
        {{ dbt.concat(["cast(ticket_tags.ticket_id as " ~ str ~ ")", "':tag:'",
            "lower(trim(cast(ticket_tags.tag as " ~ str ~ ")))"]) }} as vendor_key,
        case
            when lower(trim(cast(ticket_tags.tag as {{ str }}))) = 'closed_by_merge' then 'merged'
            when tickets.ticket_id is null then 'unknown_ticket'
            when tickets.excluded_reason is not null then 'ticket_excluded'
            when {{ rwh_in_values('lower(trim(cast(ticket_tags.tag as ' ~ str ~ ')))',
                var('zendesk_escalation_tags')) }}
                then null
            else 'not_used'
        end as excluded_reason,
        cast(ticket_tags.ticket_id as {{ str }}) as contract_key
    from {{ source('zendesk', 'ticket_tag') }} as ticket_tags
    left join tickets
        on cast(ticket_tags.ticket_id as {{ str }}) = tickets.ticket_id

),

used_organizations as (

    select distinct account_organization_id as organization_id from mapped_tickets

),

organization_rows as (

    select
        'organization' as vendor_table,
        cast(organizations.id as {{ str }}) as vendor_key,
        case
            when used_organizations.organization_id is not null then null
            when organizations.{{ adapter.quote(var('zendesk_account_column')) }} is null then 'no_account'
            else 'unreferenced'
        end as excluded_reason,
        cast(null as {{ str }}) as contract_key
    from {{ source('zendesk', 'organization') }} as organizations
    left join used_organizations
        on cast(organizations.id as {{ str }}) = used_organizations.organization_id

),

users_used as (

    select requester_id as user_id from mapped_tickets
    where requester_id is not null
    union all
    select ticket_comments.author_user_id as user_id
    from {{ ref('base_zendesk__comments') }} as ticket_comments
    inner join mapped_tickets
        on ticket_comments.ticket_id = mapped_tickets.ticket_id
    where ticket_comments.response_rank = 1

),

used_users as (

    select distinct user_id from users_used

),

requested as (

    select
        requester_id as user_id,
        min(excluded_reason) as excluded_reason
    from tickets
    where requester_id is not null
    group by requester_id

),

user_rows as (

    select
        'user' as vendor_table,
        cast(all_users.id as {{ str }}) as vendor_key,
        case
            when used_users.user_id is not null then null
            when coalesce(
                cast({{ rwh_optional_column(users, '_fivetran_deleted', 'boolean') }} as boolean), false
            ) then 'deleted'
            when requested.user_id is not null then requested.excluded_reason
            else 'unreferenced'
        end as excluded_reason,
        cast(null as {{ str }}) as contract_key
    from {{ users }} as all_users
    left join used_users
        on cast(all_users.id as {{ str }}) = used_users.user_id
    left join requested
        on cast(all_users.id as {{ str }}) = requested.user_id

),

unioned as (

    select * from ticket_rows
    union all
    select * from change_rows
    union all
    select * from comment_rows
    union all
    select * from tag_rows
    union all
    select * from organization_rows
    union all
    select * from user_rows

)

select
    'zendesk' as vendor,
    vendor_table,
    vendor_key,
    case when excluded_reason is null then 'mapped' else 'excluded' end as outcome,
    excluded_reason,
    'support.tickets' as contract_table,
    contract_key
from unioned
