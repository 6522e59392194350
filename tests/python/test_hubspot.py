"""HubSpot as Fivetran's HubSpot connector lands it, built on DuckDB (issue 27; docs/sources/hubspot.md).

The small extract's world is written twice: with its CRM as HubSpot tables (``write_hubspot``, with HubSpot's quirks
planted: a merged deal, a deleted deal and company, a new-business deal, a queue owner, a property change that is not
the owner, a deal moved back into its own stage, a second company association) and as its contract-format twin.
Built with RWH_SOURCE_FORMATS=crm=hubspot and without, the two warehouses hold the same marts and the same staged CRM
tables row for row; every HubSpot row is in the ledger with its outcome, each planted quirk with its reason; the
merged deal counts once; the gate's pre-check names a missing column and refuses an empty stage history beside its
deals.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import hubspot_and_twin, run_dbt
from renewal_warehouse.devtools.compare import compare_duckdb
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.vendors.hubspot import HUBSPOT
from test_lineage import staging_edge_problems

FORMATS = "crm=hubspot"
ADAPTER = "models/staging/crm/hubspot"


@pytest.fixture(scope="module")
def builds(small_raw, tmp_path_factory) -> dict:
    """The HubSpot extract and its twin, each built with dbt (all data tests must pass), and the adapter's unit tests
    run on the HubSpot build."""
    work = tmp_path_factory.mktemp("hubspot_builds")
    extracts = hubspot_and_twin(small_raw, work)
    out = {"manifest": extracts["manifest"], "raw_vendors": extracts["vendors"]}
    for name, raw, formats in (("vendors", extracts["vendors"], FORMATS), ("twin", extracts["twin"], "")):
        (work / name).mkdir()
        result = run_dbt(["build"], raw, work / name / "w.duckdb", work / name, RWH_SOURCE_FORMATS=formats)
        assert result.success, f"dbt build of the {name} extract failed: {result.exception or result.result}"
        out[name] = work / name / "w.duckdb"
    out["unit_tests"] = run_dbt(["test", "--select", f"test_type:unit,path:{ADAPTER}"], extracts["vendors"],
                                out["vendors"], work / "vendors", RWH_SOURCE_FORMATS=FORMATS,
                                DBT_EXCLUDE_RESOURCE_TYPES="")
    out["vendors_manifest"] = json.loads((work / "vendors" / "target" / "manifest.json").read_text())
    return out


def _rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_hubspot_extract_builds_the_same_marts_and_staged_crm_as_its_contract_twin(builds):
    compared = compare_duckdb(str(builds["twin"]), str(builds["vendors"]), ["marts"])
    assert len(compared) >= 15
    assert [c.line() for c in compared if not c.same] == []
    assert _rows(builds["vendors"], "select count(*) from marts.renewals_by_quarter")[0][0] > 0
    staged = [c for c in compare_duckdb(str(builds["twin"]), str(builds["vendors"]), ["staging"])
              if c.line().startswith("staging.stg_crm__")]
    assert len(staged) == 10
    assert [c.line() for c in staged if not c.same] == []
    # what HubSpot cannot express is counted: no hired date on an owner, stage-change keys made of deal and order
    not_expressed = builds["manifest"]["not_expressed"]
    assert not_expressed["crm.users"]["no_hired_date"] > 0
    assert not_expressed["crm.opportunity_stage_history"]["key_from_deal_and_order"] > 0


def test_every_hubspot_row_is_in_its_ledger_and_each_planted_quirk_has_its_reason(builds):
    ledger = _rows(builds["vendors"], "select vendor_table, vendor_key, outcome, excluded_reason "
                                      "from staging.adapt_hubspot__row_ledger")
    for table in HUBSPOT.tables:
        rows = pq.read_metadata(builds["raw_vendors"] / "hubspot" / f"{table.name}.parquet").num_rows
        assert sum(r[0] == table.name for r in ledger) == rows, table.name
    said = {(table, key): (outcome, reason) for table, key, outcome, reason in ledger}
    quirks = [q for q in builds["manifest"]["vendor_quirks"] if q["table"].startswith("hubspot.")]
    assert {q["reason"] for q in quirks} == {"merged", "deleted_unreferenced", "not_renewal", "not_person",
                                             "not_owner_property", "no_stage_change", "not_primary_association"}
    for q in quirks:
        assert said[(q["table"].split(".")[1], q["key"])] == ("excluded", q["reason"]), q
    planted = {(q["table"].split(".")[1], q["key"]) for q in quirks}
    assert [r for r in ledger if r[2] == "excluded" and (r[0], r[1]) not in planted] == []


def test_the_merged_deal_counts_once_as_the_deal_that_remains(builds):
    merges = pq.read_table(builds["raw_vendors"] / "hubspot" / "merged_deal.parquet").to_pylist()
    ((survivor, merged),) = [(m["deal_id"], m["merged_deal_id"]) for m in merges]
    sql = "select opportunity_id, account_id, renewal_arr from staging.stg_crm__renewal_opportunities " \
          f"where opportunity_id in ('{survivor}', '{merged}')"
    assert _rows(builds["vendors"], sql) == _rows(builds["twin"], sql)
    assert [r[0] for r in _rows(builds["vendors"], sql)] == [survivor]
    stages = f"select count(*) from staging.stg_crm__opportunity_stage_history where opportunity_id = '{merged}'"
    assert _rows(builds["vendors"], stages) == [(0,)]


def test_the_adapter_s_unit_tests_pass_and_it_feeds_only_the_crm_base_models(builds):
    result = builds["unit_tests"]
    assert result.success, result.result
    assert len([r for r in result.result if r.node.resource_type == "unit_test"]) == 4
    manifest = builds["vendors_manifest"]
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"
              and n["original_file_path"].startswith(ADAPTER + "/")]
    assert len(models) == 14
    assert staging_edge_problems(manifest) == []


def test_the_pre_check_names_a_missing_hubspot_column_and_refuses_an_empty_stage_history(builds, tmp_path,
                                                                                         monkeypatch):
    monkeypatch.setenv("RWH_SOURCE_FORMATS", FORMATS)
    raw = tmp_path / "raw"
    shutil.copytree(builds["raw_vendors"], raw)
    report = run_gate("duckdb", raw_dir=raw, progress=lambda _m: None)
    assert report.ok, report.render()
    assert {t for t in report.row_counts if t.startswith("hubspot.")} == {f"hubspot.{t.name}" for t in HUBSPOT.tables}

    stages = raw / "hubspot" / "deal_stage.parquet"
    pq.write_table(pq.read_table(stages).slice(0, 0), stages)
    # a required column gone, and properties a portal may not have (the deal type, a custom property): only the
    # first fails
    deals = raw / "hubspot" / "deal.parquet"
    pq.write_table(pq.read_table(deals).drop(["property_amount", "property_dealtype", "property_expiring_arr"]),
                   deals)
    report = run_gate("duckdb", raw_dir=raw, systems=("crm",), progress=lambda _m: None)
    failed = {(f.table, f.check): f.detail for f in report.failures}
    assert set(failed) == {("hubspot.deal", "column exists"), ("hubspot.deal_stage", "not empty")}
    assert failed[("hubspot.deal", "column exists")].startswith("property_amount is missing")
    assert "while hubspot.deal has" in failed[("hubspot.deal_stage", "not empty")]
