"""Incremental runs give the same warehouse as a full build (issue 10, docs/incremental.md).

The small extract is replayed as the daily loads that produced it (``slice_extract``): a full build on the
extract as loaded a day before its extract time, then incremental runs as more loads arrive, the last one
on the complete extract through `rwh build --incremental` (every data test, then the publication). Usage
arrives up to nine days after the day it counts, re-extracted copies, new versions and conflicts arrive
late, and one account reaches the CRM only on the last day, after its usage: its whole history must move
out of the unknown_account quarantine. Every table of every layer must then equal the full build of the
complete extract, row for row.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from conftest import run_dbt
from renewal_warehouse.devtools.compare import compare_duckdb
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.incremental import extracted_at, slice_extract

LAYERS = ["staging", "intermediate", "marts", "reference"]
# Hours before the extract time at which the daily extracts were cut; the last run reads the whole extract.
CUTS_HOURS = (24, 14, 2)
# Data tests run in test_daily_incremental_runs_equal_a_full_build; elsewhere the equality of the tables is the test.
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]


def late_account(raw: Path) -> str:
    """The account with the most usage: the CRM learns of it last."""
    return duckdb.sql(f"select account_id from read_parquet('{raw / 'product' / 'usage_daily.parquet'}') "
                      "group by 1 order by count(*) desc, 1 limit 1").fetchall()[0][0]


def daily_extracts(raw: Path, work: Path, cuts: tuple[int, ...] = CUTS_HOURS) -> list[Path]:
    """The extract as loaded at each cut (hours before the extract time), with the late account missing
    from the CRM; then the whole one."""
    hidden = late_account(raw)
    days = []
    for i, hours in enumerate(cuts):
        day = work / f"day{i}"
        slice_extract(raw, day, extracted_at(raw) - timedelta(hours=hours))
        accounts = day / "crm" / "accounts.parquet"
        con = duckdb.connect()
        con.execute(f"copy (select * from read_parquet('{accounts}') where account_id is distinct from ?) "
                    f"to '{accounts}.new' (format parquet)", [hidden])
        con.close()
        Path(f"{accounts}.new").replace(accounts)
        days.append(day)
    return [*days, raw]


def usage_rows(raw: Path) -> tuple[int, object]:
    return duckdb.sql(f"select count(*), max(_loaded_at) filter (where _loaded_at < timestamp '2100-01-01') "
                      f"from read_parquet('{raw / 'product' / 'usage_daily.parquet'}')").fetchall()[0]


def test_daily_incremental_runs_equal_a_full_build(warehouse, tmp_path, monkeypatch):
    raw = warehouse["raw"]
    days = daily_extracts(raw, tmp_path)
    counts = [usage_rows(d)[0] for d in days]
    assert counts == sorted(counts) and len(set(counts)) == len(counts), f"each day adds usage rows: {counts}"
    # the later loads carry usage of earlier days (late rows), so incremental runs must reach back
    late = duckdb.sql(f"select count(*) from read_parquet('{raw / 'product' / 'usage_daily.parquet'}') "
                      f"where _loaded_at > ? and usage_date < cast(? as date) - 1",
                      params=[usage_rows(days[0])[1], usage_rows(days[0])[1]]).fetchall()[0][0]
    assert late > 0

    db, work = tmp_path / "incremental.duckdb", tmp_path / "dbt"
    assert run_dbt(["seed"], days[0], db, work).success
    for day in days[:-1]:
        result = run_dbt(["run"], day, db, work)
        assert result.success, f"dbt run on {day.name} failed: {result.exception or result.result}"
    # the last day as the daily run does it: `rwh build --incremental` (every test, then publish)
    monkeypatch.setenv("RWH_DEMO", "true")
    monkeypatch.setenv("RWH_DUCKDB_TEMP_DIR", str(work / "duckdb_tmp"))
    said: list[str] = []
    result = rb.build_duckdb(db, days[-1], [], quiet=True, progress=said.append, incremental=True)
    assert result.ok, (result.problems, result.message)
    assert any("copying the published incremental.duckdb" in s for s in said), said
    compiled = {r["unique_id"].split(".")[-1]: r.get("compiled_code") or ""
                for r in json.loads((rb.target_dir() / "run_results.json").read_text())["results"]}
    assert "cast('" in compiled["int_usage_user_blocks"], "the last run rebuilt only the changed blocks"

    hidden = late_account(raw)
    con = duckdb.connect(str(db), read_only=True)
    staged = con.execute("select count(*) from intermediate.int_usage_account_days where account_id = ?",
                         [hidden]).fetchall()[0][0]
    con.close()
    assert staged > 100, "the late account's whole usage history left the quarantine"

    # decided_as_of is the watermark a run leaves: a day decided by an earlier run keeps that run's value
    differences = [r.line() for r in compare_duckdb(str(warehouse["db"]), str(db), LAYERS, {"decided_as_of"})
                   if not r.same]
    assert differences == []


def plant_rows_the_look_back_cannot_see(raw: Path) -> tuple[list[date], date, datetime]:
    """Change product.usage_daily as a source that back-fills and purges history: 12 usage rows of three past
    days (new users of existing accounts) stamped as loaded ten days before the extract's last load, more
    than incremental_lookback_days (3) before it, and 2 rows of an older day deleted. Returns the back-filled
    days, the purged day and the back-fill's load time."""
    path = raw / "product" / "usage_daily.parquet"
    last_load = usage_rows(raw)[1]
    loaded_at = last_load - timedelta(days=10)
    days = [last_load.date() - timedelta(days=200 + k) for k in range(3)]
    purged = last_load.date() - timedelta(days=300)
    con = duckdb.connect()
    con.execute(f"create table usage as select * from read_parquet('{path}')")
    con.execute("""
        create table late as
        select * replace ('late-user-' || row_number() over (order by account_id, user_id) as user_id,
                          cast(? as timestamp) as _loaded_at)
        from usage
        where usage_date in (?, ?, ?)
        qualify row_number() over (partition by usage_date order by account_id, user_id) <= 4
    """, [loaded_at, *days])
    assert con.execute("select count(*) from late").fetchone()[0] == 12
    con.execute("""
        delete from usage where (account_id, user_id, usage_date) in (
            select (account_id, user_id, usage_date) from usage where usage_date = ?
            order by account_id, user_id limit 2)
    """, [purged])
    con.execute(f"copy (select * from usage union all by name select * from late) to '{path}.new' (format parquet)")
    con.close()
    Path(f"{path}.new").replace(path)
    return days, purged, loaded_at


def test_rows_loaded_before_the_look_back_window_are_found_and_their_days_rebuilt(warehouse, raw_copy, tmp_path,
                                                                                  monkeypatch):
    """A daily run after rows were loaded with load times older than the look-back window of the last run
    (before: the run did not see them and published a warehouse that differs from a full build), and after
    rows of an old day were deleted at the source: the run finds those days, rebuilds them, and equals a full
    build of the same extract, row for row."""
    days, purged, _ = plant_rows_the_look_back_cannot_see(raw_copy)
    work = tmp_path / "dbt"
    monkeypatch.setenv("RWH_DEMO", "true")
    monkeypatch.setenv("RWH_DUCKDB_TEMP_DIR", str(work / "duckdb_tmp"))
    db = tmp_path / "incremental.duckdb"
    shutil.copyfile(warehouse["db"], db)
    result = rb.build_duckdb(db, raw_copy, NO_TESTS, quiet=True, progress=lambda _m: None, incremental=True)
    assert result.ok, (result.problems, result.message)
    compiled = {r["unique_id"].split(".")[-1]: r.get("compiled_code") or ""
                for r in json.loads((rb.target_dir() / "run_results.json").read_text())["results"]}

    full = tmp_path / "full.duckdb"
    built = run_dbt(["build", *NO_TESTS], raw_copy, full, work)
    assert built.success, built.exception or built.result
    differences = [r.line() for r in compare_duckdb(str(full), str(db), LAYERS, {"decided_as_of"}) if not r.same]
    assert differences == []
    # found, not rebuilt in full: the run rebuilt those days
    for model in ("base_product__usage_daily", "int_usage_account_days"):
        for day in (*days, purged):
            assert f"cast('{day}' as date)" in compiled[model], f"{model} rebuilt {day}"
        assert compiled[model].count("cast('20") < 60, f"{model} rebuilt the changed days only"
