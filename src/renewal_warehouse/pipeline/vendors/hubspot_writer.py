"""HubSpot writer: a generated extract's CRM tables rewritten as Fivetran's HubSpot connector lands them.

``write_hubspot(raw_dir)`` reads ``crm/{accounts,users,account_ownership,renewal_opportunities,
opportunity_stage_history}.parquet`` of a generated extract, keeps the clean rows (no planted quarantine rows; one
version per key, the latest load), writes every table of ``HUBSPOT`` (``hubspot.py``) to
``<raw_dir>/hubspot/<table>.parquet``, plants the vendor quirks the adapter must exclude, removes the five CRM
files it replaces (activities, sponsor changes, value reviews, targets and forecasts stay) and records all of it
in ``_manifest.json``. It returns, beside the manifest, the contract rows the adapter derives from those tables
(``twin``); ``contract_twin(raw_dir, converted)`` rewrites another copy of the same extract with them, so a test
can build both and compare.

The rules are the ones the dbt adapter ``models/staging/crm/hubspot/`` inverts:

* every HubSpot id is text and is the world's own id (company = account, owner = user, deal = opportunity);
* picklists map through seed ``ref_hubspot_values`` (a contract value is written as the first HubSpot value the
  seed lists for it; a value the seed lacks is an error); a user's role is the one the seed gives its team's name
  (field ``team``, compared lower-cased and trimmed); a user's full name is its first and last names joined by a
  space (the first name alone without a last name); HubSpot owners have no hire date;
* a company's ownership is its ``hubspot_owner_id`` property history (``company_property_history``; value ''
  or null: no owner), read as Salesforce's account versions are (``salesforce_writer.derive_ownership``): one
  row per run of one owner at 9:00 on the period's first day, an ownerless row the day after a run no other run
  follows the next day, and an ownerless first row at the company's creation when its first period starts on a
  later day. A company without owner history has one period from its creation, of its ``hubspot_owner_id``;
* a deal is a renewal by its pipeline (labelled Renewals) or its type (existingbusiness): the two alternate here.
  Its account is its primary company association (type 5); its probability is its own, else its stage's;
* a deal's ``deal_stage`` rows, numbered from 1 by (date_entered, _fivetran_start, value), are keyed
  ``<deal_id>~<n>``; a row whose stage is the previous row's is no stage change; the proposal and signature dates
  are the first entries into proposal_sent and closed_won.

Output is deterministic: rows sorted by id (then time); timestamps from the data only.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.vendors.extract import (
    Row,
    ts,
    write_crm_vendor,
    write_twin,
)
from renewal_warehouse.pipeline.vendors.hubspot import CUSTOM_FIELDS, HUBSPOT
from renewal_warehouse.pipeline.vendors.salesforce_writer import (
    DAY,
    END_OF_TIME,
    OWNER_HOUR,
    _ownership_problem,
    derive_ownership,
    derived_dates,
    ownership_runs,
)

ROOT = Path(__file__).resolve().parents[4]
REPLACED = tuple(f"{HUBSPOT.system}.{name}" for name in HUBSPOT.replaces)

# seed field -> the contract column it maps (ref_hubspot_values.field); team maps a team's name to the role
SEED_FIELDS = {"industry": "industry", "country": "region", "analytics_source": "acquisition_source",
               "deal_stage": "stage", "forecast_category": "forecast_category", "team": "role"}
OWNER_PROPERTY = "hubspot_owner_id"
CLOSED_STAGES = ("closed_won", "closed_lost")
# a typical win probability per stage (0 to 1): a deal without its own forecast probability has its stage's
STAGE_PROBABILITY = {"not_engaged": 0.1, "early_discussion": 0.2, "proposal_sent": 0.4, "negotiation": 0.6,
                     "closed_won": 1.0, "closed_lost": 0.0}
DEFAULT_PIPELINE, RENEWAL_PIPELINE = "default", "renewals"
PIPELINES = {DEFAULT_PIPELINE: "Sales Pipeline", RENEWAL_PIPELINE: "Renewals"}
RENEWAL_DEAL_TYPE, NEW_BUSINESS_DEAL_TYPE = "existingbusiness", "newbusiness"
PRIMARY_ASSOCIATION, OTHER_ASSOCIATION = 5, 341  # HubSpot's deal-to-company association types
PORTAL_ID = 20260001
SOURCE = "CRM_UI"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# Columns the connector lands that the adapter does not read (standard fields of a real portal).
EXTRA_COLUMNS = {
    "company_property_history": (("source", "string"), ("source_id", "string")),
    "owner": (("portal_id", "int"), ("active_user_id", "string")),
    "deal_pipeline_stage": (("display_order", "int"), ("active", "bool")),
    "deal": (("portal_id", "int"), ("property_description", "string")),
    "deal_company": (("category", "string"),),
    "deal_stage": (("_fivetran_end", "timestamp"), ("source", "string"), ("source_id", "string")),
}

# How each table's rows are sorted (deterministic output).
SORT_KEYS: dict[str, Callable[[Row], tuple]] = {
    "company": lambda r: (r["id"],),
    "company_property_history": lambda r: (r["company_id"], r["timestamp"], r["name"], r["value"] or ""),
    "owner": lambda r: (r["owner_id"],),
    "owner_team": lambda r: (r["owner_id"], r["team_id"]),
    "team": lambda r: (r["id"],),
    "deal": lambda r: (r["deal_id"],),
    "deal_company": lambda r: (r["deal_id"], r["company_id"]),
    "deal_stage": lambda r: (r["deal_id"], r["date_entered"], r["_fivetran_start"], r["value"] or ""),
    "deal_pipeline": lambda r: (r["pipeline_id"],),
    "deal_pipeline_stage": lambda r: (r["pipeline_id"], r["display_order"]),
    "merged_deal": lambda r: (r["deal_id"], r["merged_deal_id"]),
}

# Planted rows' ids
MERGED_DEAL = "MERGED_DEAL_0001"
DELETED_DEAL = "DELETED_DEAL_0001"
NEW_BUSINESS_DEAL = "NEWBIZ_DEAL_0001"
DELETED_COMPANY = "DELETED_COMPANY_0001"
QUEUE_OWNER = "QUEUE_0001"


# ------------------------------------------------------------------------------------------ values
def _seed() -> list[dict[str, str]]:
    with open(ROOT / "seeds" / "ref_hubspot_values.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def hubspot_values() -> dict[str, dict[str, str]]:
    """Per seed field, the HubSpot value each contract value is written as: the first the seed lists."""
    labels: dict[str, dict[str, str]] = {}
    for r in _seed():
        labels.setdefault(r["field"], {}).setdefault(r["contract_value"], r["hubspot_value"])
    return labels


def contract_values() -> dict[str, dict[str, str]]:
    """Per seed field, the contract value of each HubSpot value (what the adapter reads; team names by
    ``team_key``)."""
    out: dict[str, dict[str, str]] = {}
    for r in _seed():
        value = team_key(r["hubspot_value"]) if r["field"] == "team" else r["hubspot_value"]
        out.setdefault(r["field"], {})[value] = r["contract_value"]
    return out


def team_key(name: str | None) -> str | None:
    """A team's name as the adapter looks it up in the seed: lower-cased, trimmed."""
    return None if name is None else name.strip().lower()


def to_hubspot(labels: dict[str, dict[str, str]], field: str, value: str | None) -> str | None:
    """A contract value as the HubSpot value written for it (null stays null)."""
    if value is None:
        return None
    if value not in labels[field]:
        raise ValueError(f"seed ref_hubspot_values has no {field} value for contract value {value!r}")
    return labels[field][value]


def _float(value: Decimal | None) -> float | None:
    """A decimal as the float a HubSpot number property holds (casting it back to the decimal's scale gives it)."""
    return None if value is None else float(value)


def to_probability(percent: Decimal | None) -> float | None:
    """A contract win probability (percent) as HubSpot's forecast probability (0 to 1); the adapter's
    round(p * 100, 2) must give it back exactly (checked: a ValueError otherwise)."""
    if percent is None:
        return None
    p = float(percent / HUNDRED)
    if percent_of(p) != percent:
        raise ValueError(f"probability {percent} does not survive HubSpot's 0-1 float")
    return p


def percent_of(probability: float | None) -> Decimal | None:
    """A 0-1 probability as the adapter's probability_percent: round(p * 100, 2) as decimal(5,2)."""
    return None if probability is None else Decimal(f"{round(probability * 100, 2):.2f}")


def split_name(full_name: str | None) -> tuple[str | None, str | None]:
    """A full name as HubSpot's first and last names (no last name: None)."""
    if full_name is None:
        return None, None
    first, _, rest = full_name.partition(" ")
    return first, rest or None


def join_name(first: str | None, last: str | None) -> str | None:
    """The adapter's full name: first || ' ' || last, the first name alone without a last name."""
    return first if last is None or first is None else f"{first} {last}"


def stage_id(pipeline: str, stage: str | None) -> str | None:
    return None if stage is None else f"{pipeline}_{stage}"


def history_key(row: Row) -> str:
    """A company_property_history row's key in the adapter's ledger (the timestamp as SQL casts it to text)."""
    return f"{row['company_id']}~{row['name']}~{row['timestamp']}"


def deal_stage_numbers(rows: list[Row]) -> list[tuple[int, Row]]:
    """(n, row) for deal_stage rows: each deal's rows numbered from 1 by (date_entered, _fivetran_start, value), as
    the adapter keys them (``<deal_id>~<n>``), in that order."""
    by_deal: dict[str, list[Row]] = {}
    for r in rows:
        by_deal.setdefault(r["deal_id"], []).append(r)
    out = []
    for deal_id in sorted(by_deal):
        ordered = sorted(by_deal[deal_id], key=lambda r: (r["date_entered"], r["_fivetran_start"], r["value"] or ""))
        out += list(enumerate(ordered, start=1))
    return out


# ------------------------------------------------------------------------------------------ companies
def owner_history(account: Row, ownership: list[Row]) -> list[Row]:
    """The hubspot_owner_id property history of one company, from its ownership rows: one row per run of one
    owner (9:00 on its first day), an ownerless one the day after a run that no other run follows the next day,
    an ownerless first one at its creation when its first period starts on a later day. No ownership: no rows."""
    if not ownership:
        return []
    runs = ownership_runs(ownership)
    company = account["account_id"]
    rows: list[Row] = []

    def add(value: str, at: datetime, synced: datetime) -> None:
        rows.append({"company_id": company, "name": OWNER_PROPERTY, "value": value, "timestamp": at,
                     "_fivetran_synced": synced, "source": SOURCE, "source_id": None})

    if account["created_at"] is not None and account["created_at"].date() < runs[0][0]["valid_from"]:
        add("", account["created_at"], runs[0][0]["_loaded_at"])
    for i, run in enumerate(runs):
        first = run[0]
        add(first["owner_user_id"], ts(first["valid_from"]) + OWNER_HOUR, first["_loaded_at"])
        ends = [r["valid_to"] for r in run]
        end = None if None in ends else max(ends)
        following = runs[i + 1][0]["valid_from"] if i + 1 < len(runs) else None
        if end is not None and (following is None or following > end + DAY):
            add("", ts(end + DAY) + OWNER_HOUR, first["_loaded_at"])
    return rows


def current_owner(ownership: list[Row]) -> str | None:
    """The owner of the company's open ownership period (the latest one), if any."""
    open_ = [r for r in ownership if r["valid_to"] is None]
    return max(open_, key=lambda r: (r["valid_from"], r["ownership_id"]))["owner_user_id"] if open_ else None


def company_synced(account: Row, ownership: list[Row]) -> datetime:
    """A company's _fivetran_synced: the later of the account's load and its latest ownership row's."""
    if not ownership:
        return account["_loaded_at"]
    latest = max(ownership, key=lambda r: (r["valid_from"], r["ownership_id"]))
    return max(account["_loaded_at"], latest["_loaded_at"])


def company_ownership(company: Row, history: list[Row]) -> list[Row]:
    """The ownership rows the adapter derives for one company: from its owner-property history (as Salesforce's
    account versions, ``derive_ownership``), else one period from its creation of its current owner property."""
    rows = [h for h in history if h["name"] == OWNER_PROPERTY]
    if not rows:
        owner = company["property_hubspot_owner_id"] or None
        created = company["property_createdate"]
        if owner is None or created is None:
            return []
        return [{"ownership_id": f"{company['id']}~{created:%Y%m%d}", "account_id": company["id"],
                 "owner_user_id": owner, "valid_from": created.date(), "valid_to": None,
                 "_loaded_at": company["_fivetran_synced"]}]
    versions = [{"id": company["id"], "owner_id": h["value"] or None, "_fivetran_start": h["timestamp"],
                 "_fivetran_synced": h["_fivetran_synced"], "created_date": company["property_createdate"]}
                for h in rows]
    return derive_ownership(versions)


# ------------------------------------------------------------------------------------------ tables
class _Writer:
    """The HubSpot tables of one extract, built from its clean CRM rows."""

    def __init__(self, clean: dict[str, dict[str, Row]], as_of: date, extracted_at: datetime):
        self.accounts = clean["crm.accounts"]
        self.users = clean["crm.users"]
        self.ownership = clean["crm.account_ownership"]
        self.opportunities = clean["crm.renewal_opportunities"]
        self.history = clean["crm.opportunity_stage_history"]
        self.as_of, self.extracted_at = as_of, extracted_at
        self.labels = hubspot_values()
        self.tables: dict[str, list[Row]] = {t.name: [] for t in HUBSPOT.tables}
        self.quirks: list[Row] = []
        self._stage_quirks: list[tuple[Row, str]] = []  # deal_stage rows keyed once every row is in
        self.pipeline: dict[str, str] = {}  # deal id -> pipeline id

    def label(self, field: str, value: str | None) -> str | None:
        return to_hubspot(self.labels, field, value)

    def build(self) -> None:
        self._companies()
        self._owners()
        self._pipelines()
        self._deals()
        self._deal_stages()
        self._plant_quirks()
        self._set_stage_ends()
        for name, rows in self.tables.items():
            rows.sort(key=SORT_KEYS[name])
        numbers = {id(row): n for n, row in deal_stage_numbers(self.tables["deal_stage"])}
        for row, reason in self._stage_quirks:
            self.quirks.append({"table": "hubspot.deal_stage", "key": f"{row['deal_id']}~{numbers[id(row)]}",
                                "reason": reason})

    # ------------------------------------------------------------------ companies
    def company_row(self, a: Row, owner: str | None, synced: datetime) -> Row:
        return {"id": a["account_id"], "property_name": a["account_name"],
                "property_hs_parent_company_id": a["parent_account_id"],
                "property_industry": self.label("industry", a["industry"]),
                "property_country": self.label("country", a["region"]),
                "property_numberofemployees": a["employee_count"],
                "property_hs_analytics_source": self.label("analytics_source", a["acquisition_source"]),
                "property_hubspot_owner_id": owner, "property_createdate": a["created_at"], "is_deleted": False,
                "_fivetran_deleted": False, "_fivetran_synced": synced}

    def _companies(self) -> None:
        by_account: dict[str, list[Row]] = {}
        for row in self.ownership.values():
            by_account.setdefault(row["account_id"], []).append(row)
        for account_id in sorted(self.accounts):
            a, ownership = self.accounts[account_id], by_account.get(account_id, [])
            self.tables["company"].append(self.company_row(a, current_owner(ownership),
                                                           company_synced(a, ownership)))
            self.tables["company_property_history"] += owner_history(a, ownership)

    # ------------------------------------------------------------------ owners
    def _owners(self) -> None:
        teams = sorted({u["team"] for u in self.users.values() if u["team"] is not None})
        team_ids = {name: f"T{n:04d}" for n, name in enumerate(teams, start=1)}
        team_synced: dict[str, datetime] = {}
        for user_id in sorted(self.users):
            u = self.users[user_id]
            first, last = split_name(u["full_name"])
            self.tables["owner"].append({
                "owner_id": user_id, "email": u["email"], "first_name": first, "last_name": last, "type": "PERSON",
                "is_active": u["is_active"], "created_at": None, "_fivetran_deleted": False,
                "_fivetran_synced": u["_loaded_at"], "portal_id": PORTAL_ID,
                "active_user_id": user_id if u["is_active"] else None})
            if u["team"] is not None:
                team_synced[u["team"]] = min(team_synced.get(u["team"], u["_loaded_at"]), u["_loaded_at"])
                self.tables["owner_team"].append({"owner_id": user_id, "team_id": team_ids[u["team"]],
                                                  "is_team_primary": True, "_fivetran_synced": u["_loaded_at"]})
        self.tables["team"] = [{"id": team_ids[name], "name": name, "_fivetran_synced": team_synced[name]}
                               for name in teams]

    # ------------------------------------------------------------------ deals
    def _pipelines(self) -> None:
        for pipeline_id, label in PIPELINES.items():
            self.tables["deal_pipeline"].append({"pipeline_id": pipeline_id, "label": label,
                                                 "_fivetran_deleted": False, "_fivetran_synced": self.extracted_at})
            for order, stage in enumerate(rc.OPP_STAGES):
                closed = stage in CLOSED_STAGES
                self.tables["deal_pipeline_stage"].append({
                    "stage_id": stage_id(pipeline_id, stage), "pipeline_id": pipeline_id,
                    "label": self.label("deal_stage", stage), "probability": STAGE_PROBABILITY[stage],
                    "is_closed": closed, "closed_won": closed, "_fivetran_deleted": False,
                    "_fivetran_synced": self.extracted_at, "display_order": order, "active": True})

    def deal_row(self, o: Row, pipeline: str, deal_type: str | None) -> Row:
        row = {"deal_id": o["opportunity_id"], "deal_pipeline_id": pipeline,
               "deal_pipeline_stage_id": stage_id(pipeline, o["stage"]), "owner_id": o["owner_user_id"],
               "property_dealname": f"Renewal {o['opportunity_id']}", "property_dealtype": deal_type,
               "property_amount": _float(o["renewal_arr_amount"]), "property_deal_currency_code": o["currency"],
               "property_hs_forecast_probability": to_probability(o["probability_percent"]),
               "property_hs_manual_forecast_category": self.label("forecast_category", o["forecast_category"]),
               "property_closedate": ts(o["close_date"]), "property_createdate": ts(o["created_date"]),
               "property_hs_lastmodifieddate": o["updated_at"]}
        for column, prop in CUSTOM_FIELDS.items():
            value = o[column]
            row[prop] = _float(value) if isinstance(value, Decimal) else value
        return {**row, "is_deleted": False, "_fivetran_deleted": False, "_fivetran_synced": o["_loaded_at"],
                "portal_id": PORTAL_ID, "property_description": None}

    def deal_company_row(self, deal: Row, company_id: str, type_id: int = PRIMARY_ASSOCIATION) -> Row:
        return {"deal_id": deal["deal_id"], "company_id": company_id, "type_id": type_id,
                "_fivetran_synced": deal["_fivetran_synced"], "category": "HUBSPOT_DEFINED"}

    def _deals(self) -> None:
        for i, opp_id in enumerate(sorted(self.opportunities)):
            o = self.opportunities[opp_id]
            pipeline, deal_type = (DEFAULT_PIPELINE, RENEWAL_DEAL_TYPE) if i % 2 == 0 else (RENEWAL_PIPELINE, None)
            self.pipeline[opp_id] = pipeline
            deal = self.deal_row(o, pipeline, deal_type)
            self.tables["deal"].append(deal)
            self.tables["deal_company"].append(self.deal_company_row(deal, o["account_id"]))

    def stage_row(self, deal_id: str, value: str | None, entered: datetime, synced: datetime) -> Row:
        return {"deal_id": deal_id, "value": value, "date_entered": entered, "_fivetran_start": entered,
                "_fivetran_active": False, "_fivetran_synced": synced, "_fivetran_end": None, "source": SOURCE,
                "source_id": None}

    def _deal_stages(self) -> None:
        """Each renewal deal's clean stage-history rows (a row of an opportunity that is no clean renewal has no
        deal to go under: not written)."""
        for h in sorted(self.history.values(), key=lambda r: (r["opportunity_id"], r["entered_at"],
                                                               r["stage_history_id"])):
            pipeline = self.pipeline.get(h["opportunity_id"])
            if pipeline is not None:
                self.tables["deal_stage"].append(self.stage_row(h["opportunity_id"], stage_id(pipeline, h["stage"]),
                                                                h["entered_at"], h["_loaded_at"]))

    def _set_stage_ends(self) -> None:
        """Fivetran's history columns on each deal's deal_stage rows: a row ends a second before the next one
        starts; the last is active and ends at the end of time."""
        by_deal: dict[str, list[Row]] = {}
        for r in self.tables["deal_stage"]:
            by_deal.setdefault(r["deal_id"], []).append(r)
        for rows in by_deal.values():
            rows.sort(key=lambda r: (r["_fivetran_start"], r["value"] or ""))
            for r, nxt in zip(rows, rows[1:] + [None], strict=True):
                r["_fivetran_active"] = nxt is None
                r["_fivetran_end"] = END_OF_TIME if nxt is None else nxt["_fivetran_start"] - timedelta(seconds=1)

    # ------------------------------------------------------------------ planted quirks
    def _quirk(self, table: str, row: Row, reason: str, key: str) -> None:
        self.tables[table].append(row)
        self.quirks.append({"table": f"hubspot.{table}", "key": key, "reason": reason})

    def _stage_quirk(self, row: Row, reason: str) -> None:
        self.tables["deal_stage"].append(row)
        self._stage_quirks.append((row, reason))

    def _association_quirk(self, row: Row, reason: str) -> None:
        self._quirk("deal_company", row, reason, f"{row['deal_id']}~{row['company_id']}")

    def _plant_quirks(self) -> None:
        """Rows a real HubSpot portal has and the adapter must exclude or resolve (none changes the contract
        rows)."""
        synced, as_of = self.extracted_at, ts(self.as_of)
        deals = {d["deal_id"]: d for d in self.tables["deal"]}
        companies = {c["id"]: c for c in self.tables["company"]}
        first_deal = deals[min(deals)]
        first_account = min(self.accounts)
        # 1. a duplicate of the lowest renewal deal merged into it
        merged = {**first_deal, "deal_id": MERGED_DEAL, "property_dealname": f"Renewal {MERGED_DEAL}",
                  "_fivetran_synced": synced}
        self._quirk("deal", merged, "merged", MERGED_DEAL)
        self._association_quirk(self.deal_company_row(merged, self.opportunities[min(deals)]["account_id"]),
                                "merged")
        self._stage_quirk(self.stage_row(MERGED_DEAL, merged["deal_pipeline_stage_id"],
                                         merged["property_createdate"], synced), "merged")
        self.tables["merged_deal"].append({"deal_id": first_deal["deal_id"], "merged_deal_id": MERGED_DEAL,
                                           "_fivetran_synced": synced})
        new_deal = {"deal_pipeline_id": RENEWAL_PIPELINE,
                    "deal_pipeline_stage_id": stage_id(RENEWAL_PIPELINE, "negotiation"),
                    "owner_id": first_deal["owner_id"], "property_dealtype": None, "property_amount": 25000.0,
                    "property_deal_currency_code": "USD", "property_hs_forecast_probability": 0.6,
                    "property_hs_manual_forecast_category": self.label("forecast_category", "commit"),
                    "property_closedate": as_of + 30 * DAY, "property_createdate": as_of - 60 * DAY,
                    "property_hs_lastmodifieddate": as_of - 10 * DAY, **{p: None for p in CUSTOM_FIELDS.values()},
                    "is_deleted": False, "_fivetran_deleted": False, "_fivetran_synced": synced, "portal_id": PORTAL_ID,
                    "property_description": None}
        # 2. a deleted renewal deal nothing references, with its stage and company
        deleted = {**new_deal, "deal_id": DELETED_DEAL, "property_dealname": "Renewal (deleted)", "is_deleted": True}
        self._quirk("deal", deleted, "deleted_unreferenced", DELETED_DEAL)
        self._association_quirk(self.deal_company_row(deleted, first_account), "deleted_unreferenced")
        self._stage_quirk(self.stage_row(DELETED_DEAL, deleted["deal_pipeline_stage_id"], as_of - 60 * DAY, synced),
                          "deleted_unreferenced")
        # 3. a new-business deal (neither in a renewal pipeline nor of a renewal type) and its stages and company
        newbiz = {**new_deal, "deal_id": NEW_BUSINESS_DEAL, "deal_pipeline_id": DEFAULT_PIPELINE,
                  "deal_pipeline_stage_id": stage_id(DEFAULT_PIPELINE, "negotiation"),
                  "property_dealname": "New business", "property_dealtype": NEW_BUSINESS_DEAL_TYPE}
        self._quirk("deal", newbiz, "not_renewal", NEW_BUSINESS_DEAL)
        self._association_quirk(self.deal_company_row(newbiz, first_account), "not_renewal")
        for i, stage in enumerate(("not_engaged", "negotiation")):
            self._stage_quirk(self.stage_row(NEW_BUSINESS_DEAL, stage_id(DEFAULT_PIPELINE, stage),
                                             as_of - (60 - 50 * i) * DAY, synced), "not_renewal")
        # 4. a deleted company nothing references
        real = self.accounts[first_account]
        company = {**self.company_row(real, None, synced), "id": DELETED_COMPANY,
                   "property_name": "Deleted Prospect Inc", "property_hs_parent_company_id": None,
                   "property_numberofemployees": 10, "property_createdate": as_of - 30 * DAY, "is_deleted": True}
        self._quirk("company", company, "deleted_unreferenced", DELETED_COMPANY)
        # 5. a queue: an owner that is no person and owns nothing
        self._quirk("owner", {"owner_id": QUEUE_OWNER, "email": None, "first_name": "Renewals",
                              "last_name": "Queue", "type": "QUEUE", "is_active": True, "created_at": None,
                              "_fivetran_deleted": False, "_fivetran_synced": synced, "portal_id": PORTAL_ID,
                              "active_user_id": None}, "not_person", QUEUE_OWNER)
        # 6. the history of another company property
        lifecycle = {"company_id": first_account, "name": "lifecyclestage", "value": "customer",
                     "timestamp": real["created_at"] + DAY, "_fivetran_synced": companies[first_account][
                         "_fivetran_synced"], "source": SOURCE, "source_id": None}
        self._quirk("company_property_history", lifecycle, "not_owner_property", history_key(lifecycle))
        # 7. a deal_stage row entering the stage the deal is in, between its first two rows
        per_deal: dict[str, list[Row]] = {}
        for r in sorted(self.tables["deal_stage"], key=lambda r: (r["date_entered"], r["value"] or "")):
            if r["deal_id"] in self.opportunities:
                per_deal.setdefault(r["deal_id"], []).append(r)
        target = min((d for d, rows in per_deal.items()  # room between the first two rows for one more
                      if len(rows) >= 2 and rows[1]["date_entered"] - rows[0]["date_entered"] >= timedelta(seconds=2)),
                     default=None)
        if target is not None:
            first, second = per_deal[target][:2]
            at = first["date_entered"] + timedelta(hours=1)
            if at >= second["date_entered"]:
                at = (first["date_entered"] + (second["date_entered"] - first["date_entered"]) / 2).replace(
                    microsecond=0)
            self._stage_quirk(self.stage_row(target, first["value"], at, max(first["_fivetran_synced"], at)),
                              "no_stage_change")
        # 8. a second, not primary, association of the lowest renewal deal with another company
        other = min(a for a in self.accounts if a != self.opportunities[first_deal["deal_id"]]["account_id"])
        self._association_quirk(self.deal_company_row(first_deal, other, OTHER_ASSOCIATION),
                                "not_primary_association")


# ------------------------------------------------------------------------------------------ twin
def _change_content(row: Row) -> tuple:
    return row["opportunity_id"], row["stage"], row["entered_at"], row["_loaded_at"]


def twin_tables(clean: dict[str, dict[str, Row]], tables: dict[str, list[Row]],
                not_expressed: dict[str, Counter]) -> dict[str, list[Row]]:
    """The contract rows the adapter derives from ``tables`` for the clean rows, sorted by key; counts in
    ``not_expressed`` the clean rows that do not come back as they were."""
    companies = {c["id"]: c for c in tables["company"] if c["id"] in clean["crm.accounts"]}
    twin = {"crm.accounts": [{**clean["crm.accounts"][k], "_loaded_at": companies[k]["_fivetran_synced"]}
                             for k in sorted(companies)]}

    # users: the role from the team's name, the full name from first and last, no hire date
    roles = contract_values()["team"]
    users = []
    for key in sorted(clean["crm.users"]):
        u = clean["crm.users"][key]
        role = roles.get(team_key(u["team"])) if u["team"] is not None else None
        full_name = join_name(*split_name(u["full_name"]))
        if role != u["role"]:
            not_expressed["crm.users"]["role_from_team"] += 1
        if full_name != u["full_name"]:
            not_expressed["crm.users"]["full_name_split"] += 1
        if u["hired_date"] is not None:
            not_expressed["crm.users"]["no_hired_date"] += 1
        users.append({**u, "full_name": full_name, "role": role, "hired_date": None})
    twin["crm.users"] = users

    # ownership: derived from each company's owner-property history
    history: dict[str, list[Row]] = {}
    for h in tables["company_property_history"]:
        history.setdefault(h["company_id"], []).append(h)
    ownership = sorted((r for k, c in companies.items() for r in company_ownership(c, history.get(k, []))),
                       key=lambda r: r["ownership_id"])
    twin["crm.account_ownership"] = ownership
    derived = {(r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in ownership}
    per_account: dict[str, list[Row]] = {}
    for r in clean["crm.account_ownership"].values():
        per_account.setdefault(r["account_id"], []).append(r)
    for r in clean["crm.account_ownership"].values():
        if (r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) not in derived:
            not_expressed["crm.account_ownership"][_ownership_problem(r, per_account[r["account_id"]],
                                                                      set(companies))] += 1

    # stage history: the stage changes of each renewal deal's deal_stage rows, keyed <deal>~<n>
    opportunities = clean["crm.renewal_opportunities"]
    stage_of = {r["stage_id"]: stage for r in tables["deal_pipeline_stage"]
                for stage in rc.OPP_STAGES if r["stage_id"] == stage_id(r["pipeline_id"], stage)}
    changes, previous = [], {}
    for n, r in deal_stage_numbers([r for r in tables["deal_stage"] if r["deal_id"] in opportunities]):
        stage = stage_of.get(r["value"])
        if n == 1 or stage != previous[r["deal_id"]]:
            changes.append({"stage_history_id": f"{r['deal_id']}~{n}", "opportunity_id": r["deal_id"],
                            "stage": stage, "entered_at": r["date_entered"], "_loaded_at": r["_fivetran_synced"]})
        previous[r["deal_id"]] = stage
    twin["crm.opportunity_stage_history"] = sorted(changes, key=lambda r: r["stage_history_id"])
    # each change comes from one clean row (same deal, stage, time and load): its key changed; the clean rows of a
    # renewal that none comes from entered the stage the deal was in (as stage_changes splits them)
    unmatched: dict[tuple, list[str]] = {}
    orphans = 0
    for h in sorted(clean["crm.opportunity_stage_history"].values(), key=lambda r: r["stage_history_id"]):
        if h["opportunity_id"] not in opportunities:
            orphans += 1
        else:
            unmatched.setdefault(_change_content(h), []).append(h["stage_history_id"])
    renamed = 0
    for r in changes:
        renamed += unmatched[_change_content(r)].pop(0) != r["stage_history_id"]
    counts = {"no_opportunity": orphans, "no_stage_change": sum(len(ids) for ids in unmatched.values()),
              "key_from_deal_and_order": renamed}
    for reason, n in counts.items():
        if n:
            not_expressed["crm.opportunity_stage_history"][reason] += n

    # opportunities: proposal and signature dates from the stage changes; a missing probability is the stage's
    out = []
    for key in sorted(opportunities):
        o = opportunities[key]
        d = derived_dates(o, changes)
        if (d["proposal_sent_date"], d["signed_date"]) != (o["proposal_sent_date"], o["signed_date"]):
            not_expressed["crm.renewal_opportunities"]["proposal_or_signed_date_derived"] += 1
        if o["probability_percent"] is None and o["stage"] is not None:
            not_expressed["crm.renewal_opportunities"]["probability_from_stage"] += 1
            d["probability_percent"] = percent_of(STAGE_PROBABILITY[o["stage"]])
        out.append(d)
    twin["crm.renewal_opportunities"] = out
    return twin


# ------------------------------------------------------------------------------------------ files
def write_hubspot(raw_dir: Path, progress: Callable[[str], None] = print) -> dict:
    """Convert the extract at ``raw_dir`` in place to HubSpot's tables (see the module docstring).

    Returns {"kept": {"crm.<table>": keys of the contract rows the adapter derives}, "twin": {"crm.<table>":
    those rows, sorted by key}, "manifest": ...}."""
    return write_crm_vendor(raw_dir, HUBSPOT, REPLACED, _Writer, twin_tables, EXTRA_COLUMNS, progress)


def contract_twin(raw_dir: Path, converted: dict) -> None:
    """Rewrite ``raw_dir``'s five CRM tables (contract format) as the world ``write_hubspot`` expressed: the
    contract rows the adapter derives from its tables (``converted["twin"]``), sorted by key."""
    write_twin(raw_dir, converted["twin"])
