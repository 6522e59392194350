"""Stripe writer: a generated extract's billing tables rewritten as Fivetran's Stripe connector lands them.

``write_stripe(raw_dir)`` reads ``billing/{contracts,contract_lines,products}.parquet`` of a generated extract,
keeps the clean rows (no planted quarantine rows; one version per key, the latest load), writes every table of
``STRIPE`` (``stripe.py``) to ``<raw_dir>/stripe/<table>.parquet``, plants the vendor quirks the adapter must
exclude, removes the three billing files (FX rates stay) and records all of it in ``_manifest.json``.
``contract_twin(raw_dir, kept)`` rewrites another copy of the same extract as the contract-format twin of that
world, so a test can build both and compare.

The rules (which row becomes what, amounts, coupons, history versions, quirks) are the ones the dbt adapter
``models/staging/billing/stripe/`` inverts, written out in ``docs/sources/stripe.md`` ("The demo in Stripe's
shape"). Output is deterministic: rows sorted by id, timestamps from the data only.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.common import add_months
from renewal_warehouse.pipeline.vendors.extract import (
    Row,
    clean_rows,
    raw_path,
    read_table,
    ts,
    twin_rows,
    write_parquet,
    write_vendor,
)
from renewal_warehouse.pipeline.vendors.stripe import STRIPE

ROOT = Path(__file__).resolve().parents[4]
BILLING = ("billing.contracts", "billing.contract_lines", "billing.products")
DAY = timedelta(days=1)

# Stripe's own minor units: these differ from ISO 4217 only for ISK (Stripe keeps two decimals, ISO none).
STRIPE_EXP_0 = frozenset({"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
                          "XAF", "XOF", "XPF"})
STRIPE_EXP_3 = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})

# Columns the connector lands that the adapter does not read (like the loader extras of other sources).
EXTRA_COLUMNS = {
    "subscription_history": (("collection_method", "string"), ("description", "string")),
    "subscription_item": (("metadata", "string"),),
}



# ------------------------------------------------------------------------------------------ amounts
def iso_exponents() -> dict[str, int]:
    """ISO 4217 minor-unit exponent per currency, from seeds/ref_currencies.csv."""
    with open(ROOT / "seeds" / "ref_currencies.csv", newline="") as fh:
        return {r["currency"]: int(r["minor_unit_exponent"]) for r in csv.DictReader(fh)}


def stripe_exponent(currency: str) -> int:
    code = currency.upper()
    return 0 if code in STRIPE_EXP_0 else 3 if code in STRIPE_EXP_3 else 2


def stripe_amount(iso_minor: int, currency: str, iso_exp: dict[str, int] | None = None) -> int:
    """An amount in ISO minor units as Stripe stores it (ISK 5 -> 500; JPY, USD, KWD unchanged)."""
    exp = (iso_exp or iso_exponents())[currency.upper()]
    shift = stripe_exponent(currency) - exp
    if shift < 0:
        raise ValueError(f"{currency}: Stripe has fewer decimals than ISO 4217; amounts would lose precision")
    return iso_minor * 10**shift


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------------------------------ dates
def current_period(start: date, end: date | None, billing_period: str, as_of: date) -> tuple[date, date]:
    """The billing period (start, exclusive end) that contains min(as_of, end or as_of); the first one when
    that day is before the start. A "term" period is the whole term."""
    if billing_period == "term" and end is not None:
        return start, end + DAY
    day = min(as_of, end or as_of)
    step = 12 if billing_period == "year" else 1
    k = max(0, ((day.year - start.year) * 12 + day.month - start.month) // step)
    while k > 0 and add_months(start, k * step) > day:
        k -= 1
    return add_months(start, k * step), add_months(start, (k + 1) * step)


# ------------------------------------------------------------------------------------------ tables
def customers(contracts: list[Row]) -> list[Row]:
    rows = []
    by_account: dict[str, list[Row]] = {}
    for c in contracts:
        by_account.setdefault(c["account_id"], []).append(c)
    for account_id, own in by_account.items():
        first = min(own, key=lambda c: (c["signed_date"], c["contract_id"]))
        rows.append({"id": "cus_" + account_id, "livemode": True, "is_deleted": False,
                     "currency": first["currency"].lower(),
                     "metadata": json.dumps({"account_id": account_id}, sort_keys=True),
                     "created": ts(first["signed_date"]), "_fivetran_synced": max(c["_loaded_at"] for c in own)})
    return rows


def subscription_versions(c: Row, billing_period: str, as_of: date) -> list[Row]:
    """The history-mode rows of one contract's subscription: the current version, and for one that ended
    the version from before it ended."""
    start, end, trial = c["start_date"], c["end_date"], c["contract_type"] == "trial"
    after_end = ts(end + DAY) if end is not None else None
    evergreen_ends = end is not None and c["term_months"] is None and not trial
    period_start, period_end = current_period(start, end, billing_period, as_of)
    row = {"id": c["contract_id"], "customer_id": "cus_" + c["account_id"], "status": None,
           "created": ts(c["signed_date"]), "start_date": ts(start), "cancel_at": None,
           "cancel_at_period_end": False, "canceled_at": None, "ended_at": None,
           "current_period_start": ts(period_start),
           "current_period_end": after_end if evergreen_ends else ts(period_end),
           "trial_start": ts(start) if trial else None, "trial_end": after_end if trial else None,
           "livemode": True,
           "metadata": json.dumps({"renews": c["predecessor_contract_id"]})
           if c["predecessor_contract_id"] is not None else "{}",
           "_fivetran_active": True, "_fivetran_start": None, "_fivetran_synced": c["_loaded_at"],
           "collection_method": "charge_automatically", "description": None}
    if evergreen_ends:
        row["cancel_at_period_end"] = True
        row["canceled_at"] = max(ts(start), after_end - timedelta(days=15))
    elif end is not None:  # a trial or a fixed term
        row["cancel_at"] = after_end
    running = "trialing" if trial else "active"
    if end is None or end >= as_of:
        return [{**row, "status": running, "_fivetran_start": row["created"]}]
    current = {**row, "status": "canceled", "ended_at": after_end, "canceled_at": row["canceled_at"] or after_end,
               "_fivetran_start": after_end}
    before = {**row, "status": running, "canceled_at": None, "cancel_at_period_end": False, "_fivetran_active": False,
              "_fivetran_start": row["created"], "_fivetran_synced": c["_loaded_at"] - DAY}
    return [before, current]


def price_interval(line: Row) -> tuple[str, int]:
    period = line["billing_period"]
    if period in ("month", "year"):
        return period, 1
    if line["end_date"] is None:
        raise ValueError(f"term line {line['contract_line_id']} has no end date: its interval is undefined")
    days = (line["end_date"] + DAY - line["start_date"]).days
    return "month", max(2, round(days / 30.44))


def encode_discount(list_iso: int, net_iso: int, quantity: int, currency: str, iso_exp: dict[str, int]) -> Row | None:
    """The coupon (without _fivetran_synced) that turns ``list_iso`` into ``net_iso`` under the adapter's rule,
    or None when none does: a shared percent coupon when the rounded percent reproduces the net, else an amount
    coupon of (list - net) x quantity per billing period."""
    if net_iso > list_iso:
        return None
    if list_iso > 0:
        p = round((1 - Decimal(net_iso) / Decimal(list_iso)) * 100, 2)
        if round_half_up(Decimal(list_iso) * (100 - p) / 100) == net_iso:
            return {"id": f"coupon_pct_{p}", "percent_off": float(p), "amount_off": None, "currency": None}
    if quantity > 0:
        amount_off = stripe_amount((list_iso - net_iso) * quantity, currency, iso_exp)
        return {"id": f"coupon_amt_{currency.lower()}_{amount_off}", "percent_off": None,
                "amount_off": amount_off, "currency": currency.lower()}
    return None


def line_problem(line: Row, subscription: Row | None) -> str | None:
    """Why a clean line cannot be an item of its subscription as the adapter reads it, if it cannot."""
    if subscription is None:
        return "no_subscription"
    if line["end_date"] != subscription["end_date"] or line["start_date"] < subscription["start_date"]:
        return "line_end_differs"
    return None


class _Writer:
    """The Stripe tables of one extract, built from its clean billing rows."""

    def __init__(self, contracts: dict[str, Row], lines: dict[str, Row], products: dict[str, Row], as_of: date):
        self.contracts, self.lines, self.products, self.as_of = contracts, lines, products, as_of
        self.iso_exp = iso_exponents()
        self.tables: dict[str, list[Row]] = {t.name: [] for t in STRIPE.tables}
        self.quirks: list[Row] = []
        self.not_expressed: Counter = Counter()  # of billing.contract_lines
        self.expressed_lines: set[str] = set()

    def build(self, extracted_at: datetime) -> None:
        contracts = sorted(self.contracts.values(), key=lambda c: c["contract_id"])
        self.tables["customer"] = customers(contracts)
        self._subscriptions(contracts)
        self._items()
        self.tables["product"] = [self._product(p) for p in self.products.values()]
        self._plant_quirks(extracted_at)

    def _subscriptions(self, contracts: list[Row]) -> None:
        for c in contracts:
            if c["contract_type"] == "amendment":
                continue
            own = sorted((ln for ln in self.lines.values() if ln["contract_id"] == c["contract_id"]),
                         key=lambda ln: ln["contract_line_id"])
            versions = subscription_versions(c, own[0]["billing_period"] if own else "month", self.as_of)
            self.tables["subscription_history"] += versions
            self.quirks += [{"table": "stripe.subscription_history", "key": v["id"], "reason": "superseded_version"}
                            for v in versions if not v["_fivetran_active"]]

    def _items(self) -> None:
        prices: dict[tuple, Row] = {}
        coupons: dict[str, Row] = {}
        for line in sorted(self.lines.values(), key=lambda ln: ln["contract_line_id"]):
            contract = self.contracts.get(line["contract_id"])
            sub_id = None if contract is None else contract["amends_contract_id"] or contract["contract_id"]
            problem = line_problem(line, self.contracts.get(sub_id))
            coupon = None
            if problem is None and line["unit_net_price_minor"] != line["unit_list_price_minor"] \
                    and contract["contract_type"] != "trial":
                coupon = encode_discount(line["unit_list_price_minor"], line["unit_net_price_minor"],
                                         line["quantity"], line["currency"], self.iso_exp)
                problem = "net_price" if coupon is None else None
            elif problem is None and contract["contract_type"] == "trial" and line["unit_net_price_minor"] != 0:
                problem = "net_price"
            if problem is not None:
                self.not_expressed[problem] += 1
                continue
            self.expressed_lines.add(line["contract_line_id"])
            price = self._price(line, prices)
            self.tables["subscription_item"].append({
                "id": line["contract_line_id"], "subscription_id": sub_id, "plan_id": price["id"],
                "quantity": line["quantity"], "created": ts(line["start_date"]),
                "_fivetran_synced": line["_loaded_at"], "metadata": "{}"})
            if coupon is not None:
                self._discount(line, contract, sub_id, coupon, coupons)
        self.tables["price"] = list(prices.values())
        self.tables["coupon"] = list(coupons.values())

    def _price(self, line: Row, prices: dict[tuple, Row]) -> Row:
        interval, count = price_interval(line)
        amount = stripe_amount(line["unit_list_price_minor"], line["currency"], self.iso_exp)
        currency = line["currency"].lower()
        key = (line["product_id"], currency, amount, interval, count)
        if key not in prices:
            prices[key] = {"id": f"price_{line['product_id']}_{currency}_{interval}{count}_{amount}",
                           "product_id": line["product_id"], "currency": currency, "unit_amount": amount,
                           "type": "recurring", "billing_scheme": "per_unit", "recurring_interval": interval,
                           "recurring_interval_count": count, "recurring_usage_type": "licensed",
                           "livemode": True, "is_deleted": False, "_fivetran_synced": line["_loaded_at"]}
        price = prices[key]
        price["_fivetran_synced"] = min(price["_fivetran_synced"], line["_loaded_at"])
        return price

    def _discount(self, line: Row, contract: Row, sub_id: str, coupon: Row, coupons: dict[str, Row]) -> None:
        if coupon["id"] not in coupons:
            coupons[coupon["id"]] = {**coupon, "duration": "forever", "duration_in_months": None, "livemode": True,
                                     "_fivetran_synced": line["_loaded_at"]}
        shared = coupons[coupon["id"]]
        shared["_fivetran_synced"] = min(shared["_fivetran_synced"], line["_loaded_at"])
        self.tables["discount"].append({
            "id": "di_" + line["contract_line_id"], "type": "subscription_item", "type_id": line["contract_line_id"],
            "coupon_id": coupon["id"], "customer_id": "cus_" + contract["account_id"], "subscription_id": sub_id,
            "start": ts(line["start_date"]), "end": None, "_fivetran_synced": line["_loaded_at"]})

    @staticmethod
    def _product(p: Row) -> Row:
        meta = {k: p[k] for k in ("product_family", "plan_tier", "tier_rank", "is_add_on") if p[k] is not None}
        return {"id": p["product_id"], "name": p["product_name"], "metadata": json.dumps(meta, sort_keys=True),
                "livemode": True, "is_deleted": False, "_fivetran_synced": p["_loaded_at"]}

    # ------------------------------------------------------------------ planted quirks
    def _quirk(self, table: str, row: Row, reason: str) -> None:
        self.tables[table].append(row)
        self.quirks.append({"table": f"stripe.{table}", "key": row["id"], "reason": reason})

    def _plant_quirks(self, synced: datetime) -> None:
        """Rows a real Stripe account has and the adapter must exclude (spec: "planted quirks")."""
        as_of = ts(self.as_of)
        product_id = min(self.products)
        real_price = min(p["id"] for p in self.tables["price"])
        live = min((s for s in self.tables["subscription_history"] if s["_fivetran_active"]
                    and s["status"] == "active" and s["start_date"] <= as_of), key=lambda s: s["id"])
        customer = {"livemode": True, "is_deleted": False, "currency": "usd", "metadata": "{}", "created": as_of,
                    "_fivetran_synced": synced}
        item = {"created": live["start_date"], "_fivetran_synced": synced, "metadata": "{}"}
        price = {"product_id": product_id, "currency": "usd", "billing_scheme": "per_unit", "livemode": True,
                 "is_deleted": False, "_fivetran_synced": synced}
        # 1. test mode: a customer with an open subscription and an item on a real price
        self._quirk("customer", {**customer, "id": "cus_test_0001", "livemode": False}, "test_mode")
        period_start, period_end = current_period(self.as_of, None, "month", self.as_of)
        self._quirk("subscription_history", {
            "id": "sub_test_0001", "customer_id": "cus_test_0001", "status": "active", "created": as_of,
            "start_date": as_of, "cancel_at": None, "cancel_at_period_end": False, "canceled_at": None,
            "ended_at": None, "current_period_start": ts(period_start), "current_period_end": ts(period_end),
            "trial_start": None, "trial_end": None, "livemode": False, "metadata": "{}", "_fivetran_active": True,
            "_fivetran_start": as_of, "_fivetran_synced": synced, "collection_method": "charge_automatically",
            "description": None}, "test_mode")
        self._quirk("subscription_item", {**item, "id": "si_test_0001", "subscription_id": "sub_test_0001",
                                          "plan_id": real_price, "quantity": 1, "created": as_of},
                    "test_mode_parent")
        # 2. a deleted customer nothing references
        self._quirk("customer", {**customer, "id": "cus_deleted_0001", "is_deleted": True}, "deleted_unreferenced")
        # 3. a metered price and its item (no quantity) on a live subscription
        self._quirk("price", {**price, "id": "price_metered_api_calls", "unit_amount": 5, "type": "recurring",
                              "recurring_interval": "month", "recurring_interval_count": 1,
                              "recurring_usage_type": "metered"}, "metered")
        self._quirk("subscription_item", {**item, "id": "si_metered_0001", "subscription_id": live["id"],
                                          "plan_id": "price_metered_api_calls", "quantity": None}, "metered")
        # 4. a one-time price and its item
        self._quirk("price", {**price, "id": "price_onboarding_fee", "unit_amount": 50000, "type": "one_time",
                              "recurring_interval": None, "recurring_interval_count": None,
                              "recurring_usage_type": None}, "one_time")
        self._quirk("subscription_item", {**item, "id": "si_onetime_0001", "subscription_id": live["id"],
                                          "plan_id": "price_onboarding_fee", "quantity": 1}, "one_time")
        # 5. a test-mode coupon nothing references
        self._quirk("coupon", {"id": "coupon_test_mode", "percent_off": 10.0, "amount_off": None, "currency": None,
                               "duration": "forever", "duration_in_months": None, "livemode": False,
                               "_fivetran_synced": synced}, "test_mode")
        # 6. a deleted product no price references
        self._quirk("product", {"id": "prod_retired", "name": "Retired product", "metadata": "{}", "livemode": True,
                                "is_deleted": True, "_fivetran_synced": synced}, "deleted_unreferenced")
        # 7. a subscription deleted at the source: Fivetran's history mode leaves no active version, and the last
        # one still says "active" with no end. It ended with its last paid period (current_period_end), which the
        # adapter must take as its end: the same contract as the world's (a month-to-month one that churned).
        churned = [s for s in self.tables["subscription_history"]
                   if s["_fivetran_active"] and s["status"] == "canceled" and s["cancel_at_period_end"]]
        deleted = min(churned, key=lambda s: s["id"], default=None)
        if deleted is not None:
            versions = [v for v in self.tables["subscription_history"] if v["id"] == deleted["id"]]
            for v in versions:
                v["_fivetran_active"] = False
            deleted.update(status="active", ended_at=None, canceled_at=None, cancel_at_period_end=False)
            self.quirks.append({"table": "stripe.subscription_history", "key": deleted["id"],
                                "reason": "deleted_at_source"})


# ------------------------------------------------------------------------------------------ files
def _sort_key(row: Row) -> tuple:
    return row["id"], row.get("_fivetran_active", True)


def write_stripe(raw_dir: Path, progress: Callable[[str], None] = print) -> dict:
    """Convert the extract at ``raw_dir`` in place to Stripe's tables (see the module docstring).

    Returns {"kept": {"billing.<table>": keys of the clean rows the Stripe tables express}, "manifest": ...}."""
    raw_dir = Path(raw_dir)
    manifest = json.loads((raw_dir / "_manifest.json").read_text())
    clean, not_expressed = {}, {}
    for qualified in BILLING:
        clean[qualified], dropped = clean_rows(qualified, read_table(raw_dir, qualified), manifest)
        not_expressed[qualified] = dropped
    writer = _Writer(clean["billing.contracts"], clean["billing.contract_lines"], clean["billing.products"],
                     date.fromisoformat(manifest["as_of"]))
    writer.build(datetime.fromisoformat(manifest["extracted_at"]))
    not_expressed["billing.contract_lines"] += writer.not_expressed

    tables = {name: sorted(rows, key=_sort_key) for name, rows in writer.tables.items()}
    write_vendor(raw_dir, manifest, STRIPE, tables, EXTRA_COLUMNS, not_expressed, writer.quirks, progress)
    kept = {"billing.contracts": set(clean["billing.contracts"]), "billing.contract_lines": writer.expressed_lines,
            "billing.products": set(clean["billing.products"])}
    return {"kept": kept, "manifest": manifest}


def contract_twin(raw_dir: Path, kept: dict) -> None:
    """Rewrite ``raw_dir``'s three billing tables (contract format) as the world ``write_stripe`` expressed:
    only the ``kept`` keys, each once (the version with the max _loaded_at)."""
    for qualified in BILLING:
        rows = twin_rows(raw_dir, qualified, kept[qualified])
        write_parquet(rows, rc.arrow_schema(rc.table(qualified)), raw_path(raw_dir, qualified))
