{#-
    Every row of Zendesk's ticket_field_history (one per change of a ticket field), typed, with the field's
    previous value on the ticket (time order). A status change reopens a ticket when the previous status was
    solved and the new one is new, open, pending or hold. A satisfaction_score change is a rating when its value
    is good or bad (offered and unoffered are not); rating_rank 1 is the ticket's latest rating.
-#}
{%- set str = dbt.type_string() -%}
with changes as (

    select
        cast(ticket_id as {{ str }}) as ticket_id,
        lower(trim(cast(field_name as {{ str }}))) as field_name,
        lower(trim(cast(value as {{ str }}))) as field_value,
        cast(updated as {{ dbt.type_timestamp() }}) as changed_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from {{ source('zendesk', 'ticket_field_history') }}

),

sequenced as (

    select
        changes.*,
        lag(changes.field_value) over (
            partition by changes.ticket_id, changes.field_name
            order by changes.changed_at, changes.field_value
        ) as previous_value,
        coalesce(
            changes.field_name = 'satisfaction_score' and changes.field_value in ('good', 'bad'), false
        ) as is_rating
    from changes

)

select
    sequenced.ticket_id,
    sequenced.field_name,
    sequenced.field_value,
    sequenced.changed_at,
    sequenced.synced_at,
    sequenced.previous_value,
    coalesce(
        sequenced.field_name = 'status'
        and sequenced.previous_value = 'solved'
        and sequenced.field_value in ('new', 'open', 'pending', 'hold'),
        false
    ) as is_reopen,
    sequenced.is_rating,
    case
        when sequenced.is_rating
            then row_number() over (
                partition by sequenced.ticket_id, sequenced.is_rating
                order by sequenced.changed_at desc, sequenced.field_value asc
            )
    end as rating_rank
from sequenced
