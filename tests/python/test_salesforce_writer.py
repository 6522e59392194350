"""The Salesforce writer: a generated extract as Fivetran's Salesforce tables, per the adapter's rules.

One copy of the small extract is converted (``salesforce``), another rewritten as its contract-format twin
(``twin``): the contract rows the adapter derives from the Salesforce tables, which the checks decode the tables
against (a decoder here follows the adapter's rules, written out in the writer's docstring).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.vendors.extract import clean_rows, read_table
from renewal_warehouse.pipeline.vendors.salesforce import CUSTOM_FIELDS, SALESFORCE
from renewal_warehouse.pipeline.vendors.salesforce_writer import (
    EXTRA_COLUMNS,
    REPLACED,
    SEED_FIELDS,
    account_versions,
    contract_twin,
    contract_values,
    derive_ownership,
    salesforce_values,
    stage_changes,
    write_salesforce,
)
from renewal_warehouse.pipeline.vendors.stripe_writer import write_stripe

PLANTED = [
    ("salesforce.account", "001_DELETED_0001", "deleted_unreferenced"),
    ("salesforce.account", "001_MERGED_0001", "merged"),
    ("salesforce.account", None, "superseded_version"),
    ("salesforce.opportunity", "006_DELETED_0001", "deleted_unreferenced"),
    ("salesforce.opportunity", "006_NEWBIZ_0001", "not_renewal"),
    ("salesforce.opportunity", None, "superseded_version"),
    ("salesforce.opportunity_history", "00H_AMOUNT_0001", "no_stage_change"),
    ("salesforce.opportunity_history", "00H_DELETED_0001", "deleted"),
    ("salesforce.opportunity_history", "00H_NEWBIZ_0001", "not_renewal"),
    ("salesforce.opportunity_history", "00H_NEWBIZ_0002", "not_renewal"),
    ("salesforce.record_type", "012_NEW_BUSINESS", "not_renewal"),
    ("salesforce.user", "005_INTEGRATION_0001", "not_standard_user"),
]
KEPT_CRM = ("activities", "forecast_submissions", "renewal_targets", "sponsor_changes", "value_reviews")


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def salesforce(small_raw, tmp_path_factory) -> dict:
    """The small extract converted: its directory, write_salesforce's result and the Salesforce tables as rows."""
    out = tmp_path_factory.mktemp("salesforce") / "raw"
    shutil.copytree(small_raw, out)
    result = write_salesforce(out, progress=_quiet)
    tables = {t.name: pq.read_table(out / "salesforce" / f"{t.name}.parquet").to_pylist() for t in SALESFORCE.tables}
    return {"dir": out, **result, "tables": tables}


@pytest.fixture(scope="module")
def clean(small_raw) -> dict[str, dict[str, dict]]:
    """The clean rows of the five replaced tables of the small extract, by key."""
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    return {q: clean_rows(q, read_table(small_raw, q), manifest)[0] for q in REPLACED}


@pytest.fixture(scope="module")
def twin(small_raw, salesforce, tmp_path_factory) -> dict:
    """The contract-format twin of the converted world as contract_twin writes it: its directory, its CRM rows
    by table."""
    out = tmp_path_factory.mktemp("sf_twin") / "raw"
    shutil.copytree(small_raw, out)
    contract_twin(out, salesforce)
    return {"dir": out, "rows": {q: read_table(out, q) for q in REPLACED}}


# ------------------------------------------------------------------------------------------ files
def test_every_salesforce_table_has_the_spec_columns_in_order_then_the_extras(salesforce):
    for t in SALESFORCE.tables:
        path = salesforce["dir"] / "salesforce" / f"{t.name}.parquet"
        assert path.is_file(), path
        schema = pq.read_schema(path)
        spec = [(c.name, rc.arrow_type(c.type)) for c in t.columns]
        extras = [(name, rc.arrow_type(type_)) for name, type_ in EXTRA_COLUMNS.get(t.name, ())]
        assert [(f.name, f.type) for f in schema] == spec + extras, t.name
        assert salesforce["manifest"]["vendor_row_counts"][f"salesforce.{t.name}"] == len(
            salesforce["tables"][t.name]) > 0
        rows = salesforce["tables"][t.name]
        assert rows == sorted(rows, key=lambda r: (r["id"], r.get("_fivetran_start") or datetime.min)), t.name


def test_the_five_crm_files_are_replaced_and_the_others_kept(salesforce):
    crm = salesforce["dir"] / "crm"
    assert sorted(p.stem for p in crm.iterdir()) == list(KEPT_CRM)
    manifest = json.loads((salesforce["dir"] / "_manifest.json").read_text())
    assert manifest == json.loads(json.dumps(salesforce["manifest"], default=str))
    assert manifest["source_formats"] == {"crm": "salesforce"}
    assert not [q for q in manifest["row_counts"] if q in REPLACED]
    assert all(f"crm.{name}" in manifest["row_counts"] for name in KEPT_CRM)
    for key in ("expected_quarantine", "expected_duplicates", "expected_superseded"):
        assert not [e for e in manifest[key] if e["table"] in REPLACED], key


def test_stripe_then_salesforce_keeps_both_vendors(small_raw, tmp_path):
    out = tmp_path / "raw"
    shutil.copytree(small_raw, out)
    stripe = write_stripe(out, progress=_quiet)["manifest"]
    manifest = write_salesforce(out, progress=_quiet)["manifest"]
    assert manifest["source_formats"] == {"billing": "stripe", "crm": "salesforce"}
    assert {q["table"].split(".")[0] for q in manifest["vendor_quirks"]} == {"stripe", "salesforce"}
    assert set(stripe["vendor_row_counts"]) < set(manifest["vendor_row_counts"])
    assert set(stripe["not_expressed"]) < set(manifest["not_expressed"])
    assert (out / "stripe").is_dir() and (out / "salesforce").is_dir()
    assert json.loads((out / "_manifest.json").read_text())["source_formats"] == manifest["source_formats"]


def test_the_same_extract_gives_the_same_bytes(small_raw, salesforce, tmp_path):
    again = tmp_path / "raw"
    shutil.copytree(small_raw, again)
    write_salesforce(again, progress=_quiet)
    for t in SALESFORCE.tables:
        rel = Path("salesforce") / f"{t.name}.parquet"
        assert (again / rel).read_bytes() == (salesforce["dir"] / rel).read_bytes(), rel
    assert (again / "_manifest.json").read_bytes() == (salesforce["dir"] / "_manifest.json").read_bytes()


# ------------------------------------------------------------------------------------------ manifest
def test_each_planted_quirk_is_present_and_listed(salesforce):
    quirks = salesforce["manifest"]["vendor_quirks"]
    assert len(quirks) == len(PLANTED)
    listed = sorted((q["table"], q["key"], q["reason"]) for q in quirks)
    for (table, key, reason), (l_table, l_key, l_reason) in zip(sorted(PLANTED, key=lambda p: (p[0], p[2])),
                                                                sorted(listed, key=lambda p: (p[0], p[2])),
                                                                strict=True):
        assert (table, reason) == (l_table, l_reason) and (key is None or key == l_key), (table, key, reason)
    for table, key, _reason in listed:
        rows = salesforce["tables"][table.split(".")[1]]
        assert any(f"{r['id']}@{r['_fivetran_start']}" == key if "@" in key else r["id"] == key for r in rows), key
    tables = {name: {r["id"]: r for r in rows} for name, rows in salesforce["tables"].items()}
    assert tables["account"]["001_DELETED_0001"]["is_deleted"]
    merged = tables["account"]["001_MERGED_0001"]
    assert merged["is_deleted"] and merged["master_record_id"] in tables["account"]
    first_opp = min(salesforce["twin"]["crm.renewal_opportunities"], key=lambda o: o["opportunity_id"])
    assert merged["master_record_id"] == first_opp["account_id"]
    assert {o["account_id"] for o in salesforce["tables"]["opportunity"]
            if o["id"] == first_opp["opportunity_id"]} == {"001_MERGED_0001"}
    assert tables["user"]["005_INTEGRATION_0001"]["user_type"] == "AutomatedProcess"
    owners = {o["owner_id"] for o in salesforce["tables"]["opportunity"]} | {
        a["owner_id"] for a in salesforce["tables"]["account"]}
    assert "005_INTEGRATION_0001" not in owners


def test_not_expressed_counts_the_planted_crm_rows(small_raw, salesforce):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    expected = {q: Counter() for q in REPLACED}
    for entry in manifest["expected_quarantine"] + manifest["expected_duplicates"] + manifest["expected_superseded"]:
        if entry["table"] in expected:
            expected[entry["table"]][entry["reason"]] += 1
    said = salesforce["manifest"]["not_expressed"]
    assert set(said) == set(REPLACED)
    for q in REPLACED:
        derived = {r: n for r, n in said[q].items() if r not in expected[q]}
        assert {r: n for r, n in said[q].items() if r in expected[q]} == dict(expected[q]), q
        assert set(derived) <= {"proposal_or_signed_date_derived", "no_stage_change", "overlapping_periods",
                                "same_owner_periods_merged", "no_account", "not_reproduced"}, (q, derived)


# ------------------------------------------------------------------------------------------ values
def test_the_seed_maps_every_contract_value_of_the_mapped_fields_and_back():
    labels, back = salesforce_values(), contract_values()
    assert set(labels) == set(SEED_FIELDS)
    enums = {"industry": rc.INDUSTRIES, "billing_country": rc.REGIONS, "account_source": rc.ACQUISITION_SOURCES,
             "stage_name": rc.OPP_STAGES, "forecast_category": rc.FORECAST_CATEGORIES, "user_role": rc.USER_ROLES}
    for field, values in enums.items():
        for value in values:
            assert value in labels[field], (field, value)
            assert back[field][labels[field][value]] == value, (field, value)
    assert labels["forecast_category"] == {"pipeline": "Pipeline", "best_case": "BestCase", "commit": "Forecast",
                                           "closed": "Closed", "omitted": "Omitted"}


# ------------------------------------------------------------------------------------------ ownership
def _ownership_row(oid: str, owner: str, start: date, end: date | None) -> dict:
    return {"ownership_id": oid, "account_id": "A1", "owner_user_id": owner, "valid_from": start, "valid_to": end,
            "_loaded_at": datetime(2026, 1, 1, 1)}


ACCOUNT = {"account_id": "A1", "account_name": "Acme", "parent_account_id": None, "industry": "software",
           "region": "emea", "employee_count": 50, "acquisition_source": "partner",
           "created_at": datetime(2024, 1, 1, 8), "_loaded_at": datetime(2026, 1, 2, 3)}


def test_account_versions_invert_to_periods_with_gaps_and_an_end():
    periods = [_ownership_row("o1", "U1", date(2024, 1, 1), date(2024, 3, 31)),
               _ownership_row("o2", "U2", date(2024, 4, 1), date(2024, 6, 30)),
               _ownership_row("o3", "U1", date(2024, 8, 1), date(2025, 1, 31))]
    versions = account_versions(ACCOUNT, periods, salesforce_values())
    assert [(v["owner_id"], v["_fivetran_start"], v["_fivetran_active"]) for v in versions] == [
        ("U1", datetime(2024, 1, 1, 9), False), ("U2", datetime(2024, 4, 1, 9), False),
        (None, datetime(2024, 7, 1, 9), False), ("U1", datetime(2024, 8, 1, 9), False),
        (None, datetime(2025, 2, 1, 9), True)]
    assert versions[0]["_fivetran_end"] == datetime(2024, 4, 1, 8, 59, 59)
    assert versions[-1]["_fivetran_end"] == datetime(9999, 12, 31, 23, 59, 59)
    assert versions[-1]["_fivetran_synced"] == ACCOUNT["_loaded_at"]
    assert {(v["industry"], v["billing_country"], v["account_source"]) for v in versions} == {
        ("Technology", "United Kingdom", "Partner Referral")}
    derived = derive_ownership(versions)
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derived] == [
        (p["owner_user_id"], p["valid_from"], p["valid_to"]) for p in periods]
    assert [r["ownership_id"] for r in derived] == ["A1~20240101", "A1~20240401", "A1~20240801"]
    (only,) = account_versions(ACCOUNT, [], salesforce_values())
    assert only["owner_id"] is None and only["_fivetran_start"] == ACCOUNT["created_at"] and only["_fivetran_active"]
    assert derive_ownership([only]) == []


def test_derive_ownership_takes_the_later_of_two_run_starts_on_one_date():
    base = {"id": "A1", "_fivetran_synced": datetime(2026, 1, 1), "_fivetran_end": None}
    versions = [{**base, "owner_id": "U1", "_fivetran_start": datetime(2024, 1, 1, 9), "_fivetran_active": False},
                {**base, "owner_id": "U1", "_fivetran_start": datetime(2024, 2, 1, 9), "_fivetran_active": False},
                {**base, "owner_id": "U2", "_fivetran_start": datetime(2024, 3, 1, 9), "_fivetran_active": False},
                {**base, "owner_id": "U3", "_fivetran_start": datetime(2024, 3, 1, 15), "_fivetran_active": True}]
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derive_ownership(versions)] == [
        ("U1", date(2024, 1, 1), date(2024, 2, 29)), ("U3", date(2024, 3, 1), None)]


def test_derive_ownership_starts_no_period_when_a_day_s_changes_come_back_to_the_owner():
    """U1 to U2 and back to U1 on 1 March: the day's later change counts and changes nothing, so U1's period runs
    on until U3's (as base_salesforce__account_versions derives it)."""
    base = {"id": "A1", "_fivetran_synced": datetime(2026, 1, 1), "_fivetran_end": None}
    versions = [{**base, "owner_id": "U1", "_fivetran_start": datetime(2024, 1, 1, 9), "_fivetran_active": False},
                {**base, "owner_id": "U2", "_fivetran_start": datetime(2024, 3, 1, 9), "_fivetran_active": False},
                {**base, "owner_id": "U1", "_fivetran_start": datetime(2024, 3, 1, 15), "_fivetran_active": False},
                {**base, "owner_id": "U3", "_fivetran_start": datetime(2024, 5, 1, 9), "_fivetran_active": True}]
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derive_ownership(versions)] == [
        ("U1", date(2024, 1, 1), date(2024, 4, 30)), ("U3", date(2024, 5, 1), None)]


def test_derive_ownership_starts_the_first_period_at_the_account_s_creation():
    """History mode turned on in June 2024 for an account created in January 2023: its first owner has owned it
    since its creation (as base_salesforce__account_versions derives it); an account owned by nobody before its first
    period gets an ownerless first version, so its first period still starts where the world says."""
    base = {"id": "A1", "_fivetran_synced": datetime(2026, 1, 1), "_fivetran_end": None,
            "created_date": datetime(2023, 1, 1, 8)}
    versions = [{**base, "owner_id": "U1", "_fivetran_start": datetime(2024, 6, 1, 9), "_fivetran_active": False},
                {**base, "owner_id": "U2", "_fivetran_start": datetime(2024, 9, 1, 9), "_fivetran_active": True}]
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derive_ownership(versions)] == [
        ("U1", date(2023, 1, 1), date(2024, 8, 31)), ("U2", date(2024, 9, 1), None)]
    account = {**ACCOUNT, "created_at": datetime(2023, 1, 1, 8)}
    periods = [{"account_id": account["account_id"], "owner_user_id": "U1", "valid_from": date(2024, 1, 1),
                "valid_to": None, "_loaded_at": account["_loaded_at"], "ownership_id": "x"}]
    written = account_versions(account, periods, salesforce_values())
    assert [(v["owner_id"], v["_fivetran_start"]) for v in written][:1] == [(None, datetime(2023, 1, 1, 8))]
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derive_ownership(written)] == [
        ("U1", date(2024, 1, 1), None)]


def test_each_accounts_versions_invert_to_its_ownership(salesforce, clean):
    """The derived periods are the clean ones (no overlaps in the demo), their _loaded_at the synced time of the
    run's first version."""
    original = sorted((r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"])
                      for r in clean["crm.account_ownership"].values())
    derived = salesforce["twin"]["crm.account_ownership"]
    assert sorted((r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derived) == original
    assert "overlapping_periods" not in salesforce["manifest"]["not_expressed"]["crm.account_ownership"]
    versions: dict[str, list[dict]] = {}
    for v in salesforce["tables"]["account"]:
        versions.setdefault(v["id"], []).append(v)
    synced = {(v["id"], v["_fivetran_start"].date()): v["_fivetran_synced"] for vs in versions.values() for v in vs}
    for r in derived:
        assert r["ownership_id"] == f"{r['account_id']}~{r['valid_from']:%Y%m%d}"
        assert r["_loaded_at"] == synced[(r["account_id"], r["valid_from"])]
    for account_id, vs in versions.items():
        assert sum(v["_fivetran_active"] for v in vs) == 1, account_id
        vs.sort(key=lambda v: v["_fivetran_start"])
        for v, nxt in zip(vs, vs[1:], strict=False):
            assert v["_fivetran_end"] == nxt["_fivetran_start"] - timedelta(seconds=1), account_id


# ------------------------------------------------------------------------------------------ stage history
def test_the_twins_stage_history_has_no_repeated_stage(salesforce):
    history = salesforce["twin"]["crm.opportunity_stage_history"]
    kept, repeated = stage_changes(history)
    assert history and repeated == [] and len(kept) == len(history)


def test_stage_changes_drop_a_row_entering_the_stage_it_is_in():
    rows = [{"stage_history_id": f"S{i}", "opportunity_id": "O1", "stage": stage,
             "entered_at": datetime(2026, 1, i)} for i, stage in enumerate(
        ("not_engaged", "not_engaged", "proposal_sent", "proposal_sent", "closed_won"), start=1)]
    kept, dropped = stage_changes(rows)
    assert [r["stage_history_id"] for r in kept] == ["S1", "S3", "S5"]
    assert [r["stage_history_id"] for r in dropped] == ["S2", "S4"]


# ------------------------------------------------------------------------------------------ decoding
def _decode(tables: dict[str, list[dict]]) -> dict[str, dict[str, dict]]:
    """The contract rows of accounts, users, opportunities and stage history as the adapter's rules read the
    Salesforce tables (ownership: derive_ownership, checked above)."""
    back = contract_values()
    current = {}
    for a in tables["account"]:
        if a["_fivetran_active"]:
            current[a["id"]] = a
    accounts = {i: {"account_id": i, "account_name": a["name"], "parent_account_id": a["parent_id"],
                    "industry": back["industry"].get(a["industry"]),
                    "region": back["billing_country"].get(a["billing_country"]),
                    "employee_count": a["number_of_employees"],
                    "acquisition_source": back["account_source"].get(a["account_source"]),
                    "created_at": a["created_date"]} for i, a in current.items() if not a["is_deleted"]}
    survivor = {i: a["master_record_id"] for i, a in current.items() if a["master_record_id"]}
    roles = {r["id"]: back["user_role"][r["developer_name"]] for r in tables["user_role"]}
    users = {u["id"]: {"user_id": u["id"], "full_name": u["name"], "email": u["email"],
                       "role": roles.get(u["user_role_id"]), "team": u["department"],
                       "hired_date": u["hire_date_c"], "is_active": u["is_active"], "_loaded_at": u["_fivetran_synced"]}
             for u in tables["user"] if u["user_type"] == "Standard"}
    record_types = {r["id"]: r["developer_name"] for r in tables["record_type"]}
    opportunities = {}
    for o in tables["opportunity"]:
        renewal = o["type"] == "Renewal" or record_types.get(o["record_type_id"]) == "Renewal"
        if not o["_fivetran_active"] or o["is_deleted"] or not renewal:
            continue
        row = {"opportunity_id": o["id"], "account_id": survivor.get(o["account_id"], o["account_id"]),
               "owner_user_id": o["owner_id"], "stage": back["stage_name"].get(o["stage_name"]),
               "forecast_category": back["forecast_category"].get(o["forecast_category"]),
               "probability_percent": o["probability"], "currency": o["currency_iso_code"],
               "renewal_arr_amount": o["amount"], "created_date": o["created_date"].date(),
               "close_date": o["close_date"], "updated_at": o["system_modstamp"], "_loaded_at": o["_fivetran_synced"]}
        for column, field in CUSTOM_FIELDS.items():
            if field in o:
                row[column] = o[field]
        opportunities[o["id"]] = row
    history = [h for h in tables["opportunity_history"] if h["opportunity_id"] in opportunities
               and not h["is_deleted"]]
    stages = [{"stage_history_id": h["id"], "opportunity_id": h["opportunity_id"],
               "stage": back["stage_name"].get(h["stage_name"]), "entered_at": h["created_date"],
               "_loaded_at": h["_fivetran_synced"]} for h in history]
    kept, _same = stage_changes(stages)
    return {"crm.accounts": accounts, "crm.users": users, "crm.renewal_opportunities": opportunities,
            "crm.opportunity_stage_history": {r["stage_history_id"]: r for r in kept}}


def _as_decoded(row: dict) -> dict:
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}


def test_the_tables_decode_to_the_twin(salesforce):
    decoded = _decode(salesforce["tables"])
    twin = salesforce["twin"]
    key = {q: rc.table(q).primary_key[0] for q in REPLACED}
    for q in ("crm.accounts", "crm.users", "crm.renewal_opportunities", "crm.opportunity_stage_history"):
        assert sorted(decoded[q]) == [r[key[q]] for r in twin[q]], q
        for row in twin[q]:
            got = decoded[q][row[key[q]]]
            assert {k: v for k, v in _as_decoded(row).items() if k in got} == got, (q, row[key[q]])
    for o in twin["crm.renewal_opportunities"]:
        entries = [h for h in twin["crm.opportunity_stage_history"] if h["opportunity_id"] == o["opportunity_id"]]
        first = {}
        for h in sorted(entries, key=lambda h: (h["entered_at"], h["stage_history_id"])):
            first.setdefault(h["stage"], h["entered_at"].date())
        assert (o["proposal_sent_date"], o["signed_date"]) == (first.get("proposal_sent"), first.get("closed_won"))


def test_the_twin_keeps_the_clean_accounts_users_and_stage_changes(salesforce, clean):
    twin = salesforce["twin"]
    loaded = {r["account_id"]: r["_loaded_at"] for r in twin["crm.accounts"]}
    assert [{**r, "_loaded_at": None} for r in twin["crm.accounts"]] == [
        {**clean["crm.accounts"][k], "_loaded_at": None} for k in sorted(clean["crm.accounts"])]
    # _loaded_at: the current version's sync, never before the account's own load
    assert all(loaded[k] >= clean["crm.accounts"][k]["_loaded_at"] for k in loaded)
    assert twin["crm.users"] == [clean["crm.users"][k] for k in sorted(clean["crm.users"])]
    said = salesforce["manifest"]["not_expressed"]
    dropped = said["crm.opportunity_stage_history"].get("no_stage_change", 0)
    assert len(twin["crm.opportunity_stage_history"]) == len(clean["crm.opportunity_stage_history"]) - dropped
    changed = sum(o != clean["crm.renewal_opportunities"][o["opportunity_id"]]
                  for o in twin["crm.renewal_opportunities"])
    assert changed == said["crm.renewal_opportunities"].get("proposal_or_signed_date_derived", 0)


def test_contract_twin_writes_the_twin_rows(salesforce, twin):
    for q in REPLACED:
        t = rc.table(q)
        key = t.primary_key[0]
        assert twin["rows"][q] == sorted(salesforce["twin"][q], key=lambda r: r[key]), q
        assert {r[key] for r in twin["rows"][q]} == salesforce["kept"][q], q
        assert pq.read_schema(twin["dir"] / t.system / f"{t.name}.parquet").equals(rc.arrow_schema(t)), q
    assert not (twin["dir"] / "salesforce").exists()
