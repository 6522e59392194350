{#-
    Every row of Zendesk's ticket_comment, typed, with its author's role and whether it is a response: a public
    comment of an agent or admin, not deleted, written at or after the ticket was opened, and not the ticket's
    first comment (its description, even when an agent wrote it for a caller); an end user's reply and an
    internal note are not responses either. response_rank 1 is the ticket's first response.
-#}
{%- set comments = source('zendesk', 'ticket_comment') -%}
{%- set str = dbt.type_string() -%}
with comments as (

    select
        cast(id as {{ str }}) as comment_id,
        cast(ticket_id as {{ str }}) as ticket_id,
        cast(user_id as {{ str }}) as author_user_id,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        coalesce(cast(public as boolean), false) as is_public,
        coalesce(
            cast({{ rwh_optional_column(comments, '_fivetran_deleted', 'boolean') }} as boolean), false
        ) as is_deleted_at_source,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ comments }}

),

authors as (

    select
        cast(id as {{ str }}) as user_id,
        lower(trim(cast(role as {{ str }}))) as author_role
    from {{ source('zendesk', 'user') }}

),

tickets as (

    select
        cast(id as {{ str }}) as ticket_id,
        cast(created_at as {{ dbt.type_timestamp() }}) as ticket_created_at
    from {{ source('zendesk', 'ticket') }}

),

numbered as (

    select
        comments.*,
        row_number() over (
            partition by comments.ticket_id order by comments.created_at, comments.comment_id
        ) as comment_number
    from comments

),

classified as (

    select
        numbered.comment_id,
        numbered.ticket_id,
        numbered.author_user_id,
        numbered.created_at,
        numbered.is_public,
        numbered.is_deleted_at_source,
        numbered.synced_at,
        authors.author_role,
        coalesce(
            numbered.comment_number > 1
            and numbered.is_public
            and not numbered.is_deleted_at_source
            and authors.author_role in ('agent', 'admin')
            and numbered.created_at >= tickets.ticket_created_at,
            false
        ) as is_response
    from numbered
    left join authors
        on numbered.author_user_id = authors.user_id
    left join tickets
        on numbered.ticket_id = tickets.ticket_id

)

select
    classified.*,
    case
        when classified.is_response
            then row_number() over (
                partition by classified.ticket_id, classified.is_response
                order by classified.created_at, classified.comment_id
            )
    end as response_rank
from classified
