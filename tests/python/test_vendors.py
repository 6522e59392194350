"""Stripe, Salesforce, Zendesk and Segment as their loaders land them, built on DuckDB (issue 27; docs/sources/).

The small extract's world is written twice: with its billing as Stripe tables, its CRM as Salesforce tables, its
support as Zendesk tables and its product usage as Segment events (``write_stripe``, ``write_salesforce``,
``write_zendesk``, ``write_segment``, with the vendors' quirks planted), and as its contract-format twin (the world
the vendors expressed). Built with RWH_SOURCE_FORMATS=VENDOR_FORMATS and without, the two warehouses hold the same
marts row for row, and the same staged CRM tables, tickets and usage; the one difference Stripe cannot express
(amendment contracts: an item added mid-term is a line of the same subscription) is measured. Every vendor row is
in its row ledger with its outcome, each planted quirk with its reason; the gate's pre-check names a missing column
and refuses an empty table beside a full parent; Segment's usage, incremental by day, equals the full build after
a daily run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timedelta

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, VENDOR_FORMATS, run_dbt, vendors_and_twin
from renewal_warehouse.devtools.compare import compare_duckdb
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.vendors.salesforce import SALESFORCE
from renewal_warehouse.pipeline.vendors.segment import SEGMENT
from renewal_warehouse.pipeline.vendors.stripe import STRIPE
from renewal_warehouse.pipeline.vendors.zendesk import ZENDESK
from test_lineage import staging_edge_problems

FORMATS = VENDOR_FORMATS
ADAPTERS = ("models/staging/billing/stripe", "models/staging/crm/salesforce", "models/staging/support/zendesk",
            "models/staging/product/segment")


@pytest.fixture(scope="module")
def builds(small_raw, tmp_path_factory) -> dict:
    """The vendor extract and its twin, each built with dbt (all data tests must pass), and the adapters' unit
    tests run on the vendor build (the suite's other builds leave unit tests to `make test-duckdb`)."""
    work = tmp_path_factory.mktemp("vendor_builds")
    extracts = vendors_and_twin(small_raw, work)
    raw_vendors, raw_twin = extracts["vendors"], extracts["twin"]
    out = {"manifest": extracts["manifest"], "raw_vendors": raw_vendors}
    for name, raw, formats in (("vendors", raw_vendors, FORMATS), ("twin", raw_twin, "")):
        (work / name).mkdir()
        result = run_dbt(["build"], raw, work / name / "w.duckdb", work / name, RWH_SOURCE_FORMATS=formats)
        assert result.success, f"dbt build of the {name} extract failed: {result.exception or result.result}"
        out[name] = work / name / "w.duckdb"
    units = run_dbt(["test", "--select", " ".join(f"test_type:unit,path:{a}" for a in ADAPTERS)], raw_vendors,
                    out["vendors"], work / "vendors", RWH_SOURCE_FORMATS=FORMATS, DBT_EXCLUDE_RESOURCE_TYPES="")
    out["unit_tests"] = units
    out["vendors_manifest"] = json.loads((work / "vendors" / "target" / "manifest.json").read_text())
    return out


def _rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_vendor_extract_builds_the_same_marts_and_staged_crm_as_its_contract_twin(builds):
    compared = compare_duckdb(str(builds["twin"]), str(builds["vendors"]), ["marts"])
    assert len(compared) >= 15
    assert [c.line() for c in compared if not c.same] == []
    assert _rows(builds["vendors"], "select count(*) from marts.mrr_movements")[0][0] > 100
    # below the marts, every staged CRM table is the twin's too (ownership periods, stage history, users), the
    # staged tickets (Zendesk's ids, CSAT on the good / bad scale, as the twin has them) and the staged usage (the
    # sessions, minutes and feature events Segment's events add up to, and their load times)
    staged = [c for c in compare_duckdb(str(builds["twin"]), str(builds["vendors"]), ["staging"])
              if c.line().startswith(("staging.stg_crm__", "staging.stg_support__tickets",
                                      "staging.stg_product__usage_daily"))]
    assert len(staged) == 12
    assert [c.line() for c in staged if not c.same] == []


def test_the_only_contract_difference_is_the_amendments_stripe_cannot_express(builds):
    """Stripe has no amendment contracts: the twin's amendments are missing, their lines sit on the main
    contract, and nothing else differs in the staged contracts and lines."""
    contracts = "select contract_id, contract_type from staging.stg_billing__contracts"
    twin, stripe = set(_rows(builds["twin"], contracts)), set(_rows(builds["vendors"], contracts))
    amendments = {c for c in twin if c[1] == "amendment"}
    assert amendments and twin - stripe == amendments and stripe - twin == set()
    lines = ("select l.contract_line_id, coalesce(c.amends_contract_id, l.contract_id), l.product_id, "
             "l.quantity, l.unit_list_price, l.unit_net_price, l.billing_period, l.currency, l.start_date, "
             "l.end_date, l._loaded_at from staging.stg_billing__contract_lines as l "
             "join staging.stg_billing__contracts as c on l.contract_id = c.contract_id")
    assert sorted(_rows(builds["twin"], lines)) == sorted(_rows(builds["vendors"], lines))


@pytest.mark.parametrize("vendor", [STRIPE, SALESFORCE, ZENDESK, SEGMENT], ids=lambda v: v.name)
def test_every_vendor_row_is_in_its_ledger_and_each_planted_quirk_has_its_reason(builds, vendor):
    ledger = _rows(builds["vendors"], "select vendor_table, vendor_key, outcome, excluded_reason, contract_key "
                                      f"from staging.adapt_{vendor.name}__row_ledger")
    for table in vendor.tables:
        rows = pq.read_metadata(builds["raw_vendors"] / vendor.name / f"{table.name}.parquet").num_rows
        assert sum(r[0] == table.name for r in ledger) == rows, table.name
    by_key: dict[tuple, list] = {}
    for table, key, outcome, reason, _contract in ledger:
        said = (outcome, reason)
        by_key.setdefault((table, key), []).append(said)  # a version: id '@' its start
        if "@" in key:
            by_key.setdefault((table, key.split("@")[0]), []).append(said)
    quirks = [q for q in builds["manifest"]["vendor_quirks"] if q["table"].startswith(f"{vendor.name}.")]
    expected = {
        "stripe": {"test_mode", "test_mode_parent", "deleted_unreferenced", "metered", "one_time",
                   "superseded_version", "deleted_at_source"},
        "salesforce": {"superseded_version", "deleted_unreferenced", "merged", "not_renewal", "deleted",
                       "no_stage_change", "not_standard_user"},
        "zendesk": {"deleted", "merged", "no_account", "ticket_excluded", "not_a_response",
                    "account_from_requester"},
        "segment": {"duplicate", "anonymous", "no_account", "identified_by_anonymous_id", "synced_late",
                    "account_from_context"},
    }[vendor.name]
    assert {q["reason"] for q in quirks} == expected
    still_mapped = {"deleted_at_source", "account_from_requester", "identified_by_anonymous_id", "synced_late",
                    "account_from_context"}
    for q in quirks:
        said = by_key[(q["table"].split(".")[1], q["key"])]
        if q["reason"] in still_mapped:  # still (in) a contract row
            assert ("mapped", None) in said, q
        else:
            assert ("excluded", q["reason"]) in said, (q, said)
    # nothing is excluded but the planted quirks (and Stripe's history-mode versions, which are quirks too), and
    # for Zendesk the rows every ticket has that make nothing: the requester's description, the offered survey,
    # the priority history, a tag nobody reads; for Segment the identify calls of devices that never sent an
    # anonymous event
    routine = {"zendesk": {"not_a_response", "not_a_rating", "not_used"},
               "segment": {"no_anonymous_events"}}.get(vendor.name, set())
    quirk_keys = {(q["table"].split(".")[1], q["key"]) for q in quirks}
    unplanned = [r for r in ledger if r[2] == "excluded" and (r[0], r[1]) not in quirk_keys
                 and (r[0], r[1].split("@")[0]) not in quirk_keys and r[3] not in routine]
    assert unplanned == []
    if not routine:
        excluded = [r for r in ledger if r[2] == "excluded"]
        assert len(excluded) == len(quirks) - sum(q["reason"] == "deleted_at_source" for q in quirks)


def test_salesforce_s_merged_account_and_history_resolve_to_the_twin_s_rows(builds):
    """The opportunity that still names an account a merge deleted is counted once, under the survivor; the
    superseded account version changed no ownership period; the amount-only OpportunityHistory row is not a
    stage change."""
    quirks = {q["reason"]: q["key"] for q in builds["manifest"]["vendor_quirks"]
              if q["table"] == "salesforce.account"}
    merged = quirks["merged"]
    opportunities = pq.read_table(builds["raw_vendors"] / "salesforce" / "opportunity.parquet").to_pylist()
    (moved,) = {o["id"] for o in opportunities if o["account_id"] == merged}
    sql = f"select account_id from staging.stg_crm__renewal_opportunities where opportunity_id = '{moved}'"
    (survivor,) = _rows(builds["twin"], sql)
    assert _rows(builds["vendors"], sql) == [survivor]
    count = f"select count(*) from staging.stg_crm__renewal_opportunities where account_id = '{survivor[0]}'"
    assert _rows(builds["vendors"], count) == _rows(builds["twin"], count)
    assert _rows(builds["vendors"], f"select count(*) from staging.stg_crm__accounts where account_id = '{merged}'"
                 ) == [(0,)]
    account = quirks["superseded_version"].split("@")[0]
    periods = f"select owner_user_id, valid_from_date, valid_to_date from staging.stg_crm__account_ownership " \
              f"where account_id = '{account}' order by valid_from_date"
    assert _rows(builds["vendors"], periods) == _rows(builds["twin"], periods) != []


def test_zendesk_ratings_are_good_or_bad_and_the_difference_is_counted(builds):
    """Zendesk rates good or bad: the staged CSAT scores are the two scores of var zendesk_csat_scores, and the
    manifest counts the tickets whose 1-to-5 score the scale could not keep."""
    scores = _rows(builds["vendors"], "select distinct csat_score from staging.stg_support__tickets "
                                      "where csat_score is not null order by 1")
    assert scores == [(1,), (5,)]
    assert builds["manifest"]["not_expressed"]["support.tickets"]["csat_on_good_bad_scale"] > 0


def test_the_deleted_subscription_churns_when_its_last_period_ends(builds):
    (deleted,) = [q["key"] for q in builds["manifest"]["vendor_quirks"] if q["reason"] == "deleted_at_source"]
    sql = f"select end_date, term_months from staging.stg_billing__contracts where contract_id = '{deleted}'"
    (end,) = _rows(builds["twin"], sql)
    assert end[0] is not None and _rows(builds["vendors"], sql) == [end]
    churn = (f"select month_start_date, churn_mrr from marts.mrr_movements where account_id = (select account_id "
             f"from staging.stg_billing__contracts where contract_id = '{deleted}') and churn_mrr != 0")
    assert _rows(builds["vendors"], churn) == _rows(builds["twin"], churn) != []


def test_the_adapters_unit_tests_pass(builds):
    result = builds["unit_tests"]
    assert result.success, result.result
    assert len([r for r in result.result if r.node.resource_type == "unit_test"]) == 15


def test_each_adapter_reads_only_its_vendor_and_feeds_only_its_system_s_base_models(builds):
    manifest = builds["vendors_manifest"]
    for adapter, count in zip(ADAPTERS, (8, 11, 5, 3), strict=True):
        models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"
                  and n["original_file_path"].startswith(adapter + "/")]
        assert len(models) == count, adapter
    assert staging_edge_problems(manifest) == []


def _damaged(raw, tmp_path):
    out = tmp_path / "raw"
    shutil.copytree(raw, out)
    return out


def test_the_pre_check_names_a_missing_column_and_refuses_an_empty_item_table(builds, tmp_path, monkeypatch):
    monkeypatch.setenv("RWH_SOURCE_FORMATS", FORMATS)
    raw = _damaged(builds["raw_vendors"], tmp_path)
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


def test_the_pre_check_names_a_missing_salesforce_column_and_refuses_an_empty_history(builds, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setenv("RWH_SOURCE_FORMATS", FORMATS)
    raw = _damaged(builds["raw_vendors"], tmp_path)
    # the whole vendor extract passes the gate (every system, all three vendors' pre-checks)
    report = run_gate("duckdb", raw_dir=raw, progress=lambda _m: None)
    assert report.ok, report.render()
    for vendor in (SALESFORCE, ZENDESK, SEGMENT):
        assert {t for t in report.row_counts if t.startswith(f"{vendor.name}.")} == {
            f"{vendor.name}.{t.name}" for t in vendor.tables}

    history = raw / "salesforce" / "opportunity_history.parquet"
    pq.write_table(pq.read_table(history).slice(0, 0), history)
    # a required column gone, and columns an org may not have (history mode, a custom field): only the first fails
    opportunities = raw / "salesforce" / "opportunity.parquet"
    pq.write_table(pq.read_table(opportunities).drop(["stage_name", "_fivetran_start", "expiring_arr_c"]),
                   opportunities)
    report = run_gate("duckdb", raw_dir=raw, systems=("crm",), progress=lambda _m: None)
    failed = {(f.table, f.check): f.detail for f in report.failures}
    assert set(failed) == {("salesforce.opportunity", "column exists"),
                           ("salesforce.opportunity_history", "not empty")}
    assert failed[("salesforce.opportunity", "column exists")].startswith("stage_name is missing")
    assert "while salesforce.opportunity has" in failed[("salesforce.opportunity_history", "not empty")]


def test_the_pre_check_names_a_missing_segment_column_and_refuses_empty_group_calls(builds, tmp_path, monkeypatch):
    """Without its group calls no event has an account: an empty groups table beside the events fails, as does an
    events table without its event names."""
    monkeypatch.setenv("RWH_SOURCE_FORMATS", FORMATS)
    raw = _damaged(builds["raw_vendors"], tmp_path)
    groups = raw / "segment" / "groups.parquet"
    pq.write_table(pq.read_table(groups).slice(0, 0), groups)
    tracks = raw / "segment" / "tracks.parquet"
    pq.write_table(pq.read_table(tracks).drop(["event"]), tracks)
    report = run_gate("duckdb", raw_dir=raw, systems=("product",), progress=lambda _m: None)
    failed = {(f.table, f.check): f.detail for f in report.failures}
    assert set(failed) == {("segment.tracks", "column exists"), ("segment.groups", "not empty")}
    assert failed[("segment.tracks", "column exists")].startswith("event is missing")
    assert "while segment.tracks has" in failed[("segment.groups", "not empty")]


def _segment_as_loaded_days_before(raw, out, days: int) -> None:
    """``raw``'s Segment tables as they were ``days`` before the extract time: only the rows synced by then."""
    shutil.copytree(raw, out)
    cut = datetime.fromisoformat(json.loads((raw / "_manifest.json").read_text())["extracted_at"]) - timedelta(
        days=days)
    for table in SEGMENT.tables:
        path = out / "segment" / f"{table.name}.parquet"
        rows = pq.read_table(path)
        keep = pc.less_equal(rows["_fivetran_synced"], pa.scalar(cut, rows.schema.field("_fivetran_synced").type))
        pq.write_table(rows.filter(keep), path)


def test_segment_usage_after_a_daily_run_equals_the_full_build(builds, tmp_path):
    """Segment's usage is incremental by day like the usage models: built from the events synced two days before the
    extract time, then run again on the whole extract (new events, late ones for earlier days, and the identify
    call synced last that gives an old anonymous event its user), every table of every layer equals the full
    build's, row for row, and the run rebuilt only the days those rows touch."""
    early = tmp_path / "early"
    _segment_as_loaded_days_before(builds["raw_vendors"], early, days=2)
    late_identify = [q["key"] for q in builds["manifest"]["vendor_quirks"] if q["reason"] == "synced_late"]
    assert late_identify
    work, db = tmp_path / "work", tmp_path / "w.duckdb"
    work.mkdir()
    no_tests = ["--exclude", "resource_type:test", "resource_type:unit_test"]
    first = run_dbt(["build", *no_tests], early, db, work, RWH_SOURCE_FORMATS=FORMATS)
    assert first.success, first.result
    anonymous = _rows(db, "select count(*) from staging.adapt_segment__row_ledger where excluded_reason = "
                          "'anonymous'")[0][0]
    assert anonymous == 2  # the planted visitor, and the event whose identify call had not arrived
    daily = run_dbt(["build", *no_tests], builds["raw_vendors"], db, work, RWH_SOURCE_FORMATS=FORMATS)
    assert daily.success, daily.result
    differences = compare_duckdb(str(builds["vendors"]), str(db), ["staging", "intermediate", "marts", "reference"],
                                 {"decided_as_of"})
    assert len(differences) > 100
    assert [c.line() for c in differences if not c.same] == []
    log = (work / "logs" / "dbt.log").read_text()
    said = [line for line in log.splitlines() if "day(s) of Segment events changed since the last run" in line]
    assert said, "the daily run did not say which days it rebuilt"
    rebuilt = int(said[-1].split("adapt_segment__usage_daily: ")[1].split(" ")[0])
    total = _rows(db, "select count(distinct usage_date) from staging.adapt_segment__usage_daily")[0][0]
    assert 0 < rebuilt < total / 10, (rebuilt, total)


def test_generate_writes_the_vendor_shapes_and_refuses_a_vendor_it_cannot_write(tmp_path):
    def rwh(*args):
        return subprocess.run([sys.executable, "-m", "renewal_warehouse", *args], capture_output=True, text=True,
                              cwd=ROOT, timeout=300)

    done = rwh("generate", "--out", str(tmp_path / "s"), "--accounts", "20", "--years", "1", "--format", FORMATS,
               "--quiet")
    assert done.returncode == 0, done.stderr
    assert f"RWH_SOURCE_FORMATS={FORMATS}" in done.stdout
    for vendor in (STRIPE, SALESFORCE, ZENDESK, SEGMENT):
        written = sorted(p.stem for p in (tmp_path / "s" / vendor.name).glob("*.parquet"))
        assert written == sorted(t.name for t in vendor.tables), vendor.name
    assert sorted(p.stem for p in (tmp_path / "s" / "billing").glob("*.parquet")) == ["fx_rates"]
    assert sorted(p.stem for p in (tmp_path / "s" / "crm").glob("*.parquet")) == [
        "activities", "forecast_submissions", "renewal_targets", "sponsor_changes", "value_reviews"]
    manifest = json.loads((tmp_path / "s" / "_manifest.json").read_text())
    assert manifest["source_formats"] == {"billing": "stripe", "crm": "salesforce", "support": "zendesk",
                                          "product": "segment"}
    assert list((tmp_path / "s" / "support").glob("*.parquet")) == []
    assert sorted(p.stem for p in (tmp_path / "s" / "product").glob("*.parquet")) == ["licensed_seats"]
    assert "billing.contracts" not in manifest["row_counts"] and "crm.accounts" not in manifest["row_counts"]

    refused = rwh("generate", "--out", str(tmp_path / "x"), "--format", "billing=chargebee")
    assert refused.returncode == 2 and "no adapter for vendor 'chargebee'" in refused.stderr
    refused = rwh("generate", "--out", str(tmp_path / "y"), "--format", "crm=stripe")
    assert refused.returncode == 2 and "stripe is a billing source, not crm" in refused.stderr
