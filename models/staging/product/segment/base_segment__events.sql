{#-
    One row per Segment track row with what the product adapter makes of it (docs/sources/segment.md): the user
    (its user_id, else the user the latest identify call of its anonymous id names), the account (the group the
    call names in context_group_id, else the user's latest group call at or before the event; a group's account is
    the latest non-null value of its trait var segment_account_trait), and its class by event name (var
    segment_core_events: core, var segment_activity_events: activity, var segment_ignored_events: ignored, any
    other: other). Segment delivers at least once: the rows of one message id after the first synced are
    duplicates (delivery_rank > 1). resolved_synced_at is the latest sync of the event and of the identify and group
    calls that resolved it: a late identify changes a usage row as a late event does.
    excluded_reason: duplicate, no_timestamp, ignored_event, anonymous (no user), no_account.
-#}
with {{ rwh_segment_event_ctes() }}

select * from segment_events
