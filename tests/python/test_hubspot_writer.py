"""The HubSpot writer: a generated extract as Fivetran's HubSpot tables, per the adapter's rules.

One copy of the small extract is converted (``hubspot``), another rewritten as its contract-format twin (``twin``):
the contract rows the adapter derives from the HubSpot tables. A decoder here, written from the adapter's rules
(the writer's docstring) and not from the writer's helpers, reads the five contract tables back from the HubSpot
tables and must find the twin.
"""

from __future__ import annotations

import csv
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
from renewal_warehouse.pipeline.vendors.hubspot import CUSTOM_FIELDS, HUBSPOT
from renewal_warehouse.pipeline.vendors.hubspot_writer import (
    EXTRA_COLUMNS,
    REPLACED,
    SEED_FIELDS,
    SORT_KEYS,
    contract_twin,
    hubspot_values,
    owner_history,
    to_probability,
    write_hubspot,
)
from renewal_warehouse.pipeline.vendors.salesforce_writer import stage_changes

ROOT = Path(__file__).resolve().parents[2]
# (table, key (None: depends on the data), reason)
PLANTED = [
    ("hubspot.company", "DELETED_COMPANY_0001", "deleted_unreferenced"),
    ("hubspot.company_property_history", None, "not_owner_property"),
    ("hubspot.deal", "DELETED_DEAL_0001", "deleted_unreferenced"),
    ("hubspot.deal", "MERGED_DEAL_0001", "merged"),
    ("hubspot.deal", "NEWBIZ_DEAL_0001", "not_renewal"),
    ("hubspot.deal_company", None, "deleted_unreferenced"),
    ("hubspot.deal_company", None, "merged"),
    ("hubspot.deal_company", None, "not_primary_association"),
    ("hubspot.deal_company", None, "not_renewal"),
    ("hubspot.deal_stage", "DELETED_DEAL_0001~1", "deleted_unreferenced"),
    ("hubspot.deal_stage", "MERGED_DEAL_0001~1", "merged"),
    ("hubspot.deal_stage", None, "no_stage_change"),
    ("hubspot.deal_stage", "NEWBIZ_DEAL_0001~1", "not_renewal"),
    ("hubspot.deal_stage", "NEWBIZ_DEAL_0001~2", "not_renewal"),
    ("hubspot.owner", "QUEUE_0001", "not_person"),
]
KEPT_CRM = ("activities", "forecast_submissions", "renewal_targets", "sponsor_changes", "value_reviews")
STAGE_PROBABILITY = {"not_engaged": 0.1, "early_discussion": 0.2, "proposal_sent": 0.4, "negotiation": 0.6,
                     "closed_won": 1.0, "closed_lost": 0.0}


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def hubspot(small_raw, tmp_path_factory) -> dict:
    """The small extract converted: its directory, write_hubspot's result and the HubSpot tables as rows."""
    out = tmp_path_factory.mktemp("hubspot") / "raw"
    shutil.copytree(small_raw, out)
    result = write_hubspot(out, progress=_quiet)
    tables = {t.name: pq.read_table(out / "hubspot" / f"{t.name}.parquet").to_pylist() for t in HUBSPOT.tables}
    return {"dir": out, **result, "tables": tables}


@pytest.fixture(scope="module")
def clean(small_raw) -> dict[str, dict[str, dict]]:
    """The clean rows of the five replaced tables of the small extract, by key."""
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    return {q: clean_rows(q, read_table(small_raw, q), manifest)[0] for q in REPLACED}


@pytest.fixture(scope="module")
def twin(small_raw, hubspot, tmp_path_factory) -> dict:
    """The contract-format twin as contract_twin writes it: its directory, its CRM rows by table."""
    out = tmp_path_factory.mktemp("hs_twin") / "raw"
    shutil.copytree(small_raw, out)
    contract_twin(out, hubspot)
    return {"dir": out, "rows": {q: read_table(out, q) for q in REPLACED}}


# ------------------------------------------------------------------------------------------ files
def test_every_hubspot_table_has_the_spec_columns_in_order_then_the_extras(hubspot):
    for t in HUBSPOT.tables:
        path = hubspot["dir"] / "hubspot" / f"{t.name}.parquet"
        assert path.is_file(), path
        schema = pq.read_schema(path)
        spec = [(c.name, rc.arrow_type(c.type)) for c in t.columns]
        extras = [(name, rc.arrow_type(type_)) for name, type_ in EXTRA_COLUMNS.get(t.name, ())]
        assert [(f.name, f.type) for f in schema] == spec + extras, t.name
        rows = hubspot["tables"][t.name]
        assert hubspot["manifest"]["vendor_row_counts"][f"hubspot.{t.name}"] == len(rows) > 0, t.name
        assert rows == sorted(rows, key=SORT_KEYS[t.name]), t.name
    assert set(EXTRA_COLUMNS) <= {t.name for t in HUBSPOT.tables}


def test_every_id_is_text(hubspot):
    for t in HUBSPOT.tables:
        for c in t.columns:
            if c.name in ("id", "owner_id", "deal_id", "company_id", "team_id", "merged_deal_id") or c.name.endswith(
                    "_company_id"):
                assert c.type == "string", (t.name, c.name)
                assert all(isinstance(r[c.name], str | None) for r in hubspot["tables"][t.name]), (t.name, c.name)


def test_the_five_crm_files_are_replaced_and_the_others_kept(small_raw, hubspot):
    crm = hubspot["dir"] / "crm"
    assert sorted(p.stem for p in crm.iterdir()) == list(KEPT_CRM)
    for name in KEPT_CRM:
        assert (crm / f"{name}.parquet").read_bytes() == (small_raw / "crm" / f"{name}.parquet").read_bytes(), name
    manifest = json.loads((hubspot["dir"] / "_manifest.json").read_text())
    assert manifest == json.loads(json.dumps(hubspot["manifest"], default=str))
    assert manifest["source_formats"] == {"crm": "hubspot"}
    assert not [q for q in manifest["row_counts"] if q in REPLACED]
    assert all(f"crm.{name}" in manifest["row_counts"] for name in KEPT_CRM)
    for key in ("expected_quarantine", "expected_duplicates", "expected_superseded"):
        assert not [e for e in manifest[key] if e["table"] in REPLACED], key


def test_the_same_extract_gives_the_same_bytes(small_raw, hubspot, tmp_path):
    again = tmp_path / "raw"
    shutil.copytree(small_raw, again)
    write_hubspot(again, progress=_quiet)
    for t in HUBSPOT.tables:
        rel = Path("hubspot") / f"{t.name}.parquet"
        assert (again / rel).read_bytes() == (hubspot["dir"] / rel).read_bytes(), rel
    assert (again / "_manifest.json").read_bytes() == (hubspot["dir"] / "_manifest.json").read_bytes()


# ------------------------------------------------------------------------------------------ keys
def _stage_numbers(rows: list[dict]) -> list[tuple[str, dict]]:
    """(key, row) of deal_stage rows as the adapter keys them: <deal_id>~<n>, n from 1 by (date_entered,
    _fivetran_start, value)."""
    by_deal: dict[str, list[dict]] = {}
    for r in rows:
        by_deal.setdefault(r["deal_id"], []).append(r)
    out = []
    for deal_id, own in by_deal.items():
        own = sorted(own, key=lambda r: (r["date_entered"], r["_fivetran_start"], r["value"] or ""))
        out += [(f"{deal_id}~{n}", r) for n, r in enumerate(own, start=1)]
    return out


def _keyed(tables: dict[str, list[dict]]) -> dict[str, dict[str, dict]]:
    """Every table's rows by their key in the adapter's ledger."""
    keys = {"company": lambda r: r["id"], "owner": lambda r: r["owner_id"], "deal": lambda r: r["deal_id"],
            "team": lambda r: r["id"], "deal_pipeline": lambda r: r["pipeline_id"],
            "deal_pipeline_stage": lambda r: r["stage_id"],
            "company_property_history": lambda r: f"{r['company_id']}~{r['name']}~{r['timestamp']}",
            "deal_company": lambda r: f"{r['deal_id']}~{r['company_id']}",
            "owner_team": lambda r: f"{r['owner_id']}~{r['team_id']}",
            "merged_deal": lambda r: r["merged_deal_id"]}
    out = {name: {keys[name](r): r for r in rows} for name, rows in tables.items() if name != "deal_stage"}
    out["deal_stage"] = dict(_stage_numbers(tables["deal_stage"]))
    return out


def test_every_row_has_its_own_key(hubspot):
    keyed = _keyed(hubspot["tables"])
    for name, rows in hubspot["tables"].items():
        assert len(keyed[name]) == len(rows), name


# ------------------------------------------------------------------------------------------ manifest
def test_each_planted_quirk_is_present_and_listed(hubspot):
    quirks = hubspot["manifest"]["vendor_quirks"]
    listed = sorted((q["table"], q["key"], q["reason"]) for q in quirks)
    assert len(listed) == len(PLANTED)
    for (table, key, reason), (l_table, l_key, l_reason) in zip(sorted(PLANTED, key=lambda p: (p[0], p[2], p[1] or "")),
                                                                sorted(listed, key=lambda p: (p[0], p[2], p[1])),
                                                                strict=True):
        assert (table, reason) == (l_table, l_reason) and (key is None or key == l_key), (table, key, reason)
    keyed = _keyed(hubspot["tables"])
    for table, key, _reason in listed:
        assert key in keyed[table.split(".")[1]], (table, key)
    tables, twin = hubspot["tables"], hubspot["twin"]
    first = min(o["opportunity_id"] for o in twin["crm.renewal_opportunities"])
    first_opp = next(o for o in twin["crm.renewal_opportunities"] if o["opportunity_id"] == first)
    # 1. merged: a copy of the lowest renewal deal, merged into it
    assert tables["merged_deal"] == [{"deal_id": first, "merged_deal_id": "MERGED_DEAL_0001",
                                      "_fivetran_synced": tables["merged_deal"][0]["_fivetran_synced"]}]
    deals = keyed["deal"]
    same = ("deal_pipeline_id", "deal_pipeline_stage_id", "owner_id", "property_dealtype", "property_amount")
    assert {c: deals["MERGED_DEAL_0001"][c] for c in same} == {c: deals[first][c] for c in same}
    assert f"MERGED_DEAL_0001~{first_opp['account_id']}" in keyed["deal_company"]
    # 2, 4. deleted and unreferenced
    assert deals["DELETED_DEAL_0001"]["is_deleted"] and keyed["company"]["DELETED_COMPANY_0001"]["is_deleted"]
    assert not [d for d in tables["deal_company"] if d["company_id"] == "DELETED_COMPANY_0001"]
    # 3. new business: neither in the renewal pipeline nor of the renewal type
    assert (deals["NEWBIZ_DEAL_0001"]["property_dealtype"], deals["NEWBIZ_DEAL_0001"]["deal_pipeline_id"]) == (
        "newbusiness", "default")
    # 5. a queue that owns nothing
    assert keyed["owner"]["QUEUE_0001"]["type"] == "QUEUE"
    owners = {d["owner_id"] for d in tables["deal"]} | {c["property_hubspot_owner_id"] for c in tables["company"]} | {
        h["value"] for h in tables["company_property_history"]}
    assert "QUEUE_0001" not in owners
    # 6. another property's history
    (other,) = [h for h in tables["company_property_history"] if h["name"] != "hubspot_owner_id"]
    assert (other["name"], other["value"]) == ("lifecyclestage", "customer")
    # 7. a row entering the stage the deal is in, between its first two rows: its deal's later keys move up one
    (key,) = [q["key"] for q in quirks if q["reason"] == "no_stage_change"]
    deal_id, n = key.split("~")
    assert n == "2"
    assert keyed["deal_stage"][key]["value"] == keyed["deal_stage"][f"{deal_id}~1"]["value"]
    written = sorted(int(k.split("~")[1]) for k in keyed["deal_stage"] if k.split("~")[0] == deal_id)
    in_twin = sorted(int(h["stage_history_id"].split("~")[1]) for h in twin["crm.opportunity_stage_history"]
                     if h["opportunity_id"] == deal_id)
    assert in_twin == [m for m in written if m != 2]
    # 8. a second association, not the primary one
    (association,) = [q["key"] for q in quirks if q["reason"] == "not_primary_association"]
    assert association.startswith(f"{first}~") and keyed["deal_company"][association]["type_id"] != 5
    assert association != f"{first}~{first_opp['account_id']}"


def test_not_expressed_counts_the_planted_crm_rows_and_the_rest(small_raw, hubspot, clean):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    expected = {q: Counter() for q in REPLACED}
    for entry in manifest["expected_quarantine"] + manifest["expected_duplicates"] + manifest["expected_superseded"]:
        if entry["table"] in expected:
            expected[entry["table"]][entry["reason"]] += 1
    said = hubspot["manifest"]["not_expressed"]
    assert set(said) == set(REPLACED)
    derived_reasons = {"proposal_or_signed_date_derived", "probability_from_stage", "no_stage_change",
                       "no_opportunity", "key_from_deal_and_order", "overlapping_periods", "same_owner_periods_merged",
                       "no_account", "not_reproduced", "role_from_team", "no_hired_date", "full_name_split"}
    for q in REPLACED:
        assert {r: n for r, n in said[q].items() if r in expected[q]} == dict(expected[q]), q
        assert set(said[q]) - set(expected[q]) <= derived_reasons, q
    # the twin and the counts account for every clean row
    twin = hubspot["twin"]
    derived = {q: Counter({r: n for r, n in said[q].items() if r not in expected[q]}) for q in REPLACED}
    assert len(twin["crm.accounts"]) == len(clean["crm.accounts"]) and not derived["crm.accounts"]
    users = clean["crm.users"].values()
    assert len(twin["crm.users"]) == len(clean["crm.users"])
    assert derived["crm.users"]["no_hired_date"] == sum(u["hired_date"] is not None for u in users) > 0
    changed = [u for u in twin["crm.users"] if {**u, "hired_date": None} != {**clean["crm.users"][u["user_id"]],
                                                                              "hired_date": None}]
    assert len(changed) <= derived["crm.users"]["role_from_team"] + derived["crm.users"]["full_name_split"]
    periods = {(r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"])
               for r in twin["crm.account_ownership"]}
    reproduced = sum((r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) in periods
                     for r in clean["crm.account_ownership"].values())
    assert reproduced + sum(derived["crm.account_ownership"].values()) == len(clean["crm.account_ownership"])
    history = derived["crm.opportunity_stage_history"]
    assert len(twin["crm.opportunity_stage_history"]) + history["no_stage_change"] + history["no_opportunity"] == len(
        clean["crm.opportunity_stage_history"])
    assert history["key_from_deal_and_order"] == sum(h["stage_history_id"] not in clean["crm.opportunity_stage_history"]
                                                     for h in twin["crm.opportunity_stage_history"])
    opportunities = derived["crm.renewal_opportunities"]
    assert len(twin["crm.renewal_opportunities"]) == len(clean["crm.renewal_opportunities"])
    changed = sum(o != clean["crm.renewal_opportunities"][o["opportunity_id"]]
                  for o in twin["crm.renewal_opportunities"])
    assert changed <= opportunities["proposal_or_signed_date_derived"] + opportunities["probability_from_stage"]


# ------------------------------------------------------------------------------------------ values
def _seed() -> list[dict[str, str]]:
    with open(ROOT / "seeds" / "ref_hubspot_values.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def _back() -> dict[str, dict[str, str]]:
    """The adapter's reading of the seed: per field, HubSpot value -> contract value (team names lower-cased and
    trimmed)."""
    out: dict[str, dict[str, str]] = {}
    for r in _seed():
        value = r["hubspot_value"].strip().lower() if r["field"] == "team" else r["hubspot_value"]
        out.setdefault(r["field"], {})[value] = r["contract_value"]
    return out


def test_the_seed_maps_every_contract_value_of_the_mapped_fields_and_back():
    labels, back = hubspot_values(), _back()
    assert set(labels) == set(SEED_FIELDS)
    enums = {"industry": rc.INDUSTRIES, "country": rc.REGIONS, "analytics_source": rc.ACQUISITION_SOURCES,
             "deal_stage": rc.OPP_STAGES, "forecast_category": rc.FORECAST_CATEGORIES}
    for field, values in enums.items():
        for value in values:
            assert value in labels[field], (field, value)
            assert back[field][labels[field][value]] == value, (field, value)
    assert set(back["team"].values()) == set(rc.USER_ROLES)
    assert labels["deal_stage"]["proposal_sent"] == "Contract Sent"


def test_every_contract_probability_survives_hubspot_s_zero_to_one_float():
    for i in range(10001):
        percent = Decimal(i) / 100
        p = to_probability(percent)
        assert 0 <= p <= 1
        assert Decimal(f"{round(p * 100, 2):.2f}") == percent, percent
    assert to_probability(None) is None


# ------------------------------------------------------------------------------------------ decoding
def _periods(company: dict, history: list[dict]) -> list[dict]:
    """The ownership rows the adapter derives from one company's rows of company_property_history (see the
    writer's docstring), written out again here."""
    rows = sorted((h for h in history if h["name"] == "hubspot_owner_id"),
                  key=lambda h: (h["timestamp"], h["_fivetran_synced"]))
    if not rows:
        owner, created = company["property_hubspot_owner_id"] or None, company["property_createdate"]
        if owner is None:
            return []
        return [{"ownership_id": f"{company['id']}~{created:%Y%m%d}", "account_id": company["id"],
                 "owner_user_id": owner, "valid_from": created.date(), "valid_to": None,
                 "_loaded_at": company["_fivetran_synced"]}]
    # (start, owner, synced) where the owner changes
    starts = []
    for i, h in enumerate(rows):
        owner = h["value"] or None
        if i == 0 or owner != (rows[i - 1]["value"] or None):
            starts.append([h["timestamp"], owner, h["_fivetran_synced"]])
    if company["property_createdate"] < rows[0]["timestamp"]:
        starts[0][0] = company["property_createdate"]
    last_of_day: dict[date, list] = {}
    for s in starts:
        last_of_day[s[0].date()] = s  # of two starts on one date, the later counts
    runs = []
    for s in last_of_day.values():
        if not runs or runs[-1][1] != s[1]:  # the day ended with the owner it began with: no new run
            runs.append(s)
    out = []
    for i, (start, owner, synced) in enumerate(runs):
        if owner is not None:
            out.append({"ownership_id": f"{company['id']}~{start:%Y%m%d}", "account_id": company["id"],
                        "owner_user_id": owner, "valid_from": start.date(),
                        "valid_to": runs[i + 1][0].date() - timedelta(days=1) if i + 1 < len(runs) else None,
                        "_loaded_at": synced})
    return out


def _decimal(value: float | None, type_: str) -> Decimal | float | None:
    """A HubSpot number as the contract column's type (a decimal column casts it to its scale)."""
    if value is None or not type_.startswith("decimal"):
        return value
    scale = int(type_.split(",")[1].rstrip(")"))
    return Decimal(f"{value:.{scale}f}")


def _decode(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The five contract tables as the adapter's rules read the HubSpot tables, each sorted by key."""
    back = _back()
    stages = {s["stage_id"]: s for s in tables["deal_pipeline_stage"]}
    stage_of = {k: back["deal_stage"].get(s["label"]) for k, s in stages.items()}
    pipelines = {p["pipeline_id"]: p["label"] for p in tables["deal_pipeline"]}
    merged_away = {m["merged_deal_id"] for m in tables["merged_deal"]}
    deals = [d for d in tables["deal"] if not d["is_deleted"] and d["deal_id"] not in merged_away and (
        pipelines.get(d["deal_pipeline_id"]) == "Renewals" or d["property_dealtype"] == "existingbusiness")]
    renewals = {d["deal_id"] for d in deals}
    companies_of: dict[str, list[dict]] = {}
    for a in tables["deal_company"]:
        companies_of.setdefault(a["deal_id"], []).append(a)
    account_of = {d: min(rows, key=lambda a: (a["type_id"] != 5, a["company_id"]))["company_id"]
                  for d, rows in companies_of.items()}
    # companies: the live ones, and a deleted one a renewal names
    named = {account_of[d] for d in renewals if d in account_of}
    companies = [c for c in tables["company"] if not c["is_deleted"] or c["id"] in named]
    accounts = [{"account_id": c["id"], "account_name": c["property_name"],
                 "parent_account_id": c["property_hs_parent_company_id"],
                 "industry": back["industry"].get(c["property_industry"]),
                 "region": back["country"].get(c["property_country"]),
                 "employee_count": c["property_numberofemployees"],
                 "acquisition_source": back["analytics_source"].get(c["property_hs_analytics_source"]),
                 "created_at": c["property_createdate"], "_loaded_at": c["_fivetran_synced"]} for c in companies]
    history: dict[str, list[dict]] = {}
    for h in tables["company_property_history"]:
        history.setdefault(h["company_id"], []).append(h)
    ownership = [r for c in companies for r in _periods(c, history.get(c["id"], []))]
    # users: people (and anyone who owns something), their primary team's name and the seed's role for it
    owning = {d["owner_id"] for d in deals} | {r["owner_user_id"] for r in ownership}
    team_names = {t["id"]: t["name"] for t in tables["team"]}
    team_of: dict[str, str] = {}
    for ot in sorted(tables["owner_team"], key=lambda ot: (not ot["is_team_primary"], ot["team_id"])):
        team_of.setdefault(ot["owner_id"], team_names.get(ot["team_id"]))
    users = []
    for o in tables["owner"]:
        if o["type"] != "PERSON" and o["owner_id"] not in owning:
            continue
        team = team_of.get(o["owner_id"])
        users.append({"user_id": o["owner_id"],
                      "full_name": o["first_name"] if o["last_name"] is None else f"{o['first_name']} {o['last_name']}",
                      "email": o["email"], "role": None if team is None else back["team"].get(team.strip().lower()),
                      "team": team, "hired_date": None, "is_active": True if o["is_active"] is None else o["is_active"],
                      "_loaded_at": o["_fivetran_synced"]})
    # stage history: the renewal deals' rows that change the stage
    changes, previous = [], {}
    for key, r in _stage_numbers([r for r in tables["deal_stage"] if r["deal_id"] in renewals]):
        deal_id, n = key.split("~")
        stage = stage_of.get(r["value"])
        if n == "1" or stage != previous[deal_id]:
            changes.append({"stage_history_id": key, "opportunity_id": deal_id, "stage": stage,
                            "entered_at": r["date_entered"], "_loaded_at": r["_fivetran_synced"]})
        previous[deal_id] = stage
    first_entry: dict[tuple[str, str], date] = {}
    for h in sorted(changes, key=lambda h: h["entered_at"]):
        first_entry.setdefault((h["opportunity_id"], h["stage"]), h["entered_at"].date())
    types = {c.name: c.type for c in rc.table("crm.renewal_opportunities").columns}
    opportunities = []
    for d in deals:
        stage = stage_of.get(d["deal_pipeline_stage_id"])
        probability = d["property_hs_forecast_probability"]
        if probability is None and d["deal_pipeline_stage_id"] in stages:
            probability = stages[d["deal_pipeline_stage_id"]]["probability"]
        row = {"opportunity_id": d["deal_id"], "account_id": account_of.get(d["deal_id"]),
               "owner_user_id": d["owner_id"], "stage": stage,
               "forecast_category": back["forecast_category"].get(d["property_hs_manual_forecast_category"]),
               "probability_percent": None if probability is None else Decimal(f"{round(probability * 100, 2):.2f}"),
               "currency": d["property_deal_currency_code"],
               "renewal_arr_amount": _decimal(d["property_amount"], types["renewal_arr_amount"]),
               "created_date": d["property_createdate"].date(),
               "close_date": None if d["property_closedate"] is None else d["property_closedate"].date(),
               "proposal_sent_date": first_entry.get((d["deal_id"], "proposal_sent")),
               "signed_date": first_entry.get((d["deal_id"], "closed_won")),
               "updated_at": d["property_hs_lastmodifieddate"] or d["_fivetran_synced"],
               "_loaded_at": d["_fivetran_synced"]}
        for column, prop in CUSTOM_FIELDS.items():
            row[column] = _decimal(d[prop], types[column])
        opportunities.append(row)
    out = {"crm.accounts": accounts, "crm.users": users, "crm.account_ownership": ownership,
           "crm.renewal_opportunities": opportunities, "crm.opportunity_stage_history": changes}
    return {q: sorted(rows, key=lambda r: r[rc.table(q).primary_key[0]]) for q, rows in out.items()}


def _by_key(q: str, rows: list[dict]) -> dict[str, dict]:
    key = rc.table(q).primary_key[0]
    return {r[key]: r for r in rows}


def test_the_tables_decode_to_the_twin(hubspot):
    decoded = _decode(hubspot["tables"])
    for q in REPLACED:
        got, want = _by_key(q, decoded[q]), _by_key(q, hubspot["twin"][q])
        assert sorted(got) == sorted(want), q
        for key, row in want.items():
            assert got[key] == row, (q, key)
        assert [set(r) for r in got.values()] == [{c.name for c in rc.table(q).columns}] * len(got), q


def test_the_twin_keeps_the_clean_rows_but_what_hubspot_cannot_say(hubspot, clean):
    twin = hubspot["twin"]
    loaded = {r["account_id"]: r["_loaded_at"] for r in twin["crm.accounts"]}
    assert [{**r, "_loaded_at": None} for r in twin["crm.accounts"]] == [
        {**clean["crm.accounts"][k], "_loaded_at": None} for k in sorted(clean["crm.accounts"])]
    assert all(loaded[k] >= clean["crm.accounts"][k]["_loaded_at"] for k in loaded)
    assert twin["crm.users"] == [{**clean["crm.users"][k], "hired_date": None} for k in sorted(clean["crm.users"])]
    kept, _same = stage_changes(list(clean["crm.opportunity_stage_history"].values()))
    content = Counter((h["opportunity_id"], h["stage"], h["entered_at"], h["_loaded_at"]) for h in kept)
    assert content == Counter((h["opportunity_id"], h["stage"], h["entered_at"], h["_loaded_at"])
                              for h in twin["crm.opportunity_stage_history"])
    assert all(h["stage_history_id"].startswith(f"{h['opportunity_id']}~")
               for h in twin["crm.opportunity_stage_history"])
    for o in twin["crm.renewal_opportunities"]:
        c = clean["crm.renewal_opportunities"][o["opportunity_id"]]
        same = {k: v for k, v in o.items() if k not in ("proposal_sent_date", "signed_date")}
        assert same == {k: v for k, v in c.items() if k not in ("proposal_sent_date", "signed_date")}


def test_the_twin_s_ownership_is_the_clean_ownership(hubspot, clean):
    """The small extract has no overlapping periods: every one comes back, keyed by account and first day, loaded
    when the history row that starts it synced."""
    original = sorted((r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"])
                      for r in clean["crm.account_ownership"].values())
    derived = hubspot["twin"]["crm.account_ownership"]
    assert sorted((r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in derived) == original
    synced = {(h["company_id"], h["timestamp"].date()): h["_fivetran_synced"]
              for h in hubspot["tables"]["company_property_history"] if h["name"] == "hubspot_owner_id"}
    for r in derived:
        assert r["ownership_id"] == f"{r['account_id']}~{r['valid_from']:%Y%m%d}"
        assert r["_loaded_at"] == synced[(r["account_id"], r["valid_from"])]
    companies = {c["id"]: c for c in hubspot["tables"]["company"]}
    for r in derived:
        if r["valid_to"] is None:
            assert companies[r["account_id"]]["property_hubspot_owner_id"] == r["owner_user_id"]


def test_contract_twin_writes_the_twin_rows(hubspot, twin):
    for q in REPLACED:
        t = rc.table(q)
        key = t.primary_key[0]
        assert twin["rows"][q] == sorted(hubspot["twin"][q], key=lambda r: r[key]), q
        assert {r[key] for r in twin["rows"][q]} == hubspot["kept"][q], q
        assert pq.read_schema(twin["dir"] / t.system / f"{t.name}.parquet").equals(rc.arrow_schema(t)), q
    assert not (twin["dir"] / "hubspot").exists()


# ------------------------------------------------------------------------------------------ ownership
ACCOUNT = {"account_id": "A1", "account_name": "Acme", "parent_account_id": None, "industry": "software",
           "region": "emea", "employee_count": 50, "acquisition_source": "partner",
           "created_at": datetime(2024, 1, 1, 8), "_loaded_at": datetime(2026, 1, 2, 3)}


def _ownership_row(oid: str, owner: str, start: date, end: date | None) -> dict:
    return {"ownership_id": oid, "account_id": "A1", "owner_user_id": owner, "valid_from": start, "valid_to": end,
            "_loaded_at": datetime(2026, 1, int(oid[1:]), 1)}


def _company(account: dict) -> dict:
    return {"id": account["account_id"], "property_hubspot_owner_id": None,
            "property_createdate": account["created_at"], "_fivetran_synced": account["_loaded_at"]}


def test_owner_history_inverts_to_periods_with_gaps_an_end_and_a_late_first_owner():
    account = {**ACCOUNT, "created_at": datetime(2023, 6, 1, 8)}
    periods = [_ownership_row("o1", "U1", date(2024, 1, 1), date(2024, 3, 31)),
               _ownership_row("o2", "U2", date(2024, 4, 1), date(2024, 6, 30)),
               _ownership_row("o3", "U1", date(2024, 8, 1), date(2025, 1, 31))]
    rows = owner_history(account, periods)
    assert [(h["name"], h["value"], h["timestamp"]) for h in rows] == [
        ("hubspot_owner_id", "", datetime(2023, 6, 1, 8)), ("hubspot_owner_id", "U1", datetime(2024, 1, 1, 9)),
        ("hubspot_owner_id", "U2", datetime(2024, 4, 1, 9)), ("hubspot_owner_id", "", datetime(2024, 7, 1, 9)),
        ("hubspot_owner_id", "U1", datetime(2024, 8, 1, 9)), ("hubspot_owner_id", "", datetime(2025, 2, 1, 9))]
    derived = _periods(_company(account), rows)
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"], r["_loaded_at"]) for r in derived] == [
        (p["owner_user_id"], p["valid_from"], p["valid_to"], p["_loaded_at"]) for p in periods]
    assert [r["ownership_id"] for r in derived] == ["A1~20240101", "A1~20240401", "A1~20240801"]
    assert owner_history(account, []) == []


def test_owner_history_of_one_open_run_of_several_periods():
    periods = [_ownership_row("o1", "U1", date(2024, 1, 1), date(2024, 3, 31)),
               _ownership_row("o2", "U1", date(2024, 4, 1), None)]
    rows = owner_history(ACCOUNT, periods)
    assert [(h["value"], h["timestamp"], h["_fivetran_synced"]) for h in rows] == [
        ("U1", datetime(2024, 1, 1, 9), periods[0]["_loaded_at"])]
    assert [(r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in _periods(_company(ACCOUNT), rows)] == [
        ("U1", date(2024, 1, 1), None)]


def test_the_decoder_reads_a_company_without_owner_history_as_one_period_from_its_creation():
    company = {**_company(ACCOUNT), "property_hubspot_owner_id": "U7"}
    assert _periods(company, []) == [{"ownership_id": "A1~20240101", "account_id": "A1", "owner_user_id": "U7",
                                      "valid_from": date(2024, 1, 1), "valid_to": None,
                                      "_loaded_at": ACCOUNT["_loaded_at"]}]
    assert _periods({**company, "property_hubspot_owner_id": ""}, []) == []
