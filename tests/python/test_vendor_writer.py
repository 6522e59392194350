"""The Stripe writer: a generated extract as Fivetran's Stripe tables, per docs/sources/stripe.md.

One copy of the small extract is converted (``stripe``), another rewritten as its contract-format twin
(``twin``): the clean billing rows the Stripe tables must express, which the checks decode the tables against.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.vendors.stripe import STRIPE
from renewal_warehouse.pipeline.vendors.stripe_writer import (
    BILLING,
    contract_twin,
    current_period,
    encode_discount,
    iso_exponents,
    stripe_amount,
    stripe_exponent,
    subscription_versions,
    write_stripe,
)

PLANTED = [
    ("stripe.coupon", "coupon_test_mode", "test_mode"),
    ("stripe.customer", "cus_deleted_0001", "deleted_unreferenced"),
    ("stripe.customer", "cus_test_0001", "test_mode"),
    ("stripe.price", "price_metered_api_calls", "metered"),
    ("stripe.price", "price_onboarding_fee", "one_time"),
    ("stripe.product", "prod_retired", "deleted_unreferenced"),
    ("stripe.subscription_history", "sub_test_0001", "test_mode"),
    ("stripe.subscription_item", "si_metered_0001", "metered"),
    ("stripe.subscription_item", "si_onetime_0001", "one_time"),
    ("stripe.subscription_item", "si_test_0001", "test_mode_parent"),
]


def _convert(small_raw: Path, dst: Path) -> dict:
    shutil.copytree(small_raw, dst)
    return write_stripe(dst, progress=lambda _m: None)


@pytest.fixture(scope="module")
def stripe(small_raw, tmp_path_factory) -> dict:
    """The small extract converted: its directory, write_stripe's result and the Stripe tables as rows."""
    out = tmp_path_factory.mktemp("stripe") / "raw"
    result = _convert(small_raw, out)
    tables = {t.name: pq.read_table(out / "stripe" / f"{t.name}.parquet").to_pylist() for t in STRIPE.tables}
    return {"dir": out, **result, "tables": tables}


@pytest.fixture(scope="module")
def twin(small_raw, stripe, tmp_path_factory) -> dict[str, list[dict]]:
    """The contract-format twin of the converted world: its billing rows by table."""
    out = tmp_path_factory.mktemp("twin") / "raw"
    shutil.copytree(small_raw, out)
    contract_twin(out, stripe["kept"])
    return {q: pq.read_table(out / "billing" / f"{q.split('.')[1]}.parquet").to_pylist() for q in BILLING}


def _live(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r.get("livemode", True)]


def _deleted_at_source(stripe: dict) -> set[str]:
    return {q["key"] for q in stripe["manifest"]["vendor_quirks"] if q["reason"] == "deleted_at_source"}


def _current_subscriptions(stripe: dict) -> dict[str, dict]:
    """The version that counts per subscription: the active one, or for one deleted at the source (no active
    version left), its latest."""
    history = _live(stripe["tables"]["subscription_history"])
    rows = [r for r in history if r["_fivetran_active"]]
    assert len(rows) == len({r["id"] for r in rows}), "one current version per subscription"
    deleted = _deleted_at_source(stripe)
    assert len(deleted) == 1 and not deleted & {r["id"] for r in rows}
    rows += [max((r for r in history if r["id"] in deleted), key=lambda r: r["_fivetran_start"])]
    return {r["id"]: r for r in rows}


def test_a_subscription_deleted_at_the_source_keeps_its_last_period(stripe, twin):
    """The planted deletion: no version is active, the last one says active with no end, and its current period
    ends the day after the world's contract ended (what the adapter reads as its end)."""
    (deleted,) = _deleted_at_source(stripe)
    versions = [r for r in stripe["tables"]["subscription_history"] if r["id"] == deleted]
    assert len(versions) == 2 and not any(v["_fivetran_active"] for v in versions)
    last = max(versions, key=lambda r: r["_fivetran_start"])
    assert last["status"] == "active" and last["ended_at"] is None and last["cancel_at"] is None
    contract = next(c for c in twin["billing.contracts"] if c["contract_id"] == deleted)
    assert contract["term_months"] is None and contract["end_date"] is not None
    assert last["current_period_end"] == datetime.combine(contract["end_date"] + timedelta(days=1), datetime.min.time())


# ------------------------------------------------------------------------------------------ files
def test_every_stripe_table_has_every_spec_column_in_order(stripe):
    for t in STRIPE.tables:
        path = stripe["dir"] / "stripe" / f"{t.name}.parquet"
        assert path.is_file(), path
        schema = pq.read_schema(path)
        spec = [(c.name, rc.arrow_type(c.type)) for c in t.columns]
        assert [(f.name, f.type) for f in schema][:len(spec)] == spec, t.name
        assert stripe["manifest"]["vendor_row_counts"][f"stripe.{t.name}"] == len(stripe["tables"][t.name]) > 0


def test_the_billing_files_are_replaced_and_fx_rates_kept(stripe):
    billing = stripe["dir"] / "billing"
    assert sorted(p.name for p in billing.iterdir()) == ["fx_rates.parquet"]
    manifest = json.loads((stripe["dir"] / "_manifest.json").read_text())
    assert manifest == stripe["manifest"]
    assert manifest["source_formats"] == {"billing": "stripe"}


def test_the_clean_rows_are_the_extract_minus_the_planted_quarantine(small_raw, stripe):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    for qualified in BILLING:
        t = rc.table(qualified)
        keys = set(pq.read_table(small_raw / t.system / f"{t.name}.parquet").column(t.primary_key[0]).to_pylist())
        bad = {e["key"] for e in manifest["expected_quarantine"] if e["table"] == qualified} | {None}
        assert stripe["kept"][qualified] == keys - bad, qualified


def test_contract_twin_keeps_one_row_per_kept_key(stripe, twin):
    for qualified, rows in twin.items():
        key = rc.table(qualified).primary_key[0]
        ids = [r[key] for r in rows]
        assert ids == sorted(set(ids)) and set(ids) == stripe["kept"][qualified], qualified


# ------------------------------------------------------------------------------------------ subscriptions
def test_one_subscription_per_non_amendment_contract(stripe, twin):
    contracts = twin["billing.contracts"]
    assert any(c["contract_type"] == "amendment" for c in contracts)
    expected = {c["contract_id"] for c in contracts if c["contract_type"] != "amendment"}
    assert set(_current_subscriptions(stripe)) == expected


def test_ended_subscriptions_have_an_older_version_listed_as_superseded(stripe):
    history = _live(stripe["tables"]["subscription_history"])
    current = _current_subscriptions(stripe)
    deleted = _deleted_at_source(stripe)
    older = [r for r in history if not r["_fivetran_active"] and r is not current.get(r["id"])]
    ended = {i for i, r in current.items() if r["status"] == "canceled"} | deleted
    assert older and {r["id"] for r in older} == ended
    for r in older:
        assert r["status"] in ("active", "trialing") and r["ended_at"] is None and r["canceled_at"] is None
    listed = [(q["key"]) for q in stripe["manifest"]["vendor_quirks"] if q["reason"] == "superseded_version"]
    assert sorted(listed) == sorted(r["id"] for r in older)


def test_subscription_versions_follow_the_contract_dates():
    base = {"contract_id": "C1", "account_id": "A1", "contract_type": "new", "predecessor_contract_id": None,
            "amends_contract_id": None, "currency": "USD", "signed_date": date(2025, 1, 20),
            "start_date": date(2025, 1, 31), "_loaded_at": datetime(2025, 1, 21, 3)}
    as_of = date(2026, 3, 15)
    ended_term = subscription_versions({**base, "end_date": date(2026, 1, 30), "term_months": 12}, "month", as_of)
    assert [(v["status"], v["_fivetran_active"]) for v in ended_term] == [("active", False), ("canceled", True)]
    assert ended_term[1]["ended_at"] == ended_term[1]["cancel_at"] == datetime(2026, 1, 31)
    assert ended_term[1]["current_period_start"] == datetime(2025, 12, 31)  # anniversary of the 31st
    assert ended_term[1]["current_period_end"] == datetime(2026, 1, 31)
    evergreen = subscription_versions({**base, "end_date": date(2026, 6, 30), "term_months": None}, "month", as_of)
    (only,) = evergreen
    assert only["cancel_at_period_end"] and only["cancel_at"] is None
    assert only["canceled_at"] == datetime(2026, 6, 16) and only["current_period_end"] == datetime(2026, 7, 1)
    (open_,) = subscription_versions({**base, "end_date": None, "term_months": None}, "year", as_of)
    assert (open_["status"], open_["ended_at"], open_["cancel_at"]) == ("active", None, None)
    assert (open_["current_period_start"], open_["current_period_end"]) == (datetime(2026, 1, 31),
                                                                            datetime(2027, 1, 31))
    assert current_period(date(2025, 1, 31), None, "month", date(2025, 2, 28)) == (date(2025, 2, 28),
                                                                                   date(2025, 3, 31))


# ------------------------------------------------------------------------------------------ items
def test_every_item_sits_on_an_existing_subscription(stripe):
    subscriptions = {r["id"] for r in stripe["tables"]["subscription_history"]}
    items = stripe["tables"]["subscription_item"]
    assert items and all(i["subscription_id"] in subscriptions for i in items)


def test_amendment_lines_sit_on_their_main_contracts_subscription(stripe, twin):
    contracts = {c["contract_id"]: c for c in twin["billing.contracts"]}
    items = {i["id"]: i for i in stripe["tables"]["subscription_item"]}
    amended = 0
    for line in twin["billing.contract_lines"]:
        contract = contracts[line["contract_id"]]
        main = contract["amends_contract_id"] or contract["contract_id"]
        assert items[line["contract_line_id"]]["subscription_id"] == main
        amended += contract["contract_type"] == "amendment"
    assert amended > 0


@pytest.mark.parametrize(("currency", "iso_minor", "stripe_minor"), [
    ("ISK", 5, 500), ("JPY", 1200, 1200), ("KWD", 1234, 1234), ("USD", 1234, 1234)])
def test_amounts_are_scaled_to_stripes_minor_units(currency, iso_minor, stripe_minor):
    assert stripe_amount(iso_minor, currency) == stripe_minor


def test_an_isk_amount_coupon_is_in_stripes_minor_units():
    coupon = encode_discount(1_000_003, 1_000_000, 3, "ISK", iso_exponents())  # no 2-decimal percent gives it
    assert coupon["amount_off"] == 900 and coupon["currency"] == "isk" and coupon["percent_off"] is None
    assert _decoded_net(1_000_003, 3, coupon, trial=False) == 1_000_000


# ------------------------------------------------------------------------------------------ decoding
def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _to_iso(stripe_minor: int, currency: str) -> Decimal:
    return Decimal(stripe_minor) / 10 ** (stripe_exponent(currency) - iso_exponents()[currency.upper()])


def _decoded_net(list_iso: int, quantity: int, coupon: dict | None, trial: bool) -> int:
    """The adapter's rule: a trial's net is 0; a percent coupon takes percent_off, rounded half up; an amount
    coupon takes amount_off (per billing period for the item) per unit."""
    if trial:
        return 0
    if coupon is None:
        return list_iso
    if coupon["percent_off"] is not None:
        return _round_half_up(Decimal(list_iso) * (100 - Decimal(str(coupon["percent_off"]))) / 100)
    off = _to_iso(coupon["amount_off"], coupon["currency"]) / quantity
    assert off == off.to_integral_value(), coupon
    return list_iso - int(off)


def test_the_tables_decode_to_every_clean_lines_prices(stripe, twin):
    tables = stripe["tables"]
    items = {i["id"]: i for i in tables["subscription_item"]}
    prices = {p["id"]: p for p in tables["price"]}
    coupons = {c["id"]: c for c in tables["coupon"]}
    discounts = {d["type_id"]: d for d in tables["discount"]}
    contracts = {c["contract_id"]: c for c in twin["billing.contracts"]}
    lines = twin["billing.contract_lines"]
    assert len(lines) == len(items) - 3  # the three planted items
    kinds = Counter()
    for line in lines:
        item = items[line["contract_line_id"]]
        price = prices[item["plan_id"]]
        assert price["currency"] == line["currency"].lower() and price["product_id"] == line["product_id"]
        list_iso = _to_iso(price["unit_amount"], price["currency"])
        assert list_iso == line["unit_list_price_minor"] and item["quantity"] == line["quantity"]
        discount = discounts.get(line["contract_line_id"])
        coupon = coupons[discount["coupon_id"]] if discount else None
        trial = contracts[line["contract_id"]]["contract_type"] == "trial"
        assert _decoded_net(int(list_iso), line["quantity"], coupon, trial) == line["unit_net_price_minor"], line
        kinds["trial" if trial else "none" if coupon is None else "percent" if coupon["percent_off"] else "amount"] += 1
    assert kinds["percent"] > 0 and kinds["trial"] > 0


# ------------------------------------------------------------------------------------------ manifest
def test_each_planted_quirk_is_present_and_listed(stripe):
    listed = {(q["table"], q["key"], q["reason"]) for q in stripe["manifest"]["vendor_quirks"]}
    assert set(PLANTED) <= listed
    ids = {f"stripe.{name}": {r["id"]: r for r in rows} for name, rows in stripe["tables"].items()}
    for table, key, _reason in PLANTED:
        assert key in ids[table], (table, key)
    assert not ids["stripe.customer"]["cus_test_0001"]["livemode"]
    assert not ids["stripe.subscription_history"]["sub_test_0001"]["livemode"]
    assert ids["stripe.subscription_item"]["si_test_0001"]["plan_id"] in ids["stripe.price"]
    assert ids["stripe.customer"]["cus_deleted_0001"]["is_deleted"]
    assert "cus_deleted_0001" not in {s["customer_id"] for s in stripe["tables"]["subscription_history"]}
    assert ids["stripe.price"]["price_metered_api_calls"]["recurring_usage_type"] == "metered"
    metered = ids["stripe.subscription_item"]["si_metered_0001"]
    assert metered["quantity"] is None
    assert _current_subscriptions(stripe)[metered["subscription_id"]]["status"] == "active"
    assert ids["stripe.price"]["price_onboarding_fee"]["type"] == "one_time"
    assert ids["stripe.subscription_item"]["si_onetime_0001"]["subscription_id"] in ids[
        "stripe.subscription_history"]
    assert not ids["stripe.coupon"]["coupon_test_mode"]["livemode"]
    assert "coupon_test_mode" not in {d["coupon_id"] for d in stripe["tables"]["discount"]}
    assert ids["stripe.product"]["prod_retired"]["is_deleted"]
    assert "prod_retired" not in {p["product_id"] for p in stripe["tables"]["price"]}


def test_not_expressed_counts_the_planted_billing_rows(small_raw, stripe):
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    expected = {q: Counter() for q in BILLING}
    for entry in manifest["expected_quarantine"] + manifest["expected_duplicates"] + manifest["expected_superseded"]:
        if entry["table"] in expected:
            expected[entry["table"]][entry["reason"]] += 1
    assert stripe["manifest"]["not_expressed"] == {q: dict(c) for q, c in expected.items()}
    assert all(expected.values())


def test_the_same_extract_gives_the_same_bytes(small_raw, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    _convert(small_raw, first)
    _convert(small_raw, second)
    files = sorted(p.relative_to(first) for p in (first / "stripe").iterdir()) + [Path("_manifest.json")]
    assert len(files) == len(STRIPE.tables) + 1
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
