"""Segment as Fivetran's Segment connector lands its events: the tables and columns the product-usage adapter reads.

The ``tracks``, ``identifies`` and ``groups`` tables, traits and context fields flattened into lower snake case
columns, with the connector's ``_fivetran_synced``, and the event's name as sent in ``event`` (Segment's own
warehouse destination differs: a slug in ``event``, the name in ``event_text``, ``uuid_ts`` for the load time; not
read yet). Segment's ids are text. What each table becomes is in ``docs/sources/segment.md``; the rules
are in the adapter models (``models/staging/product/segment/``).
"""

from __future__ import annotations

from renewal_warehouse.pipeline.vendors import Vendor, VendorColumn, VendorTable

C = VendorColumn
SYNCED = C("_fivetran_synced", "timestamp", "UTC time Fivetran wrote the row: the latest of a usage day's events is "
                                            "the contract row's _loaded_at.")
CALL_SYNCED = C("_fivetran_synced", "timestamp",
                "UTC time Fivetran wrote the row: a usage row this call resolves is at least this recent "
                "(its _loaded_at).")

SEGMENT = Vendor(
    name="segment",
    title="Segment",
    system="product",
    loader="Fivetran's Segment connector",
    replaces=("usage_daily",),
    freshness_warn_hours=36,
    freshness_error_hours=24 * 14,
    tables=(
        VendorTable("tracks", "One row per track call: an event a user did in the product.", (
            C("id", "string", "Message id. Segment delivers at least once: a second row with the same id is a "
                              "duplicate."),
            C("user_id", "string", "The product user (the contract's user_id); null before the user logged in."),
            C("anonymous_id", "string", "The device's anonymous id: an identify call links it to a user."),
            C("event", "string", "Event name: var segment_core_events are core-feature events, "
                                 "var segment_activity_events mark activity only, var segment_ignored_events are "
                                 "not product use; any other is an other-feature event."),
            C("timestamp", "timestamp", "UTC time of the event (Segment's clock-skew-corrected time): its usage day."),
            C("context_group_id", "string", "The account the event was done in, when the call says (context.groupId); "
                                            "else the user's group call gives it.", required=False),
            SYNCED,
        ), becomes="events of a user in an account on a day: the day's sessions, active minutes and feature events"),
        VendorTable("identifies", "One row per identify call: who an anonymous device is.", (
            C("id", "string", "Message id."),
            C("user_id", "string", "The user identified."),
            C("anonymous_id", "string", "The device's anonymous id: its anonymous events are the user's."),
            C("timestamp", "timestamp", "UTC time of the call: the latest for a device counts."),
            CALL_SYNCED,
        ), becomes="the user of anonymous events", parent="tracks", fresh=False),
        VendorTable("groups", "One row per group call: a user in an account (Segment's B2B group).", (
            C("id", "string", "Message id."),
            C("user_id", "string", "The user."),
            C("group_id", "string", "Segment's group id (the product's workspace or organization)."),
            C("account_id", "string", "Group trait holding the CRM account id (var segment_account_trait names "
                                      "another trait column)."),
            C("timestamp", "timestamp", "UTC time of the call: an event belongs to the user's latest group at or "
                                        "before it."),
            CALL_SYNCED,
        ), becomes="the account of a user's events", parent="tracks", fresh=False),
    ),
)
