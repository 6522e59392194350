"""Salesforce writer: a generated extract's CRM tables rewritten as Fivetran's Salesforce connector lands them.

``write_salesforce(raw_dir)`` reads ``crm/{accounts,users,account_ownership,renewal_opportunities,
opportunity_stage_history}.parquet`` of a generated extract, keeps the clean rows (no planted quarantine rows; one
version per key, the latest load), writes every table of ``SALESFORCE`` (``salesforce.py``) to
``<raw_dir>/salesforce/<table>.parquet``, plants the vendor quirks the adapter must exclude, removes the five CRM
files it replaces (activities, sponsor changes, value reviews, targets and forecasts stay) and records all of it
in ``_manifest.json``. It returns, beside the manifest, the contract rows the adapter derives from those tables
(``twin``); ``contract_twin(raw_dir, converted)`` rewrites another copy of the same extract with them, so a test
can build both and compare.

The rules are the ones the dbt adapter ``models/staging/crm/salesforce/`` inverts:

* picklists map through seed ``ref_salesforce_values`` (a contract value is written as the first Salesforce
  value the seed lists for it);
* an account is kept in history mode: one version per run of one owner (the ownership periods), starting at
  9:00 on the period's first day, plus an ownerless version the day after a period that no other one follows
  the next day. The adapter's ownership rows are the runs of one owner over the versions (``derive_ownership``);
* an opportunity is a renewal by its type or its record type (the two alternate here); the proposal and
  signature dates are the first entries into proposal_sent and closed_won of its stage history, in which a row
  that does not change the stage is no stage change.

Output is deterministic: rows sorted by id, then version start; timestamps from the data only.
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
from renewal_warehouse.pipeline.vendors.salesforce import CUSTOM_FIELDS, SALESFORCE

ROOT = Path(__file__).resolve().parents[4]
REPLACED = ("crm.accounts", "crm.users", "crm.account_ownership", "crm.renewal_opportunities",
            "crm.opportunity_stage_history")
DAY = timedelta(days=1)
OWNER_HOUR = timedelta(hours=9)  # an ownership change lands in the morning of its first day
END_OF_TIME = datetime(9999, 12, 31, 23, 59, 59)

# seed field -> the contract column it maps (ref_salesforce_values.field)
SEED_FIELDS = {"industry": "industry", "billing_country": "region", "account_source": "acquisition_source",
               "stage_name": "stage", "forecast_category": "forecast_category", "user_role": "role"}
ROLE_PREFIX = "00E_"
RENEWAL_RECORD_TYPE = "012_RENEWAL"
NEW_BUSINESS_RECORD_TYPE = "012_NEW_BUSINESS"
CLOSED_STAGES = ("closed_won", "closed_lost")
OPPORTUNITY_COLUMNS = frozenset(c.name for c in rc.table("crm.renewal_opportunities").columns)

# Columns the connector lands that the adapter does not read (CPQ and standard fields of a real org).
EXTRA_COLUMNS = {
    "account": (("_fivetran_end", "timestamp"), ("rating", "string"), ("sbqq_renewal_model_c", "string")),
    "user": (("alias", "string"), ("time_zone_sid_key", "string")),
    "opportunity": (("sbqq_renewed_contract_c", "string"), ("sbqq_renewal_uplift_rate_c", "float"),
                    ("next_step", "string")),
    "opportunity_history": (("created_by_id", "string"), ("expected_revenue", "float")),
}

# Planted rows' ids
DELETED_ACCOUNT = "001_DELETED_0001"
MERGED_ACCOUNT = "001_MERGED_0001"
NEW_BUSINESS_OPP = "006_NEWBIZ_0001"
DELETED_OPP = "006_DELETED_0001"
INTEGRATION_USER = "005_INTEGRATION_0001"


# ------------------------------------------------------------------------------------------ values
def salesforce_values() -> dict[str, dict[str, str]]:
    """Per seed field, the Salesforce value each contract value is written as: the first the seed lists."""
    labels: dict[str, dict[str, str]] = {}
    with open(ROOT / "seeds" / "ref_salesforce_values.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            labels.setdefault(r["field"], {}).setdefault(r["contract_value"], r["salesforce_value"])
    return labels


def contract_values() -> dict[str, dict[str, str]]:
    """Per seed field, the contract value of each Salesforce value (what the adapter reads)."""
    with open(ROOT / "seeds" / "ref_salesforce_values.csv", newline="") as fh:
        out: dict[str, dict[str, str]] = {}
        for r in csv.DictReader(fh):
            out.setdefault(r["field"], {})[r["salesforce_value"]] = r["contract_value"]
    return out


def to_salesforce(labels: dict[str, dict[str, str]], field: str, value: str | None) -> str | None:
    """A contract value as the Salesforce value written for it (null stays null)."""
    if value is None:
        return None
    if value not in labels[field]:
        raise ValueError(f"seed ref_salesforce_values has no {field} value for contract value {value!r}")
    return labels[field][value]


def _float(value: Decimal | None) -> float | None:
    """A decimal as the float a Salesforce number field holds (casting it back to the decimal's scale gives it)."""
    return None if value is None else float(value)


def version_key(row: Row) -> str:
    """A version's key in the adapter's ledger: id@start, the start as SQL casts a timestamp to text."""
    return f"{row['id']}@{row['_fivetran_start']}"


def _sort_key(row: Row) -> tuple:
    return row["id"], row.get("_fivetran_start") or datetime.min


# ------------------------------------------------------------------------------------------ accounts
def ownership_runs(rows: list[Row]) -> list[list[Row]]:
    """An account's ownership rows (by valid_from) grouped in runs: consecutive rows of one owner with no gap."""
    runs: list[list[Row]] = []
    for row in sorted(rows, key=lambda r: (r["valid_from"], r["ownership_id"])):
        prev = runs[-1][-1] if runs else None
        if prev is not None and prev["owner_user_id"] == row["owner_user_id"] and (
                prev["valid_to"] is None or prev["valid_to"] + DAY >= row["valid_from"]):
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _run_end(run: list[Row]) -> date | None:
    ends = [r["valid_to"] for r in run]
    return None if None in ends else max(ends)


def account_versions(account: Row, ownership: list[Row], labels: dict[str, dict[str, str]]) -> list[Row]:
    """The history-mode versions of one account: one per run of one owner, and an ownerless one from the day
    after a run that no other run follows the next day (see the module docstring)."""
    base = {"id": account["account_id"], "name": account["account_name"], "parent_id": account["parent_account_id"],
            "industry": to_salesforce(labels, "industry", account["industry"]),
            "billing_country": to_salesforce(labels, "billing_country", account["region"]),
            "number_of_employees": account["employee_count"],
            "account_source": to_salesforce(labels, "account_source", account["acquisition_source"]),
            "owner_id": None, "created_date": account["created_at"], "is_deleted": False, "master_record_id": None,
            "_fivetran_active": False, "_fivetran_start": None, "_fivetran_synced": None,
            "_fivetran_end": None, "rating": None, "sbqq_renewal_model_c": "Contract Based"}
    if not ownership:
        return set_version_ends([{**base, "_fivetran_active": True, "_fivetran_start": account["created_at"],
                                  "_fivetran_synced": account["_loaded_at"]}])
    versions: list[tuple[Row, Row]] = []  # (version, the ownership row it comes from)
    runs = ownership_runs(ownership)
    if account["created_at"] is not None and account["created_at"].date() < runs[0][0]["valid_from"]:
        # owned by nobody from its creation to its first period: an ownerless first version (else the adapter would
        # give the first owner the account since its creation)
        versions.append(({**base, "_fivetran_start": account["created_at"]}, runs[0][0]))
    for i, run in enumerate(runs):
        first = run[0]
        versions.append(({**base, "owner_id": first["owner_user_id"], "_fivetran_start": ts(first["valid_from"])
                          + OWNER_HOUR}, first))
        end = _run_end(run)
        following = runs[i + 1][0]["valid_from"] if i + 1 < len(runs) else None
        if end is not None and (following is None or following > end + DAY):
            versions.append(({**base, "_fivetran_start": ts(end + DAY) + OWNER_HOUR}, first))
    for i, (version, row) in enumerate(versions):
        last = i == len(versions) - 1
        version["_fivetran_active"] = last
        version["_fivetran_synced"] = max(account["_loaded_at"], row["_loaded_at"]) if last else row["_loaded_at"]
    return set_version_ends([v for v, _row in versions])


def set_version_ends(versions: list[Row]) -> list[Row]:
    """Fill _fivetran_end on one record's versions: a second before the next one starts (the current one: the
    end of time)."""
    versions.sort(key=lambda v: v["_fivetran_start"])
    for v, nxt in zip(versions, versions[1:] + [None], strict=True):
        v["_fivetran_end"] = END_OF_TIME if nxt is None else nxt["_fivetran_start"] - timedelta(seconds=1)
    return versions


def derive_ownership(versions: list[Row]) -> list[Row]:
    """The ownership rows the adapter derives from one account's versions: a run starts at a version whose owner
    differs (null-safe) from the previous version's; of two run starts on one date only the later counts, and none
    when that leaves the owner as the previous day's run had it; an ownerless run makes no row; a run ends the day
    before the next run starts, the last one is open (the writer's accounts all end on an active version); the
    first run starts at the account's creation when its first version starts later."""
    ordered = sorted(versions, key=lambda v: (v["_fivetran_start"], v["_fivetran_synced"], v["id"]))
    starts: list[Row] = []
    for i, v in enumerate(ordered):
        if i == 0 or v["owner_id"] != ordered[i - 1]["owner_id"]:
            starts.append(v)
    created = ordered[0].get("created_date") if ordered else None
    if created is not None and created < ordered[0]["_fivetran_start"]:
        # history mode began after the account's creation: its first owner has owned it since then
        starts[0] = {**starts[0], "_fivetran_start": created}
    day_runs = [s for s, nxt in zip(starts, starts[1:] + [None], strict=True)
                if nxt is None or nxt["_fivetran_start"].date() != s["_fivetran_start"].date()]
    # a day's changes that end with the owner it started with (U1 to U2 and back) start no period
    kept = [r for i, r in enumerate(day_runs) if i == 0 or r["owner_id"] != day_runs[i - 1]["owner_id"]]
    rows = []
    for s, nxt in zip(kept, kept[1:] + [None], strict=True):
        if s["owner_id"] is None:
            continue
        valid_from = s["_fivetran_start"].date()
        valid_to = None if nxt is None else nxt["_fivetran_start"].date() - DAY
        rows.append({"ownership_id": f"{s['id']}~{valid_from:%Y%m%d}", "account_id": s["id"],
                     "owner_user_id": s["owner_id"], "valid_from": valid_from, "valid_to": valid_to,
                     "_loaded_at": s["_fivetran_synced"]})
    return rows


def _ownership_problem(row: Row, rows: list[Row], accounts: set[str]) -> str:
    """Why an original ownership row is not among the derived ones."""
    if row["account_id"] not in accounts:
        return "no_account"
    for other in rows:
        if other is row:
            continue
        if other["valid_from"] <= (row["valid_to"] or date.max) and row["valid_from"] <= (other["valid_to"]
                                                                                          or date.max):
            return "overlapping_periods"
        if other["owner_user_id"] == row["owner_user_id"] and (
                other["valid_to"] is not None and other["valid_to"] + DAY == row["valid_from"]
                or row["valid_to"] is not None and row["valid_to"] + DAY == other["valid_from"]):
            return "same_owner_periods_merged"
    return "not_reproduced"


# ------------------------------------------------------------------------------------------ stage history
def stage_changes(history: list[Row]) -> tuple[list[Row], list[Row]]:
    """Contract stage-history rows split in (stage changes, rows entering the stage the opportunity was already
    in): per opportunity, by (entered_at, stage_history_id)."""
    by_opp: dict[str, list[Row]] = {}
    for row in history:
        by_opp.setdefault(row["opportunity_id"], []).append(row)
    kept, dropped = [], []
    for rows in by_opp.values():
        rows.sort(key=lambda r: (r["entered_at"], r["stage_history_id"]))
        for i, row in enumerate(rows):
            (dropped if i > 0 and row["stage"] == rows[i - 1]["stage"] else kept).append(row)
    return kept, dropped


def derived_dates(opportunity: Row, history: list[Row]) -> Row:
    """The opportunity with proposal_sent_date and signed_date from its (stage-change) history: the dates of the
    first entries into proposal_sent and closed_won, if any."""
    own = sorted((h for h in history if h["opportunity_id"] == opportunity["opportunity_id"]),
                 key=lambda r: (r["entered_at"], r["stage_history_id"]))
    first = {}
    for h in own:
        first.setdefault(h["stage"], h["entered_at"].date())
    return {**opportunity, "proposal_sent_date": first.get("proposal_sent"), "signed_date": first.get("closed_won")}


# ------------------------------------------------------------------------------------------ tables
class _Writer:
    """The Salesforce tables of one extract, built from its clean CRM rows."""

    def __init__(self, clean: dict[str, dict[str, Row]], as_of: date, extracted_at: datetime):
        self.accounts = clean["crm.accounts"]
        self.users = clean["crm.users"]
        self.ownership = clean["crm.account_ownership"]
        self.opportunities = clean["crm.renewal_opportunities"]
        self.history = clean["crm.opportunity_stage_history"]
        self.as_of, self.extracted_at = as_of, extracted_at
        self.labels = salesforce_values()
        self.tables: dict[str, list[Row]] = {t.name: [] for t in SALESFORCE.tables}
        self.quirks: list[Row] = []

    def label(self, field: str, value: str | None) -> str | None:
        return to_salesforce(self.labels, field, value)

    def build(self) -> None:
        self._accounts()
        self._users()
        self.tables["record_type"] = [
            {"id": RENEWAL_RECORD_TYPE, "name": "Renewal", "developer_name": "Renewal", "sobject_type": "Opportunity",
             "_fivetran_synced": self.extracted_at},
            {"id": NEW_BUSINESS_RECORD_TYPE, "name": "New Business", "developer_name": "New_Business",
             "sobject_type": "Opportunity", "_fivetran_synced": self.extracted_at}]
        # the new-business record type: no renewal uses it
        self.quirks.append({"table": "salesforce.record_type", "key": NEW_BUSINESS_RECORD_TYPE,
                            "reason": "not_renewal"})
        self._opportunities()
        self._history()
        self._plant_quirks()
        for rows in self.tables.values():
            rows.sort(key=_sort_key)

    def _accounts(self) -> None:
        by_account: dict[str, list[Row]] = {}
        for row in self.ownership.values():
            by_account.setdefault(row["account_id"], []).append(row)
        for account_id in sorted(self.accounts):
            self.tables["account"] += account_versions(self.accounts[account_id], by_account.get(account_id, []),
                                                       self.labels)

    def _users(self) -> None:
        roles: dict[str, datetime] = {}
        for u in sorted(self.users.values(), key=lambda u: u["user_id"]):
            role = self.label("user_role", u["role"])
            if role is not None:
                roles[role] = min(roles.get(role, u["_loaded_at"]), u["_loaded_at"])
            self.tables["user"].append({
                "id": u["user_id"], "name": u["full_name"], "email": u["email"], "is_active": u["is_active"],
                "user_role_id": None if role is None else ROLE_PREFIX + role, "department": u["team"],
                "user_type": "Standard", "hire_date_c": u[_contract_column("hire_date_c")],
                "_fivetran_deleted": False, "_fivetran_synced": u["_loaded_at"],
                "alias": _alias(u["full_name"]), "time_zone_sid_key": "America/Los_Angeles"})
        self.tables["user_role"] = [{"id": ROLE_PREFIX + role, "name": role.replace("_", " "),
                                     "developer_name": role, "_fivetran_synced": synced}
                                    for role, synced in roles.items()]

    def opportunity_row(self, o: Row) -> Row:
        row = {"id": o["opportunity_id"], "account_id": o["account_id"], "owner_id": o["owner_user_id"],
               "type": None, "record_type_id": None,
               "stage_name": self.label("stage_name", o["stage"]),
               "forecast_category": self.label("forecast_category", o["forecast_category"]),
               "probability": _float(o["probability_percent"]), "currency_iso_code": o["currency"],
               "amount": _float(o["renewal_arr_amount"]), "close_date": o["close_date"],
               "created_date": ts(o["created_date"]), "is_deleted": False,
               "is_closed": o["stage"] in CLOSED_STAGES, "is_won": o["stage"] == "closed_won",
               "system_modstamp": o["updated_at"]}
        for column, field in CUSTOM_FIELDS.items():
            if column in OPPORTUNITY_COLUMNS:
                value = o[column]
                row[field] = _float(value) if isinstance(value, Decimal) else value
        return {**row, "_fivetran_active": True, "_fivetran_start": o["updated_at"],
                "_fivetran_synced": o["_loaded_at"], "sbqq_renewed_contract_c": o["expiring_contract_id"],
                "sbqq_renewal_uplift_rate_c": None, "next_step": None}

    def _opportunities(self) -> None:
        for i, opp_id in enumerate(sorted(self.opportunities)):
            row = self.opportunity_row(self.opportunities[opp_id])
            if i % 2 == 0:
                row["type"] = "Renewal"
            else:
                row["record_type_id"] = RENEWAL_RECORD_TYPE
            self.tables["opportunity"].append(row)

    def history_row(self, h: Row, opportunity: Row | None) -> Row:
        o = opportunity or {}
        return {"id": h["stage_history_id"], "opportunity_id": h["opportunity_id"],
                "stage_name": self.label("stage_name", h["stage"]), "amount": o.get("amount"),
                "close_date": o.get("close_date"), "probability": o.get("probability"),
                "forecast_category": o.get("forecast_category"), "created_date": h["entered_at"],
                "is_deleted": False, "_fivetran_synced": h["_loaded_at"], "created_by_id": o.get("owner_id"),
                "expected_revenue": None}

    def _history(self) -> None:
        opportunities = {o["id"]: o for o in self.tables["opportunity"]}
        for h in sorted(self.history.values(), key=lambda r: r["stage_history_id"]):
            self.tables["opportunity_history"].append(self.history_row(h, opportunities.get(h["opportunity_id"])))

    # ------------------------------------------------------------------ planted quirks
    def _quirk(self, table: str, row: Row, reason: str, key: str | None = None) -> None:
        self.tables[table].append(row)
        self.quirks.append({"table": f"salesforce.{table}", "key": key or row["id"], "reason": reason})

    def _plant_quirks(self) -> None:
        """Rows a real Salesforce org has and the adapter must exclude or resolve (none changes the contract
        rows)."""
        synced, as_of = self.extracted_at, ts(self.as_of)
        accounts = self.tables["account"]
        opportunities = self.tables["opportunity"]
        # 1. a superseded version of an account inside its first run of one owner (same owner, other size)
        by_account: dict[str, list[Row]] = {}
        for v in accounts:
            by_account.setdefault(v["id"], []).append(v)
        versioned = min((a for a, vs in by_account.items() if len(vs) >= 2), default=None)
        if versioned is not None:
            versions = sorted(by_account[versioned], key=lambda v: v["_fivetran_start"])
            first, second = versions[0], versions[1]
            start = first["_fivetran_start"] + DAY
            if start.date() >= second["_fivetran_start"].date():
                start = first["_fivetran_start"] + (second["_fivetran_start"] - first["_fivetran_start"]) / 2
                start = start.replace(microsecond=0)
            planted = {**first, "number_of_employees": (first["number_of_employees"] or 0) + 1,
                       "_fivetran_active": False, "_fivetran_start": start}
            self._quirk("account", planted, "superseded_version", version_key(planted))
            set_version_ends(versions + [planted])
        real = self.accounts[min(self.accounts)]
        account = {"parent_id": None, "industry": self.label("industry", real["industry"]),
                   "billing_country": self.label("billing_country", real["region"]),
                   "number_of_employees": 10, "account_source": self.label("account_source",
                                                                             real["acquisition_source"]),
                   "owner_id": None, "is_deleted": True, "_fivetran_active": True, "_fivetran_synced": synced,
                   "_fivetran_end": END_OF_TIME, "rating": None, "sbqq_renewal_model_c": None}
        # 2. a deleted account nothing references
        self._quirk("account", {**account, "id": DELETED_ACCOUNT, "name": "Deleted Prospect Inc",
                                "created_date": as_of - 30 * DAY, "master_record_id": None,
                                "_fivetran_start": as_of - 30 * DAY}, "deleted_unreferenced")
        # 3. an account merged into another (its duplicate, deleted): the lowest-id opportunity still points at it
        current = {v["id"]: v for v in accounts if v["_fivetran_active"] and v["id"] in self.accounts}
        first_opp = min((o for o in opportunities if o["account_id"] in current), key=lambda o: o["id"])
        survivor = current[first_opp["account_id"]]
        self._quirk("account", {**survivor, "id": MERGED_ACCOUNT, "parent_id": None, "owner_id": None,
                                "is_deleted": True, "master_record_id": survivor["id"], "_fivetran_active": True,
                                "_fivetran_start": survivor["created_date"], "_fivetran_synced": synced,
                                "_fivetran_end": END_OF_TIME}, "merged")
        first_opp["account_id"] = MERGED_ACCOUNT
        custom = {field: None for column, field in CUSTOM_FIELDS.items() if column in OPPORTUNITY_COLUMNS}
        new_opp = {"account_id": real["account_id"], "owner_id": first_opp["owner_id"],
                   "stage_name": self.label("stage_name", "negotiation"),
                   "forecast_category": self.label("forecast_category", "commit"), "probability": 60.0,
                   "currency_iso_code": "USD", "amount": 25000.0, "close_date": self.as_of + 30 * DAY,
                   "created_date": as_of - 60 * DAY, "is_deleted": False, "is_closed": False, "is_won": False,
                   "system_modstamp": as_of - 10 * DAY, **custom, "_fivetran_active": True,
                   "_fivetran_start": as_of - 10 * DAY, "_fivetran_synced": synced, "sbqq_renewed_contract_c": None,
                   "sbqq_renewal_uplift_rate_c": None, "next_step": None}
        history = {"amount": new_opp["amount"], "close_date": new_opp["close_date"],
                   "probability": new_opp["probability"], "forecast_category": new_opp["forecast_category"],
                   "is_deleted": False, "_fivetran_synced": synced, "created_by_id": new_opp["owner_id"],
                   "expected_revenue": None}
        # 4. a new-business opportunity (not a renewal by type nor record type) and its history
        self._quirk("opportunity", {**new_opp, "id": NEW_BUSINESS_OPP, "type": "New Business",
                                    "record_type_id": NEW_BUSINESS_RECORD_TYPE}, "not_renewal")
        for i, stage in enumerate(("not_engaged", "negotiation"), start=1):
            self._quirk("opportunity_history", {**history, "id": f"00H_NEWBIZ_{i:04d}",
                                                "opportunity_id": NEW_BUSINESS_OPP,
                                                "stage_name": self.label("stage_name", stage),
                                                "created_date": as_of - (60 - 50 * (i - 1)) * DAY}, "not_renewal")
        # 5. a deleted renewal opportunity and its deleted history row
        self._quirk("opportunity", {**new_opp, "id": DELETED_OPP, "type": "Renewal", "record_type_id": None,
                                    "is_deleted": True}, "deleted_unreferenced")
        self._quirk("opportunity_history", {**history, "id": "00H_DELETED_0001", "opportunity_id": DELETED_OPP,
                                            "stage_name": new_opp["stage_name"], "created_date": as_of - 60 * DAY,
                                            "is_deleted": True}, "deleted")
        # 6. an older version of the lowest-id opportunity, from when it was created
        start = min(first_opp["created_date"], first_opp["_fivetran_start"] - DAY)
        older = {**first_opp, "stage_name": self.label("stage_name", "not_engaged"),
                 "forecast_category": self.label("forecast_category", "pipeline"), "is_closed": False,
                 "is_won": False, "system_modstamp": start, "_fivetran_active": False, "_fivetran_start": start,
                 "_fivetran_synced": first_opp["_fivetran_synced"] - DAY}
        self._quirk("opportunity", older, "superseded_version", version_key(older))
        # 7. a history row that changed the amount, not the stage
        per_opp: dict[str, list[Row]] = {}
        for h in sorted(self.history.values(), key=lambda r: (r["entered_at"], r["stage_history_id"])):
            per_opp.setdefault(h["opportunity_id"], []).append(h)
        target = min((o for o, rows in per_opp.items()  # room between the first two rows for one more
                      if len(rows) >= 2 and rows[1]["entered_at"] - rows[0]["entered_at"] >= timedelta(seconds=2)),
                     default=None)
        if target is not None:
            first, second = per_opp[target][:2]
            at = first["entered_at"] + timedelta(hours=1)
            if at >= second["entered_at"]:
                at = (first["entered_at"] + (second["entered_at"] - first["entered_at"]) / 2).replace(microsecond=0)
            opp = next((o for o in opportunities if o["id"] == target and o["_fivetran_active"]), None)
            row = self.history_row({**first, "stage_history_id": "00H_AMOUNT_0001", "entered_at": at}, opp)
            row["amount"] = (row["amount"] or 0.0) + 100
            self._quirk("opportunity_history", row, "no_stage_change")
        # 8. an integration user that owns nothing
        self._quirk("user", {"id": INTEGRATION_USER, "name": "Integration User", "email": "integration@example.com",
                             "is_active": True, "user_role_id": None, "department": None,
                             "user_type": "AutomatedProcess", "hire_date_c": None, "_fivetran_deleted": False,
                             "_fivetran_synced": synced, "alias": "integrat",
                             "time_zone_sid_key": "America/Los_Angeles"}, "not_standard_user")


def _contract_column(field: str) -> str:
    return next(column for column, f in CUSTOM_FIELDS.items() if f == field)


def _alias(name: str | None) -> str | None:
    return None if name is None else name.lower().replace(" ", "")[:8]


# ------------------------------------------------------------------------------------------ twin
def twin_tables(clean: dict[str, dict[str, Row]], tables: dict[str, list[Row]],
                not_expressed: dict[str, Counter]) -> dict[str, list[Row]]:
    """The contract rows the adapter derives from ``tables``, sorted by key; counts in ``not_expressed`` the
    clean rows that do not come back as they were."""
    account_ids = {v["id"] for v in tables["account"]} & set(clean["crm.accounts"])
    # an account's _loaded_at is its current version's _fivetran_synced: the later of its own and its last
    # ownership period's loads (Salesforce syncs one record)
    synced = {v["id"]: v["_fivetran_synced"] for v in tables["account"] if v["_fivetran_active"]}
    twin = {"crm.accounts": [{**clean["crm.accounts"][k], "_loaded_at": synced[k]} for k in sorted(account_ids)],
            "crm.users": [clean["crm.users"][k] for k in sorted(clean["crm.users"])]}
    by_account: dict[str, list[Row]] = {}
    for v in tables["account"]:
        if v["id"] in account_ids:
            by_account.setdefault(v["id"], []).append(v)
    ownership = sorted((r for versions in by_account.values() for r in derive_ownership(versions)),
                       key=lambda r: r["ownership_id"])
    twin["crm.account_ownership"] = ownership
    derived = {(r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) for r in ownership}
    original = clean["crm.account_ownership"]
    per_account: dict[str, list[Row]] = {}
    for r in original.values():
        per_account.setdefault(r["account_id"], []).append(r)
    for r in original.values():
        if (r["account_id"], r["owner_user_id"], r["valid_from"], r["valid_to"]) not in derived:
            not_expressed["crm.account_ownership"][_ownership_problem(r, per_account[r["account_id"]],
                                                                      account_ids)] += 1
    history, same_stage = stage_changes(list(clean["crm.opportunity_stage_history"].values()))
    if same_stage:
        not_expressed["crm.opportunity_stage_history"]["no_stage_change"] += len(same_stage)
    twin["crm.opportunity_stage_history"] = sorted(history, key=lambda r: r["stage_history_id"])
    opportunities = []
    for key in sorted(clean["crm.renewal_opportunities"]):
        o = clean["crm.renewal_opportunities"][key]
        d = derived_dates(o, history)
        if d != o:
            not_expressed["crm.renewal_opportunities"]["proposal_or_signed_date_derived"] += 1
        opportunities.append(d)
    twin["crm.renewal_opportunities"] = opportunities
    return twin


# ------------------------------------------------------------------------------------------ files
def write_salesforce(raw_dir: Path, progress: Callable[[str], None] = print) -> dict:
    """Convert the extract at ``raw_dir`` in place to Salesforce's tables (see the module docstring).

    Returns {"kept": {"crm.<table>": keys of the contract rows the adapter derives}, "twin": {"crm.<table>":
    those rows, sorted by key}, "manifest": ...}."""
    return write_crm_vendor(raw_dir, SALESFORCE, REPLACED, _Writer, twin_tables, EXTRA_COLUMNS, progress)


def contract_twin(raw_dir: Path, converted: dict) -> None:
    """Rewrite ``raw_dir``'s five CRM tables (contract format) as the world ``write_salesforce`` expressed: the
    contract rows the adapter derives from its tables (``converted["twin"]``), sorted by key."""
    write_twin(raw_dir, converted["twin"])
