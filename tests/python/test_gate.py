"""The Great Expectations gate: passes a good extract, stops dataset-level and systemic problems."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from renewal_warehouse.gate import apply_duckdb_persisted_connection_fix, run_gate


def _gate(raw, **kwargs):
    return run_gate("duckdb", raw_dir=raw, progress=lambda _m: None, **kwargs)


def _checks(report):
    return {(f.table, f.check) for f in report.failures}


def test_duckdb_persisted_connection_fix_still_works(small_raw, tmp_path):
    """GX 1.24 needs the private-name fix on DuckDB; if GX changes, this fails loudly."""
    import duckdb
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.execution_engine import sqlalchemy_execution_engine as gx_sa

    apply_duckdb_persisted_connection_fix()
    assert any(getattr(d, "value", d) == "duckdb" for d in gx_sa._PERSISTED_CONNECTION_DIALECTS)
    db = tmp_path / "fix.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"create table accounts as select * from read_parquet('{small_raw}/crm/accounts.parquet')")
    rows = con.execute("select count(*) from accounts").fetchone()[0]
    con.close()
    context = gx.get_context(mode="ephemeral")
    ds = context.data_sources.add_sql(name="fix", connection_string=f"duckdb:///{db}")
    batch = ds.add_table_asset(name="accounts", table_name="accounts").add_batch_definition_whole_table(
        "all").get_batch()
    result = batch.validate(gxe.ExpectTableRowCountToEqual(value=rows))
    assert result.success, result
    assert result.result["observed_value"] == rows


def test_good_extract_passes(small_raw, tmp_path):
    baseline = tmp_path / "baseline.json"
    report = _gate(small_raw, baseline_path=baseline)
    assert report.ok, report.render()
    assert report.tables_checked == 21
    assert report.expectations_run > 300
    assert "PASSED" in report.render()
    assert json.loads(baseline.read_text())["crm.accounts"] == report.row_counts["crm.accounts"]


def test_missing_column_stops_the_build(raw_copy):
    path = raw_copy / "crm" / "accounts.parquet"
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["industry"]), path)
    report = _gate(raw_copy)
    assert not report.ok
    assert ("crm.accounts", "column exists") in _checks(report)
    assert "industry is missing" in report.render()


def test_wrong_type_stops_the_build(raw_copy):
    path = raw_copy / "crm" / "accounts.parquet"
    table = pq.read_table(path)
    i = table.schema.get_field_index("employee_count")
    table = table.set_column(i, "employee_count", pc.cast(table["employee_count"], pa.string()))
    pq.write_table(table, path)
    report = _gate(raw_copy)
    assert ("crm.accounts", "expect_column_values_to_be_in_type_list") in _checks(report)


def test_stale_source_stops_the_build(small_raw):
    report = _gate(small_raw, reference_time=datetime(2026, 12, 31))
    failing = {t for t, c in _checks(report) if c == "expect_column_max_to_be_between"}
    assert "product.usage_daily" in failing
    assert all(f.level == "dataset" for f in report.failures)


def test_half_empty_table_stops_the_build(small_raw, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert _gate(small_raw, baseline_path=baseline).ok
    counts = json.loads(baseline.read_text())
    counts["support.tickets"] *= 3  # the last accepted load was three times bigger
    baseline.write_text(json.dumps(counts))
    report = _gate(small_raw, baseline_path=baseline)
    assert ("support.tickets", "expect_table_row_count_to_be_between") in _checks(report)


def test_systemic_bad_values_stop_the_build(raw_copy):
    path = raw_copy / "billing" / "contracts.parquet"
    table = pq.read_table(path)
    types = table["contract_type"].to_pylist()
    types = ["bogus" if k % 4 == 0 else v for k, v in enumerate(types)]  # 25% bad: systemic
    table = table.set_column(table.schema.get_field_index("contract_type"), "contract_type",
                             pa.array(types, pa.string()))
    pq.write_table(table, path)
    report = _gate(raw_copy)
    failures = [f for f in report.failures if f.table == "billing.contracts"]
    assert failures and failures[0].level == "systemic"
    assert "unexpected" in failures[0].detail


def test_row_level_problems_are_left_to_quarantine(small_raw):
    """The demo corruption (a handful of rows per table) is below the systemic share: the gate passes."""
    report = _gate(small_raw, reference_time=datetime(2026, 10, 1) + timedelta(hours=2))
    assert report.ok, report.render()
