"""Zendesk writer: a generated extract's support tickets rewritten as Fivetran's Zendesk Support connector lands
them.

``write_zendesk(raw_dir)`` reads ``support/tickets.parquet`` of a generated extract, keeps the clean rows (no
planted quarantine rows; one version per key, the latest load), writes every table of ``ZENDESK`` (``zendesk.py``)
to ``<raw_dir>/zendesk/<table>.parquet``, plants the vendor quirks the adapter must exclude, removes the tickets
file (the only support table) and records all of it in ``_manifest.json``. It returns, beside the manifest, the
contract rows the adapter derives from those tables (``twin``); ``contract_twin(raw_dir, converted)`` rewrites
another copy of the same extract with them, so a test can build both and compare.

The rules are the ones the dbt adapter ``models/staging/support/zendesk/`` inverts:

* ids: a ticket's Zendesk id is the number of its contract id (``T00000123`` -> 123; the adapter's ticket id is
  that number as text, ``"123"``); one organization per account (``external_id`` the account id), one end user
  per requester email (in the organization of the first ticket, by id, with that email) and one agent;
* the first response is the first public comment of an agent at or after the ticket was opened (the
  description is the requester's);
* the status history: ``new`` at creation, one ``solved`` then ``open`` per reopen (evenly spaced, whole
  seconds, before the resolution, else before the ticket's load), ``solved`` at the resolution and ``closed``
  four days later when that is before or at midnight of the as-of date (the ticket's status is the last of
  them); the adapter's resolved_at is the latest ``solved`` of a solved or closed ticket, its reopen count the
  status changes from ``solved`` to new, open, pending or hold;
* a rating is good (a CSAT of 4 or 5) or bad (1 to 3): the adapter scores them 5 and 1 (var zendesk_csat_scores),
  so the twin's CSAT is on that scale; the tag ``escalated`` escalates a ticket.

Output is deterministic: rows sorted by id (history: ticket, time, field, value; tags: ticket, tag); timestamps
from the data only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from renewal_warehouse.pipeline.vendors.extract import (
    Row,
    clean_rows,
    key_of,
    read_table,
    ts,
    write_twin,
    write_vendor,
)
from renewal_warehouse.pipeline.vendors.zendesk import ZENDESK

TICKETS = "support.tickets"
REPLACED = (TICKETS,)
TICKET_ID = re.compile(r"T(\d+)")

ORGANIZATION_BASE = 360_000_000_000  # + the rank of the account id
USER_BASE = 370_000_000_000  # + the rank of the requester email
AGENT_ID = 380_000_000_001
AGENT_EMAIL = "agent@support.example"
COMMENTS_PER_TICKET = 100  # a comment's id: ticket id * 100 + its number on the ticket (from 1)

CLOSE_AFTER = timedelta(days=4)  # a solved ticket closes four days later
OFFER_AFTER = timedelta(hours=1)  # the satisfaction survey goes out an hour after the resolution
RATE_AFTER = timedelta(hours=2)  # ... and is answered an hour later
NOTE_BEFORE = timedelta(minutes=1)  # the planted internal note, before the first response
GOOD_FROM = 4  # a CSAT of 4 or 5 is a good rating, 1 to 3 a bad one
GOOD_SCORE, BAD_SCORE = 5, 1  # what the adapter scores them (var zendesk_csat_scores)
ESCALATION_TAG = "escalated"
MERGE_TAG = "closed_by_merge"
UNREAD_TAG, UNREAD_TAG_EVERY = "billing", 10  # a tag the adapter does not read, on every 10th ticket

# Columns the connector lands that the adapter does not read.
EXTRA_COLUMNS = {
    "ticket": (("subject", "string"), ("type", "string"), ("via_channel", "string"), ("updated_at", "timestamp")),
    "user": (("name", "string"), ("active", "bool")),
    "organization": (("created_at", "timestamp"),),
}
CHANNELS = ("email", "web", "api")

# Planted rows' ids
DELETED_TICKET = 900_000_001
MERGED_TICKET = 900_000_002
PROSPECT_TICKET = 900_000_003
PROSPECT_ORGANIZATION = 369_999_999_999
PROSPECT_USER = 379_999_999_999
PROSPECT_EMAIL = "prospect@example.org"
LEFT_USER = 379_999_999_998
LEFT_EMAIL = "left@example.org"
PLANTED_TICKETS = (DELETED_TICKET, MERGED_TICKET, PROSPECT_TICKET)


# ------------------------------------------------------------------------------------------ rules
def zendesk_ticket_id(ticket_id: str) -> int:
    """A contract ticket id as its Zendesk id: the number of ``T`` + digits."""
    match = TICKET_ID.fullmatch(ticket_id or "")
    if match is None:
        raise ValueError(f"ticket id {ticket_id!r} is not T followed by digits: it has no Zendesk id")
    return int(match.group(1))


def ticket_status(resolved_at: datetime | None, as_of: datetime) -> str:
    """A ticket's current status: solved until four days after the resolution, then closed; open if unresolved."""
    if resolved_at is None:
        return "open"
    return "solved" if resolved_at + CLOSE_AFTER > as_of else "closed"


def cycle_times(start: datetime, end: datetime, reopens: int) -> list[datetime] | None:
    """The times of ``reopens`` cycles of solved then open: 2 * reopens whole-second times evenly spaced strictly
    between ``start`` and ``end``, strictly increasing; None when they do not fit."""
    if reopens <= 0:
        return []
    n = 2 * reopens
    span = end - start
    times = [(start + span * i / (n + 1)).replace(microsecond=0) for i in range(1, n + 1)]
    if times[0] <= start or times[-1] >= end or any(b <= a for a, b in zip(times, times[1:], strict=False)):
        return None
    return times


def rating(csat: int | None) -> str | None:
    """A CSAT score as a Zendesk rating."""
    if csat is None:
        return None
    return "good" if csat >= GOOD_FROM else "bad"


def twin_csat(csat: int | None) -> int | None:
    """The CSAT score the adapter reads back from the rating."""
    r = rating(csat)
    return None if r is None else GOOD_SCORE if r == "good" else BAD_SCORE


def ticket_problem(row: Row) -> str | None:
    """Why a clean contract ticket cannot be expressed exactly in Zendesk's tables (None: it can)."""
    if row["account_id"] is None:
        return "no_account"
    if row["priority"] is not None and row["priority"] != row["priority"].strip().lower():
        return "priority_not_lowercase"
    if row["first_response_at"] is not None and row["first_response_at"] < row["created_at"]:
        return "first_response_before_created"
    if row["resolved_at"] is not None and row["resolved_at"] < row["created_at"]:
        return "resolved_before_created"
    end = row["resolved_at"] if row["resolved_at"] is not None else row["_loaded_at"]
    if cycle_times(row["created_at"], end, row["reopened_count"] or 0) is None:
        return "no_room_for_reopens"
    return None


def twin_row(row: Row) -> Row:
    """The contract row the adapter derives from a ticket's Zendesk rows."""
    return {**row, "ticket_id": str(zendesk_ticket_id(row["ticket_id"])), "csat_score": twin_csat(row["csat_score"]),
            "reopened_count": row["reopened_count"] or 0, "is_escalated": bool(row["is_escalated"])}


def _name(email: str) -> str:
    return email.split("@")[0].replace(".", " ").title()


# ------------------------------------------------------------------------------------------ tables
class _Writer:
    """The Zendesk tables of one extract, built from its expressible clean tickets."""

    def __init__(self, tickets: dict[int, Row], as_of: date, extracted_at: datetime):
        self.tickets = dict(sorted(tickets.items()))  # Zendesk id -> contract row
        self.as_of, self.extracted_at = ts(as_of), extracted_at
        self.tables: dict[str, list[Row]] = {t.name: [] for t in ZENDESK.tables}
        self.quirks: list[Row] = []
        self.organization_of: dict[str, int] = {}
        self.requester_of: dict[str, int] = {}

    def build(self) -> None:
        self._organizations()
        self._users()
        for i, (zid, row) in enumerate(self.tickets.items(), start=1):
            self._ticket(zid, row, unread_tag=i % UNREAD_TAG_EVERY == 0)
        self._plant_quirks()
        self.tables["ticket_field_history"].sort(
            key=lambda r: (r["ticket_id"], r["updated"], r["field_name"], r["value"] or ""))
        self.tables["ticket_tag"].sort(key=lambda r: (r["ticket_id"], r["tag"]))
        for name in ("ticket", "ticket_comment", "organization", "user"):
            self.tables[name].sort(key=lambda r: r["id"])

    def _organizations(self) -> None:
        first_created: dict[str, datetime] = {}
        for row in self.tickets.values():
            account = row["account_id"]
            first_created[account] = min(first_created.get(account, row["created_at"]), row["created_at"])
        for rank, account in enumerate(sorted(first_created), start=1):
            self.organization_of[account] = ORGANIZATION_BASE + rank
            self.tables["organization"].append({
                "id": ORGANIZATION_BASE + rank, "name": f"Org {account}", "external_id": account,
                "_fivetran_deleted": False, "_fivetran_synced": self.extracted_at,
                "created_at": first_created[account]})

    def _users(self) -> None:
        first_account: dict[str, str] = {}
        for row in self.tickets.values():  # by Zendesk id
            if row["requester_email"] is not None:
                first_account.setdefault(row["requester_email"], row["account_id"])
        for rank, email in enumerate(sorted(first_account), start=1):
            self.requester_of[email] = USER_BASE + rank
            self.tables["user"].append({
                "id": USER_BASE + rank, "email": email, "role": "end-user",
                "organization_id": self.organization_of[first_account[email]], "_fivetran_deleted": False,
                "_fivetran_synced": self.extracted_at, "name": _name(email), "active": True})
        self.tables["user"].append({
            "id": AGENT_ID, "email": AGENT_EMAIL, "role": "agent", "organization_id": None,
            "_fivetran_deleted": False, "_fivetran_synced": self.extracted_at, "name": "Support Agent",
            "active": True})

    def _ticket(self, zid: int, row: Row, unread_tag: bool) -> None:
        created, resolved, synced = row["created_at"], row["resolved_at"], row["_loaded_at"]
        requester = None if row["requester_email"] is None else self.requester_of[row["requester_email"]]
        self.tables["ticket"].append({
            "id": zid, "organization_id": self.organization_of[row["account_id"]], "requester_id": requester,
            "priority": row["priority"], "status": ticket_status(resolved, self.as_of), "created_at": created,
            "_fivetran_deleted": False, "_fivetran_synced": synced, "subject": f"Support request #{zid}",
            "type": "incident" if row["is_escalated"] else "question", "via_channel": CHANNELS[zid % len(CHANNELS)],
            "updated_at": synced})
        comment = {"ticket_id": zid, "public": True, "_fivetran_deleted": False, "_fivetran_synced": synced}
        comments = self.tables["ticket_comment"]
        comments.append({**comment, "id": zid * COMMENTS_PER_TICKET + 1, "user_id": requester, "created": created})
        if row["first_response_at"] is not None:
            comments.append({**comment, "id": zid * COMMENTS_PER_TICKET + 2, "user_id": AGENT_ID,
                             "created": row["first_response_at"]})

        def change(field: str, value: str | None, at: datetime, user: int | None = None) -> None:
            self.tables["ticket_field_history"].append({"ticket_id": zid, "field_name": field, "value": value,
                                                        "updated": at, "user_id": user, "_fivetran_synced": synced})

        change("status", "new", created)
        end = resolved if resolved is not None else synced
        times = cycle_times(created, end, row["reopened_count"] or 0)
        for i, at in enumerate(times):
            if i % 2 == 0:
                change("status", "solved", at, AGENT_ID)
            else:
                change("status", "open", at)
        if resolved is not None:
            change("status", "solved", resolved, AGENT_ID)
            if resolved + CLOSE_AFTER <= self.as_of:
                change("status", "closed", resolved + CLOSE_AFTER)
        if row["csat_score"] is not None:
            base = resolved if resolved is not None else created
            change("satisfaction_score", "offered", base + OFFER_AFTER)
            change("satisfaction_score", rating(row["csat_score"]), base + RATE_AFTER)
        if row["priority"] is not None:
            change("priority", row["priority"], created)
        tag = {"ticket_id": zid, "_fivetran_synced": synced}
        if row["is_escalated"]:
            self.tables["ticket_tag"].append({**tag, "tag": ESCALATION_TAG})
        if unread_tag:
            self.tables["ticket_tag"].append({**tag, "tag": UNREAD_TAG})

    # ------------------------------------------------------------------ planted quirks
    def _quirk(self, table: str, row: Row, reason: str, key: str | None = None) -> None:
        self.tables[table].append(row)
        self.quirks.append({"table": f"zendesk.{table}", "key": key or str(row["id"]), "reason": reason})

    def _description(self, ticket: Row) -> Row:
        return {"id": ticket["id"] * COMMENTS_PER_TICKET + 1, "ticket_id": ticket["id"],
                "user_id": ticket["requester_id"], "created": ticket["created_at"], "public": True,
                "_fivetran_deleted": False, "_fivetran_synced": ticket["_fivetran_synced"]}

    def _plant_quirks(self) -> None:
        """Rows a real Zendesk account has and the adapter must exclude or resolve (none changes the contract
        rows)."""
        if not self.tickets:
            raise ValueError("no clean ticket to plant Zendesk's quirks beside")
        taken = set(self.tickets) & set(PLANTED_TICKETS)
        if taken:
            raise ValueError(f"contract tickets {sorted(taken)} take the ids of Zendesk's planted tickets")
        tickets = {t["id"]: t for t in self.tables["ticket"]}
        first = tickets[min(tickets)]
        synced = self.extracted_at
        # 1. a deleted ticket (a copy of the first one) and its description
        deleted = {**first, "id": DELETED_TICKET, "status": "deleted", "subject": "Duplicate request"}
        self._quirk("ticket", deleted, "deleted")
        self._quirk("ticket_comment", self._description(deleted), "ticket_excluded")
        # 2. a ticket merged into the first one: closed, tagged closed_by_merge
        merged = {**first, "id": MERGED_TICKET, "status": "closed", "subject": "Same request, merged"}
        self._quirk("ticket", merged, "merged")
        self._quirk("ticket_tag", {"ticket_id": MERGED_TICKET, "tag": MERGE_TAG, "_fivetran_synced": merged[
            "_fivetran_synced"]}, "merged", f"{MERGED_TICKET}:tag:{MERGE_TAG}")
        self._quirk("ticket_comment", self._description(merged), "ticket_excluded")
        # 3. a prospect's ticket: its organization has no CRM account, nor has its requester's
        opened = self.as_of - timedelta(days=2)
        self._quirk("organization", {"id": PROSPECT_ORGANIZATION, "name": "Prospect Org", "external_id": None,
                                     "_fivetran_deleted": False, "_fivetran_synced": synced,
                                     "created_at": opened}, "no_account")
        self._quirk("user", {"id": PROSPECT_USER, "email": PROSPECT_EMAIL, "role": "end-user",
                             "organization_id": PROSPECT_ORGANIZATION, "_fivetran_deleted": False,
                             "_fivetran_synced": synced, "name": "Prospect", "active": True}, "no_account")
        prospect = {"id": PROSPECT_TICKET, "organization_id": PROSPECT_ORGANIZATION, "requester_id": PROSPECT_USER,
                    "priority": "normal", "status": "open", "created_at": opened, "_fivetran_deleted": False,
                    "_fivetran_synced": synced, "subject": "Pricing question", "type": "question",
                    "via_channel": "web", "updated_at": synced}
        self._quirk("ticket", prospect, "no_account")
        self._quirk("ticket_comment", self._description(prospect), "ticket_excluded")
        # 4. an internal note a minute before the first response of the first ticket that has one (after it was
        # opened): private, so no response
        responses = {c["ticket_id"]: c for c in self.tables["ticket_comment"]
                     if c["user_id"] == AGENT_ID and c["public"]}
        noted = min((z for z, c in responses.items() if c["created"] - NOTE_BEFORE > tickets[z]["created_at"]),
                    default=None)
        if noted is not None:
            response = responses[noted]
            self._quirk("ticket_comment", {**response, "id": noted * COMMENTS_PER_TICKET + 3, "public": False,
                                           "created": response["created"] - NOTE_BEFORE}, "not_a_response")
        # 5. the second ticket (by id) whose requester is in its own organization has none: the requester's
        # organization gives the account (mapped, not excluded)
        users = {u["id"]: u for u in self.tables["user"]}
        moved = next((t for z, t in sorted(tickets.items()) if z != first["id"] and t["requester_id"] is not None
                      and users[t["requester_id"]]["organization_id"] == t["organization_id"]), None)
        if moved is not None:
            moved["organization_id"] = None
            self.quirks.append({"table": "zendesk.ticket", "key": str(moved["id"]),
                                "reason": "account_from_requester"})
        # 6. an end user deleted at the source, with no ticket
        self._quirk("user", {"id": LEFT_USER, "email": LEFT_EMAIL, "role": "end-user", "organization_id": None,
                             "_fivetran_deleted": True, "_fivetran_synced": synced, "name": "Left", "active": False},
                    "deleted")


# ------------------------------------------------------------------------------------------ files
def write_zendesk(raw_dir: Path, progress: Callable[[str], None] = print) -> dict:
    """Convert the extract at ``raw_dir`` in place to Zendesk's tables (see the module docstring).

    Returns {"kept": {"support.tickets": keys of the contract rows the adapter derives (the twin's ticket ids,
    the Zendesk ids as text)}, "twin": {"support.tickets": those rows, sorted by key}, "manifest": ...}."""
    raw_dir = Path(raw_dir)
    manifest = json.loads((raw_dir / "_manifest.json").read_text())
    clean, dropped = clean_rows(TICKETS, read_table(raw_dir, TICKETS), manifest)
    not_expressed = {TICKETS: dropped}
    expressed: dict[int, Row] = {}
    for key, row in clean.items():
        zid = zendesk_ticket_id(key)
        if zid in expressed:
            raise ValueError(f"tickets {expressed[zid]['ticket_id']!r} and {key!r} have one Zendesk id ({zid})")
        problem = ticket_problem(row)
        if problem is None:
            expressed[zid] = row
        else:
            not_expressed[TICKETS][problem] += 1
    writer = _Writer(expressed, date.fromisoformat(manifest["as_of"]), datetime.fromisoformat(manifest["extracted_at"]))
    writer.build()
    twin = sorted((twin_row(row) for row in expressed.values()), key=lambda r: key_of(TICKETS, r))
    for reason, column in (("csat_on_good_bad_scale", "csat_score"), ("reopened_count_null_as_zero", "reopened_count"),
                           ("is_escalated_null_as_false", "is_escalated")):
        changed = sum(row[column] != expressed[int(row["ticket_id"])][column] for row in twin)
        if changed:
            not_expressed[TICKETS][reason] += changed

    write_vendor(raw_dir, manifest, ZENDESK, writer.tables, EXTRA_COLUMNS, not_expressed, writer.quirks, progress)
    return {"kept": {TICKETS: {key_of(TICKETS, r) for r in twin}}, "twin": {TICKETS: twin}, "manifest": manifest}


def contract_twin(raw_dir: Path, converted: dict) -> None:
    """Rewrite ``raw_dir``'s support tickets (contract format) as the world ``write_zendesk`` expressed: the contract
    rows the adapter derives from its tables (``converted["twin"]``), sorted by ticket id."""
    write_twin(raw_dir, converted["twin"])
