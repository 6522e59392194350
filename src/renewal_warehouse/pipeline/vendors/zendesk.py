"""Zendesk Support as Fivetran's Zendesk connector lands it: the tables and columns the support adapter reads.

Names as the connector writes them (lower snake case, as fivetran/dbt_zendesk's ``get_<table>_columns`` macros
read them). Zendesk's ids are integers; the contract's ticket id is the Zendesk id as text. What each becomes is in
``docs/sources/zendesk.md``; the rules are in the adapter models (``models/staging/support/zendesk/``).
"""

from __future__ import annotations

from renewal_warehouse.pipeline.vendors import Vendor, VendorColumn, VendorTable

C = VendorColumn
SYNCED = C("_fivetran_synced", "timestamp", "UTC time Fivetran last wrote the row: the contract's _loaded_at.")
DELETED = C("_fivetran_deleted", "bool", "Deleted at the source (Fivetran's soft delete).", required=False)

ZENDESK = Vendor(
    name="zendesk",
    title="Zendesk",
    system="support",
    loader="Fivetran's Zendesk Support connector",
    replaces=("tickets",),
    freshness_warn_hours=24,
    freshness_error_hours=72,
    tables=(
        VendorTable("ticket", "One row per ticket, current state.", (
            C("id", "int", "Ticket id: the contract's ticket id, as text."),
            C("organization_id", "int", "Organization of the ticket: the account (else the requester's)."),
            C("requester_id", "int", "User who asked."),
            C("priority", "string", "low, normal, high or urgent."),
            C("status", "string", "new, open, pending, hold, solved, closed, or deleted (a soft delete: "
                                  "excluded)."),
            C("created_at", "timestamp", "UTC time the ticket was opened."),
            DELETED, SYNCED,
        ), becomes="a ticket (not deleted, not merged into another, with an account)"),
        VendorTable("ticket_field_history", "One row per change of a ticket field.", (
            C("ticket_id", "int", "Ticket changed."),
            C("field_name", "string", "Field: status (resolution, reopens) and satisfaction_score (CSAT) are read."),
            C("value", "string", "Value after the change."),
            C("updated", "timestamp", "UTC time of the change."),
            C("user_id", "int", "Who changed it."),
            SYNCED,
        ), becomes="a ticket's resolution time, reopen count and satisfaction rating", parent="ticket"),
        VendorTable("ticket_comment", "One row per comment on a ticket (the description is the first).", (
            C("id", "int", "Comment id."),
            C("ticket_id", "int", "Ticket."),
            C("user_id", "int", "Author."),
            C("created", "timestamp", "UTC time written."),
            C("public", "bool", "Public (false: an internal note, not a response)."),
            DELETED, SYNCED,
        ), becomes="a ticket's first response (the first public comment of an agent)", parent="ticket"),
        VendorTable("ticket_tag", "One row per tag on a ticket.", (
            C("ticket_id", "int", "Ticket."),
            C("tag", "string", "Tag: one in var zendesk_escalation_tags escalates the ticket; closed_by_merge "
                               "marks a ticket merged into another."),
            SYNCED,
        ), becomes="whether a ticket was escalated or merged", fresh=False),
        VendorTable("organization", "One row per organization.", (
            C("id", "int", "Organization id."),
            C("name", "string", "Name."),
            C("external_id", "string", "The CRM account id (var zendesk_account_column names another field)."),
            DELETED, SYNCED,
        ), becomes="the account of its tickets", parent="ticket", fresh=False),
        VendorTable("user", "One row per user: end users (requesters), agents and admins.", (
            C("id", "int", "User id."),
            C("email", "string", "Email: a requester's is the ticket's requester email (hashed in staging)."),
            C("role", "string", "end-user, agent or admin (an agent's or admin's public comment is a response)."),
            C("organization_id", "int", "The user's organization: the account of a ticket without one."),
            DELETED, SYNCED,
        ), becomes="a ticket's requester email, and who responded", parent="ticket"),
    ),
)
