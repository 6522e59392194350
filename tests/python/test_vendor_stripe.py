"""Stripe as Fivetran's connector lands it, built on DuckDB (issue 27; docs/sources/stripe.md).

The small extract's world is written twice: as Stripe tables (``write_stripe``, with the vendor's quirks planted)
and as its contract-format twin (``contract_twin``: the same contracts, lines and products). Built with
RWH_SOURCE_FORMATS=billing=stripe and without, the two warehouses hold the same marts row for row; the one
difference Stripe cannot express (amendment contracts: an item added mid-term is a line of the same
subscription) is measured. Every Stripe row is in the row ledger with its outcome, each planted quirk with its
reason; the gate's pre-check names a missing column and refuses an empty table beside a full parent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, run_dbt, stripe_and_twin
from renewal_warehouse.devtools.compare import compare_duckdb
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.vendors.stripe import STRIPE
from test_lineage import staging_edge_problems

FORMATS = "billing=stripe"


@pytest.fixture(scope="module")
def builds(small_raw, tmp_path_factory) -> dict:
    """The Stripe extract and its twin, each built with dbt (all data tests must pass), and the adapter's unit
    tests run on the Stripe build (the suite's other builds leave unit tests to `make test-duckdb`)."""
    work = tmp_path_factory.mktemp("stripe_builds")
    extracts = stripe_and_twin(small_raw, work)
    raw_stripe, raw_twin = extracts["stripe"], extracts["twin"]
    out = {"manifest": extracts["manifest"], "raw_stripe": raw_stripe}
    for name, raw, formats in (("stripe", raw_stripe, FORMATS), ("twin", raw_twin, "")):
        (work / name).mkdir()
        result = run_dbt(["build"], raw, work / name / "w.duckdb", work / name, RWH_SOURCE_FORMATS=formats)
        assert result.success, f"dbt build of the {name} extract failed: {result.exception or result.result}"
        out[name] = work / name / "w.duckdb"
    units = run_dbt(["test", "--select", "test_type:unit,path:models/staging/billing/stripe"], raw_stripe,
                    out["stripe"], work / "stripe", RWH_SOURCE_FORMATS=FORMATS, DBT_EXCLUDE_RESOURCE_TYPES="")
    out["unit_tests"] = units
    out["stripe_manifest"] = json.loads((work / "stripe" / "target" / "manifest.json").read_text())
    return out


def _rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_stripe_extract_builds_the_same_marts_as_its_contract_twin(builds):
    compared = compare_duckdb(str(builds["twin"]), str(builds["stripe"]), ["marts"])
    assert len(compared) >= 15
    assert [c.line() for c in compared if not c.same] == []
    assert _rows(builds["stripe"], "select count(*) from marts.mrr_movements")[0][0] > 100


def test_the_only_contract_difference_is_the_amendments_stripe_cannot_express(builds):
    """Stripe has no amendment contracts: the twin's amendments are missing, their lines sit on the main
    contract, and nothing else differs in the staged contracts and lines."""
    contracts = "select contract_id, contract_type from staging.stg_billing__contracts"
    twin, stripe = set(_rows(builds["twin"], contracts)), set(_rows(builds["stripe"], contracts))
    amendments = {c for c in twin if c[1] == "amendment"}
    assert amendments and twin - stripe == amendments and stripe - twin == set()
    lines = ("select l.contract_line_id, coalesce(c.amends_contract_id, l.contract_id), l.product_id, "
             "l.quantity, l.unit_list_price, l.unit_net_price, l.billing_period, l.currency, l.start_date, "
             "l.end_date, l._loaded_at from staging.stg_billing__contract_lines as l "
             "join staging.stg_billing__contracts as c on l.contract_id = c.contract_id")
    assert sorted(_rows(builds["twin"], lines)) == sorted(_rows(builds["stripe"], lines))


def test_every_stripe_row_is_in_the_ledger_and_each_planted_quirk_has_its_reason(builds):
    ledger = _rows(builds["stripe"], "select vendor_table, vendor_key, outcome, excluded_reason, contract_key "
                                     "from staging.adapt_stripe__row_ledger")
    for table in STRIPE.tables:
        rows = pq.read_metadata(builds["raw_stripe"] / "stripe" / f"{table.name}.parquet").num_rows
        assert sum(r[0] == table.name for r in ledger) == rows, table.name
    by_key = {}
    for table, key, outcome, reason, _contract in ledger:
        by_key.setdefault((table, key.split("@")[0]), []).append((outcome, reason))
    quirks = builds["manifest"]["vendor_quirks"]
    assert {q["reason"] for q in quirks} >= {"test_mode", "test_mode_parent", "deleted_unreferenced", "metered",
                                             "one_time", "superseded_version", "deleted_at_source"}
    for q in quirks:
        table = q["table"].split(".")[1]
        said = by_key[(table, q["key"])]
        if q["reason"] == "deleted_at_source":  # still a contract: it ends with its last period
            assert ("mapped", None) in said, q
        else:
            assert ("excluded", q["reason"]) in said, (q, said)
    excluded = [r for r in ledger if r[2] == "excluded"]
    assert len(excluded) == len(quirks) - sum(q["reason"] == "deleted_at_source" for q in quirks)


def test_the_deleted_subscription_churns_when_its_last_period_ends(builds):
    (deleted,) = [q["key"] for q in builds["manifest"]["vendor_quirks"] if q["reason"] == "deleted_at_source"]
    sql = f"select end_date, term_months from staging.stg_billing__contracts where contract_id = '{deleted}'"
    (end,) = _rows(builds["twin"], sql)
    assert end[0] is not None and _rows(builds["stripe"], sql) == [end]
    churn = (f"select month_start_date, churn_mrr from marts.mrr_movements where account_id = (select account_id "
             f"from staging.stg_billing__contracts where contract_id = '{deleted}') and churn_mrr != 0")
    assert _rows(builds["stripe"], churn) == _rows(builds["twin"], churn) != []


def test_the_adapters_unit_tests_pass(builds):
    result = builds["unit_tests"]
    assert result.success, result.result
    assert len([r for r in result.result if r.node.resource_type == "unit_test"]) == 5


def test_the_adapter_reads_only_stripe_and_feeds_only_the_billing_base_models(builds):
    manifest = builds["stripe_manifest"]
    stripe_models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"
                     and n["original_file_path"].startswith("models/staging/billing/stripe/")]
    assert len(stripe_models) == 8
    assert staging_edge_problems(manifest) == []


def _damaged(raw, tmp_path):
    out = tmp_path / "raw"
    shutil.copytree(raw, out)
    return out


def test_the_pre_check_names_a_missing_column_and_refuses_an_empty_item_table(builds, tmp_path, monkeypatch):
    monkeypatch.setenv("RWH_SOURCE_FORMATS", FORMATS)
    raw = _damaged(builds["raw_stripe"], tmp_path)
    report = run_gate("duckdb", raw_dir=raw, systems=("billing",), progress=lambda _m: None)
    assert report.ok, report.render()
    assert {t for t in report.row_counts if t.startswith("stripe.")} == {f"stripe.{t.name}" for t in STRIPE.tables}

    items = raw / "stripe" / "subscription_item.parquet"
    pq.write_table(pq.read_table(items).slice(0, 0), items)
    prices = raw / "stripe" / "price.parquet"
    pq.write_table(pq.read_table(prices).drop(["recurring_usage_type"]), prices)
    report = run_gate("duckdb", raw_dir=raw, systems=("billing",), progress=lambda _m: None)
    failed = {(f.table, f.check): f.detail for f in report.failures}
    assert set(failed) == {("stripe.price", "column exists"), ("stripe.subscription_item", "not empty")}
    assert failed[("stripe.price", "column exists")].startswith("recurring_usage_type is missing")
    assert "while stripe.subscription_history has" in failed[("stripe.subscription_item", "not empty")]

    (raw / "stripe" / "coupon.parquet").unlink()
    report = run_gate("duckdb", raw_dir=raw, systems=("billing",), progress=lambda _m: None)
    assert ("stripe.coupon", "table exists") in {(f.table, f.check) for f in report.failures}


def test_generate_writes_the_stripe_shape_and_refuses_a_vendor_it_cannot_write(tmp_path):
    def rwh(*args):
        return subprocess.run([sys.executable, "-m", "renewal_warehouse", *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=300)

    done = rwh("generate", "--out", str(tmp_path / "s"), "--accounts", "20", "--years", "1", "--format", FORMATS,
               "--quiet")
    assert done.returncode == 0, done.stderr
    assert f"RWH_SOURCE_FORMATS={FORMATS}" in done.stdout
    written = sorted(p.stem for p in (tmp_path / "s" / "stripe").glob("*.parquet"))
    assert written == sorted(t.name for t in STRIPE.tables)
    assert sorted(p.stem for p in (tmp_path / "s" / "billing").glob("*.parquet")) == ["fx_rates"]
    manifest = json.loads((tmp_path / "s" / "_manifest.json").read_text())
    assert manifest["source_formats"] == {"billing": "stripe"} and "billing.contracts" not in manifest["row_counts"]

    refused = rwh("generate", "--out", str(tmp_path / "x"), "--format", "billing=chargebee")
    assert refused.returncode == 2 and "no adapter for vendor 'chargebee'" in refused.stderr
    refused = rwh("generate", "--out", str(tmp_path / "y"), "--format", "crm=stripe")
    assert refused.returncode == 2 and "stripe is a billing source, not crm" in refused.stderr


def test_the_stripe_page_lists_every_table_and_column_read():
    """docs/sources/stripe.md lists every table and column the adapter reads (vendors/stripe.py), each under its
    table, and no other table."""
    text = (ROOT / "docs" / "sources" / "stripe.md").read_text()
    listed = text.split("## Tables and columns read")[1]
    sections = {part.split("`")[0]: part for part in listed.split("### `")[1:]}
    assert set(sections) == {t.name for t in STRIPE.tables}
    for t in STRIPE.tables:
        for c in t.columns:
            assert f"| `{c.name}` | {c.type} |" in sections[t.name], (t.name, c.name)
