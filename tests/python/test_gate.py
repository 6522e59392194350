"""The Great Expectations gate: passes a good extract, stops dataset-level and systemic problems."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from renewal_warehouse.pipeline.gate import apply_duckdb_persisted_connection_fix, run_gate


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
    failing = {t for t, c in _checks(report) if c == "fresh"}
    assert "product.usage_daily" in failing
    assert all(f.level == "dataset" for f in report.failures)
    line = next(ln for ln in report.render().splitlines() if "product.usage_daily" in ln)
    assert "stale" in line and "days before 2026-12-31 00:00 UTC" in line


def test_freshness_is_measured_against_the_clock_without_a_declared_snapshot(raw_copy):
    """An extract two months old that declares no snapshot time is stale against the time of the run
    (before: freshness was measured against the newest load in the extract, and it passed)."""
    (raw_copy / "_manifest.json").unlink()
    report = _gate(raw_copy)
    assert "the time of this run" in report.render()
    assert not report.ok and ("product.usage_daily", "fresh") in _checks(report)
    declared = _gate(raw_copy, manifest_path=None, reference_time=None)
    assert not declared.ok


def test_a_declared_snapshot_time_is_the_reference(small_raw):
    report = _gate(small_raw)
    manifest = json.loads((small_raw / "_manifest.json").read_text())
    assert report.reference_time == datetime.fromisoformat(manifest["extracted_at"])
    assert "declares in" in report.render() and report.ok


def test_rows_loaded_in_the_future_are_named_on_their_table_only(raw_copy):
    """One usage row loaded a year after the snapshot: the gate names product.usage_daily and leaves the
    row to staging's future_date quarantine; no other table is blamed (before: 20 healthy tables failed as
    stale and the culprit passed)."""
    path = raw_copy / "product" / "usage_daily.parquet"
    table = pq.read_table(path)
    snapshot = datetime.fromisoformat(json.loads((raw_copy / "_manifest.json").read_text())["extracted_at"])
    row = table.slice(0, 1).to_pylist()[0]
    row["usage_date"] = (snapshot + timedelta(days=365)).date()
    row["_loaded_at"] = snapshot + timedelta(days=365)
    pq.write_table(pa.concat_tables([table, pa.Table.from_pylist([row], schema=table.schema)]), path)
    report = _gate(raw_copy)
    assert report.ok, report.render()
    notes = [n for n in report.notes if "loaded after" in n]
    assert [n for n in notes if n.startswith("product.usage_daily")] == [
        n for n in notes if n.startswith("product.usage_daily: 1 row(s) loaded after")]
    assert len([n for n in notes if n.startswith("product.usage_daily")]) == 1
    # the only other table named is the one holding the generator's own planted row from 2100
    assert {n.split(":")[0] for n in notes} <= {"product.usage_daily", "crm.activities"}


def test_half_empty_table_stops_the_build(small_raw, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert _gate(small_raw, baseline_path=baseline).ok
    counts = json.loads(baseline.read_text())
    counts["support.tickets"] *= 3  # the last accepted load was three times bigger
    baseline.write_text(json.dumps(counts))
    report = _gate(small_raw, baseline_path=baseline)
    assert ("support.tickets", "volume") in _checks(report)


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


def test_an_added_column_is_named_and_ignored(raw_copy):
    """Schema drift: a column the contract does not know passes the gate with a note naming it."""
    path = raw_copy / "crm" / "accounts.parquet"
    table = pq.read_table(path)
    pq.write_table(table.append_column("favourite_colour", pa.array(["blue"] * table.num_rows)), path)
    report = _gate(raw_copy)
    assert report.ok, report.render()
    assert ("crm.accounts: column(s) not in the contract (staging keeps the contract's columns only): "
            "favourite_colour") in report.render()


# ------------------------------------------------------------------ volume against the last accepted extract
def _drop_rows(raw, table: str, share: float | None = None, rows: int | None = None) -> tuple[int, int]:
    """Delete a share (or a number) of a raw table's rows, spread over the table, as a source that lost
    them; returns the row counts before and after."""
    system, name = table.split(".")
    path = raw / system / f"{name}.parquet"
    data = pq.read_table(path)
    lost = rows if rows is not None else round(share * data.num_rows)
    step = data.num_rows / lost
    dropped = {int(k * step) for k in range(lost)}
    keep = pa.array([i not in dropped for i in range(data.num_rows)])
    pq.write_table(data.filter(keep), path)
    return data.num_rows, data.num_rows - lost


def _volume_failures(report):
    return [f for f in report.failures if f.check == "volume"]


def test_losing_half_of_the_usage_fails_the_gate_and_never_lowers_the_baseline(small_raw, raw_copy, tmp_path):
    """49.9 % of product.usage_daily deleted at the source (before: it passed, being above half of the
    baseline, was published, and the baseline was rewritten to the halved count)."""
    baseline = tmp_path / "baseline.json"
    assert _gate(small_raw, baseline_path=baseline).ok
    before = baseline.read_text()
    previous, current = _drop_rows(raw_copy, "product.usage_daily", share=0.499)
    report = _gate(raw_copy, baseline_path=baseline)
    assert not report.ok
    failures = _volume_failures(report)
    assert [f.table for f in failures] == ["product.usage_daily"]
    line = next(ln for ln in report.render().splitlines() if "product.usage_daily" in ln and "volume" in ln)
    assert f"{current:,} rows" in line and f"{previous:,}" in line, line
    assert f"{previous - current:,} rows (49.9 %) lost" in line, line
    assert "--accept-volume-drop product.usage_daily --reason" in line, line
    assert baseline.read_text() == before, "the baseline is never lowered by a failing gate"


def test_an_append_only_table_may_not_shrink_at_all_a_registry_table_a_little(small_raw, raw_copy, tmp_path):
    """Raw extracts are cumulative: one support ticket gone fails; one CRM account of 60 (deleted in the
    CRM, within the 2 % a registry table may lose) passes with a note, and the baseline stays where it was."""
    baseline = tmp_path / "baseline.json"
    assert _gate(small_raw, baseline_path=baseline).ok
    counts = json.loads(baseline.read_text())
    _drop_rows(raw_copy, "support.tickets", rows=1)
    report = _gate(raw_copy, baseline_path=baseline)
    assert [f.table for f in _volume_failures(report)] == ["support.tickets"]
    assert "above the tolerance of 0 %" in report.render()

    shutil.copyfile(small_raw / "support" / "tickets.parquet", raw_copy / "support" / "tickets.parquet")
    accounts = counts["crm.accounts"]
    _drop_rows(raw_copy, "crm.accounts", rows=1)
    report = _gate(raw_copy, baseline_path=baseline)
    assert report.ok, report.render()
    assert any(n.startswith(f"crm.accounts: {accounts - 1:,} rows against {accounts:,}") for n in report.notes), \
        report.notes
    assert json.loads(baseline.read_text())["crm.accounts"] == accounts, "the baseline only moves up"


def test_the_baseline_moves_up_with_the_extract(small_raw, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert _gate(small_raw, baseline_path=baseline).ok
    counts = json.loads(baseline.read_text())
    smaller = {**counts, "product.usage_daily": counts["product.usage_daily"] - 500}
    baseline.write_text(json.dumps(smaller))
    assert _gate(small_raw, baseline_path=baseline).ok
    assert json.loads(baseline.read_text())["product.usage_daily"] == counts["product.usage_daily"]


def test_a_drop_accepted_with_a_reason_passes_lowers_the_baseline_and_is_recorded(small_raw, raw_copy, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert _gate(small_raw, baseline_path=baseline).ok
    previous, current = _drop_rows(raw_copy, "product.usage_daily", share=0.499)
    report = _gate(raw_copy, baseline_path=baseline,
                   accept_volume_drops={"product.usage_daily": "test tenants purged at the source"})
    assert report.ok, report.render()
    assert any("accepted" in n and "test tenants purged at the source" in n for n in report.notes), report.notes
    document = json.loads(baseline.read_text())
    assert document["product.usage_daily"] == current
    [record] = document["accepted_volume_drops"]
    assert record["table"] == "product.usage_daily"
    assert (record["previous_rows"], record["rows"]) == (previous, current)
    assert record["reason"] == "test tenants purged at the source"
    # accepted once: the next extract of the same size passes without the flag
    assert _gate(raw_copy, baseline_path=baseline).ok
