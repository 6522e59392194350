"""The Zendesk writer: a generated extract as Fivetran's Zendesk tables, per the adapter's rules.

One copy of the small extract is converted (``zendesk``), another rewritten as its contract-format twin (``twin``):
the contract rows the adapter derives from the Zendesk tables, which the checks decode the tables against (a
decoder here follows the adapter's rules, written out in the writer's docstring and
``models/staging/support/zendesk/``).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.vendors.extract import clean_rows, read_table
from renewal_warehouse.pipeline.vendors.salesforce_writer import write_salesforce
from renewal_warehouse.pipeline.vendors.stripe_writer import write_stripe
from renewal_warehouse.pipeline.vendors.zendesk import ZENDESK
from renewal_warehouse.pipeline.vendors.zendesk_writer import (
    AGENT_ID,
    EXTRA_COLUMNS,
    REPLACED,
    contract_twin,
    cycle_times,
    ticket_problem,
    ticket_status,
    twin_csat,
    write_zendesk,
    zendesk_ticket_id,
)

TICKETS = "support.tickets"
PLANTED = [
    ("zendesk.organization", "369999999999", "no_account"),
    ("zendesk.ticket", None, "account_from_requester"),
    ("zendesk.ticket", "900000001", "deleted"),
    ("zendesk.ticket", "900000002", "merged"),
    ("zendesk.ticket", "900000003", "no_account"),
    ("zendesk.ticket_comment", None, "not_a_response"),
    ("zendesk.ticket_comment", "90000000101", "ticket_excluded"),
    ("zendesk.ticket_comment", "90000000201", "ticket_excluded"),
    ("zendesk.ticket_comment", "90000000301", "ticket_excluded"),
    ("zendesk.ticket_tag", "900000002:tag:closed_by_merge", "merged"),
    ("zendesk.user", "379999999998", "deleted"),
    ("zendesk.user", "379999999999", "no_account"),
]
REOPENING = ("new", "open", "pending", "hold")
SCORES = {"good": 5, "bad": 1}  # var zendesk_csat_scores


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def zendesk(small_raw, tmp_path_factory) -> dict:
    """The small extract converted: its directory, write_zendesk's result and the Zendesk tables as rows."""
    out = tmp_path_factory.mktemp("zendesk") / "raw"
    shutil.copytree(small_raw, out)
    result = write_zendesk(out, progress=_quiet)
    tables = {t.name: pq.read_table(out / "zendesk" / f"{t.name}.parquet").to_pylist() for t in ZENDESK.tables}
    return {"dir": out, **result, "tables": tables}


@pytest.fixture(scope="module")
def clean(small_raw) -> dict[str, dict]:
    """The clean support tickets of the small extract, by key."""
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    return clean_rows(TICKETS, read_table(small_raw, TICKETS), manifest)[0]


# ------------------------------------------------------------------------------------------ files
def test_every_zendesk_table_has_the_spec_columns_in_order_then_the_extras(zendesk):
    for t in ZENDESK.tables:
        path = zendesk["dir"] / "zendesk" / f"{t.name}.parquet"
        assert path.is_file(), path
        spec = [(c.name, rc.arrow_type(c.type)) for c in t.columns]
        extras = [(name, rc.arrow_type(type_)) for name, type_ in EXTRA_COLUMNS.get(t.name, ())]
        assert [(f.name, f.type) for f in pq.read_schema(path)] == spec + extras, t.name
        assert zendesk["manifest"]["vendor_row_counts"][f"zendesk.{t.name}"] == len(zendesk["tables"][t.name]) > 0
    for name in ("ticket", "ticket_comment", "organization", "user"):
        ids = [r["id"] for r in zendesk["tables"][name]]
        assert ids == sorted(set(ids)), name


def test_the_tickets_file_is_replaced_and_the_manifest_says_zendesk(zendesk):
    support = zendesk["dir"] / "support"
    assert not support.exists() or list(support.iterdir()) == []
    assert [t.qualified for t in rc.tables_of(("support",))] == [TICKETS]  # nothing else of support to keep
    manifest = json.loads((zendesk["dir"] / "_manifest.json").read_text())
    assert manifest == json.loads(json.dumps(zendesk["manifest"], default=str))
    assert manifest["source_formats"] == {"support": "zendesk"}
    assert TICKETS not in manifest["row_counts"]
    for key in ("expected_quarantine", "expected_duplicates", "expected_superseded"):
        assert not [e for e in manifest[key] if e["table"] == TICKETS], key
    quirks = manifest["vendor_quirks"]
    assert len(quirks) == len(PLANTED)
    listed = sorted(quirks, key=lambda q: (q["table"], q["reason"], q["key"]))
    for (table, key, reason), q in zip(sorted(PLANTED, key=lambda p: (p[0], p[2])), listed, strict=True):
        assert (table, reason) == (q["table"], q["reason"]) and key in (None, q["key"]), (table, key, reason, q)


def test_stripe_salesforce_and_zendesk_on_one_extract_keep_all_three(small_raw, tmp_path):
    out = tmp_path / "raw"
    shutil.copytree(small_raw, out)
    write_stripe(out, progress=_quiet)
    before = write_salesforce(out, progress=_quiet)["manifest"]
    manifest = write_zendesk(out, progress=_quiet)["manifest"]
    assert manifest["source_formats"] == {"billing": "stripe", "crm": "salesforce", "support": "zendesk"}
    assert {q["table"].split(".")[0] for q in manifest["vendor_quirks"]} == {"stripe", "salesforce", "zendesk"}
    assert set(before["vendor_row_counts"]) < set(manifest["vendor_row_counts"])
    assert set(manifest["not_expressed"]) == set(before["not_expressed"]) | {TICKETS}
    assert all((out / vendor).is_dir() for vendor in ("stripe", "salesforce", "zendesk"))
    assert json.loads((out / "_manifest.json").read_text())["source_formats"] == manifest["source_formats"]


def test_the_same_extract_gives_the_same_bytes(small_raw, zendesk, tmp_path):
    again = tmp_path / "raw"
    shutil.copytree(small_raw, again)
    write_zendesk(again, progress=_quiet)
    for t in ZENDESK.tables:
        rel = Path("zendesk") / f"{t.name}.parquet"
        assert (again / rel).read_bytes() == (zendesk["dir"] / rel).read_bytes(), rel
    assert (again / "_manifest.json").read_bytes() == (zendesk["dir"] / "_manifest.json").read_bytes()


# ------------------------------------------------------------------------------------------ rules
def test_ticket_ids_statuses_cycles_and_problems():
    assert zendesk_ticket_id("T00000123") == 123
    for bad in ("T00000123-X1", "123", "T", "", None):
        with pytest.raises(ValueError):
            zendesk_ticket_id(bad)
    as_of = datetime(2026, 9, 30)
    assert ticket_status(None, as_of) == "open"
    assert ticket_status(as_of - timedelta(days=4), as_of) == "closed"
    assert ticket_status(as_of - timedelta(days=4) + timedelta(seconds=1), as_of) == "solved"
    assert [twin_csat(s) for s in (None, 1, 2, 3, 4, 5)] == [None, 1, 1, 1, 5, 5]
    start = datetime(2026, 1, 1, 9)
    assert cycle_times(start, start + timedelta(minutes=5), 0) == []
    assert cycle_times(start, start + timedelta(seconds=5), 2) == [start + timedelta(seconds=s) for s in (1, 2, 3, 4)]
    assert cycle_times(start, start + timedelta(seconds=4), 2) is None
    row = {"ticket_id": "T1", "account_id": "A1", "requester_email": None, "priority": "low", "created_at": start,
           "first_response_at": None, "resolved_at": None, "is_escalated": None, "reopened_count": None,
           "csat_score": None, "_loaded_at": start + timedelta(hours=1)}
    assert ticket_problem(row) is None
    assert ticket_problem({**row, "first_response_at": start - timedelta(seconds=1)}) == "first_response_before_created"
    assert ticket_problem({**row, "resolved_at": start - timedelta(seconds=1)}) == "resolved_before_created"
    assert ticket_problem({**row, "resolved_at": start + timedelta(seconds=2), "reopened_count": 1}) == (
        "no_room_for_reopens")
    assert ticket_problem({**row, "reopened_count": 3}) is None  # open: the cycles end before its load


def test_reopen_cycles_are_strictly_increasing_and_before_the_resolution(zendesk):
    tickets = {t["id"]: t for t in zendesk["tables"]["ticket"]}
    twin = {int(r["ticket_id"]): r for r in zendesk["twin"][TICKETS]}
    status: dict[int, list[dict]] = {}
    for h in zendesk["tables"]["ticket_field_history"]:
        if h["field_name"] == "status":
            status.setdefault(h["ticket_id"], []).append(h)
    reopened = 0
    for zid, row in twin.items():
        changes = status[zid]
        times = [h["updated"] for h in changes]
        assert times == sorted(times) and len(set(times)) == len(times), zid
        assert changes[0]["value"] == "new" and changes[0]["updated"] == row["created_at"]
        cycles = changes[1:1 + 2 * row["reopened_count"]]
        assert [h["value"] for h in cycles] == ["solved", "open"] * row["reopened_count"], zid
        end = row["resolved_at"] if row["resolved_at"] is not None else row["_loaded_at"]
        assert all(row["created_at"] < h["updated"] < end and h["updated"].microsecond == 0 for h in cycles), zid
        rest = [(h["value"], h["updated"]) for h in changes[1 + 2 * row["reopened_count"]:]]
        if row["resolved_at"] is None:
            assert rest == [] and tickets[zid]["status"] == "open", zid
        else:
            closing = [("closed", row["resolved_at"] + timedelta(days=4))] if tickets[zid]["status"] == "closed" else []
            assert rest == [("solved", row["resolved_at"])] + closing, zid
        reopened += row["reopened_count"] > 0
    assert reopened > 0


# ------------------------------------------------------------------------------------------ decoding
def _decode(tables: dict[str, list[dict]]) -> tuple[dict[str, dict], dict[str, str]]:
    """The contract tickets as the adapter's rules read the Zendesk tables (by ticket id), and the excluded
    tickets' reasons."""
    accounts = {o["id"]: o["external_id"] for o in tables["organization"]}
    users = {u["id"]: u for u in tables["user"]}
    tickets = {t["id"]: t for t in tables["ticket"]}
    tags: dict[int, set[str]] = {}
    for t in tables["ticket_tag"]:
        tags.setdefault(t["ticket_id"], set()).add(t["tag"].strip().lower())
    changes: dict[tuple[int, str], list[dict]] = {}
    for h in tables["ticket_field_history"]:
        changes.setdefault((h["ticket_id"], h["field_name"]), []).append(h)
    for rows in changes.values():
        rows.sort(key=lambda h: (h["updated"], h["value"] or ""))
    first_response: dict[int, dict] = {}
    for c in sorted(tables["ticket_comment"], key=lambda c: (c["created"], c["id"])):
        ticket = tickets.get(c["ticket_id"])
        role = users.get(c["user_id"], {}).get("role")
        if (ticket and c["public"] and not c["_fivetran_deleted"] and role in ("agent", "admin")
                and c["created"] >= ticket["created_at"]):
            first_response.setdefault(c["ticket_id"], c)
    decoded, excluded = {}, {}
    for zid, t in tickets.items():
        requester = users.get(t["requester_id"], {})
        account = accounts.get(t["organization_id"]) or accounts.get(requester.get("organization_id"))
        own_tags = tags.get(zid, set())
        if t["status"] == "deleted" or t["_fivetran_deleted"]:
            excluded[str(zid)] = "deleted"
            continue
        if "closed_by_merge" in own_tags:
            excluded[str(zid)] = "merged"
            continue
        if account is None:
            excluded[str(zid)] = "no_account"
            continue
        status = changes.get((zid, "status"), [])
        solved = [h["updated"] for h in status if h["value"] == "solved"]
        closed = [h["updated"] for h in status if h["value"] == "closed"]
        resolved = None
        if t["status"] in ("solved", "closed"):
            resolved = max(solved) if solved else min(closed) if closed else None
        reopens = sum(prev["value"] == "solved" and h["value"] in REOPENING
                      for prev, h in zip(status, status[1:], strict=False))
        ratings = [h for h in changes.get((zid, "satisfaction_score"), []) if h["value"] in SCORES]
        latest = min(ratings, key=lambda h: (-h["updated"].timestamp(), h["value"]), default=None)
        response = first_response.get(zid)
        decoded[str(zid)] = {
            "ticket_id": str(zid), "account_id": account, "requester_email": requester.get("email"),
            "priority": t["priority"], "created_at": t["created_at"],
            "first_response_at": None if response is None else response["created"], "resolved_at": resolved,
            "is_escalated": "escalated" in own_tags, "reopened_count": reopens,
            "csat_score": None if latest is None else SCORES[latest["value"]], "_loaded_at": t["_fivetran_synced"]}
    return decoded, excluded


def test_the_tables_decode_to_the_twin(zendesk):
    decoded, excluded = _decode(zendesk["tables"])
    twin = zendesk["twin"][TICKETS]
    assert [r["ticket_id"] for r in twin] == sorted(decoded)
    for row in twin:
        assert decoded[row["ticket_id"]] == row, row["ticket_id"]
    quirks = [q for q in zendesk["manifest"]["vendor_quirks"] if q["table"] == "zendesk.ticket"]
    assert excluded == {q["key"]: q["reason"] for q in quirks if q["reason"] != "account_from_requester"}
    assert sum(r["is_escalated"] for r in twin) > 0 and sum(r["reopened_count"] > 0 for r in twin) > 0
    assert {r["csat_score"] for r in twin} == {None, 1, 5}


def test_each_planted_quirk_is_excluded_for_its_reason_or_maps(zendesk):
    tables = zendesk["tables"]
    _decoded, excluded = _decode(tables)
    tickets = {t["id"]: t for t in tables["ticket"]}
    users = {u["id"]: u for u in tables["user"]}
    organizations = {o["id"]: o for o in tables["organization"]}
    comments = {c["id"]: c for c in tables["ticket_comment"]}
    mapped = [t for t in tickets.values() if str(t["id"]) not in excluded]
    used_orgs = {t["organization_id"] for t in mapped} | {
        users[t["requester_id"]]["organization_id"] for t in mapped if t["organization_id"] is None}
    used_users = {t["requester_id"] for t in mapped} | {AGENT_ID}
    for q in zendesk["manifest"]["vendor_quirks"]:
        table, key, reason = q["table"].split(".")[1], q["key"], q["reason"]
        if table == "ticket" and reason == "account_from_requester":
            t = tickets[int(key)]
            assert key not in excluded and t["organization_id"] is None, q
            account = organizations[users[t["requester_id"]]["organization_id"]]["external_id"]
            (row,) = [r for r in zendesk["twin"][TICKETS] if r["ticket_id"] == key]
            assert row["account_id"] == account is not None, q
        elif table == "ticket":
            assert excluded[key] == reason, q
        elif table == "ticket_comment":
            c = comments[int(key)]
            if reason == "ticket_excluded":
                assert str(c["ticket_id"]) in excluded, q
            else:
                assert reason == "not_a_response" and not c["public"] and c["user_id"] == AGENT_ID, q
                assert str(c["ticket_id"]) not in excluded, q
        elif table == "ticket_tag":
            ticket_id, _tag, tag = key.split(":")
            assert reason == "merged" and tag == "closed_by_merge", q
            assert {"ticket_id": int(ticket_id), "tag": tag} in [
                {"ticket_id": t["ticket_id"], "tag": t["tag"]} for t in tables["ticket_tag"]], q
        elif table == "organization":
            assert reason == "no_account" and int(key) not in used_orgs, q
            assert organizations[int(key)]["external_id"] is None, q
        else:
            u = users[int(key)]
            assert int(key) not in used_users, q
            if reason == "deleted":
                assert u["_fivetran_deleted"] and not any(t["requester_id"] == u["id"] for t in tickets.values()), q
            else:
                assert reason == "no_account" and not u["_fivetran_deleted"], q
                assert {excluded[str(t["id"])] for t in tickets.values() if t["requester_id"] == u["id"]} == {
                    "no_account"}, q
    assert all(not u["_fivetran_deleted"] for u in users.values() if u["id"] in used_users)


def test_the_twin_keeps_the_clean_tickets_with_csat_on_the_good_bad_scale(zendesk, clean):
    twin = zendesk["twin"][TICKETS]
    said = zendesk["manifest"]["not_expressed"][TICKETS]
    by_zendesk_id = {zendesk_ticket_id(k): r for k, r in clean.items()}
    left_out = sum(n for r, n in said.items() if r in {"no_account", "priority_not_lowercase",
                                                       "first_response_before_created", "resolved_before_created",
                                                       "no_room_for_reopens"})
    assert len(twin) == len(clean) - left_out
    changed = Counter()
    for row in twin:
        original = by_zendesk_id[int(row["ticket_id"])]
        assert {**row, "ticket_id": None, "csat_score": None} == {**original, "ticket_id": None, "csat_score": None}
        changed["csat_on_good_bad_scale"] += row["csat_score"] != original["csat_score"]
    assert changed["csat_on_good_bad_scale"] == said.get("csat_on_good_bad_scale", 0) > 0
    assert zendesk["kept"][TICKETS] == {r["ticket_id"] for r in twin}


def test_not_expressed_counts_the_planted_ticket_rows(small_raw, zendesk):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    expected = Counter(e["reason"] for e in manifest["expected_quarantine"] + manifest["expected_duplicates"]
                       + manifest["expected_superseded"] if e["table"] == TICKETS)
    said = zendesk["manifest"]["not_expressed"]
    assert set(said) == set(REPLACED)
    assert {r: n for r, n in said[TICKETS].items() if r in expected} == dict(expected)


def test_contract_twin_writes_the_twin_rows(small_raw, zendesk, tmp_path):
    out = tmp_path / "raw"
    shutil.copytree(small_raw, out)
    contract_twin(out, zendesk)
    rows = read_table(out, TICKETS)
    assert rows == sorted(zendesk["twin"][TICKETS], key=lambda r: r["ticket_id"])
    assert {r["ticket_id"] for r in rows} == zendesk["kept"][TICKETS]
    assert pq.read_schema(out / "support" / "tickets.parquet").equals(rc.arrow_schema(rc.table(TICKETS)))
    assert not (out / "zendesk").exists()
