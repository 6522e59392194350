"""rwh build on PostgreSQL: shadow schemas, swapped in one transaction only when every test passed.

Runs inside `make test-postgres` (marker `postgres`), against the server scripts/with-postgres.sh started
and the warehouse that target published there just before.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from conftest import own_pg_database
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.loader import PostgresSettings, load_postgres

pytestmark = pytest.mark.postgres

FAILING_VARS = ["--vars", "{quarantine_error_share: 0, quarantine_warn_share: 0, quarantine_min_rows: 0}"]


@pytest.fixture()
def pg(monkeypatch):
    monkeypatch.setenv("RWH_DEMO", "true")
    settings = PostgresSettings.from_env()
    con = settings.connect()
    with con.cursor() as cur:
        cur.execute("select count(*) from information_schema.tables where table_schema = 'marts'")
        assert cur.fetchone()[0] > 10, "run after the published build of make test-postgres"
        cur.execute("create table if not exists marts.published_marker as select 1 as marker")
    con.commit()
    con.close()
    yield settings
    # the marts schema holds the marts only for the suites after this one (catalogue, reader role)
    con = settings.connect()
    with con.cursor() as cur:
        cur.execute("drop table if exists marts.published_marker")
    con.commit()
    con.close()


def _scalar(settings, sql):
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]
    finally:
        con.close()


def test_a_failed_build_leaves_the_published_schemas_as_they_were(pg):
    before = _scalar(pg, "select count(*) from marts.retention")
    build_before = _scalar(pg, "select build_id from meta.published_build")
    # the first failing test ends the build (the rest of the project would only add time)
    result = rb.build_postgres(pg, ["--fail-fast", *FAILING_VARS], quiet=True, progress=lambda _m: None)
    assert not result.ok
    assert _scalar(pg, "select build_id from meta.published_build") == build_before
    assert "published schemas are unchanged" in result.message
    assert _scalar(pg, "select count(*) from marts.published_marker") == 1
    assert _scalar(pg, "select count(*) from marts.retention") == before
    assert any("raw rows quarantined, above the error share" in p for p in result.problems)


def test_a_reader_sees_the_old_schemas_then_the_new_ones_never_an_error(pg):
    expected = _scalar(pg, "select count(*) from marts.retention")
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault(
        "result", rb.build_postgres(pg, [], quiet=True, progress=lambda _m: None)))
    thread.start()
    reads = 0
    while thread.is_alive():
        assert _scalar(pg, "select count(*) from marts.retention") == expected
        reads += 1
        time.sleep(0.5)
    thread.join()
    assert outcome["result"].ok, outcome["result"].problems
    assert reads > 10
    assert _scalar(pg, "select count(*) from information_schema.tables where table_name = 'published_marker'") == 0
    assert _scalar(pg, "select count(*) from marts.retention") == expected
    assert _scalar(pg, "select count(*) from pg_namespace where nspname like '%\\_\\_building' "
                       "or nspname like '%\\_\\_previous'") == 0
    # published with the record of the build that made it, in the same transaction
    run = json.loads((rb.target_dir() / "run_results.json").read_text())["metadata"]
    assert _scalar(pg, "select build_id from meta.published_build") == run["invocation_id"]
    assert _scalar(pg, "select count(*) from meta.published_build") == 1


def test_a_partial_build_is_refused_on_postgres(pg):
    """A selection would fill the shadow schemas with the selected models only and swap them in whole: every
    other table gone for the readers (before: not refused; `+int_as_of_date` with cautious indirect selection
    passed dbt, then stopped in the swap on the missing marts__building schema). Refused before anything
    runs; a build that only leaves out whole resource types (tests) still builds every model."""
    build_before = _scalar(pg, "select build_id from meta.published_build")
    marts_before = _scalar(pg, "select count(*) from information_schema.tables where table_schema = 'marts'")
    for args in (["--select", "retention"], ["--exclude", "account_health"], ["-s", "+renewals"],
                 ["--exclude", "resource_type:test", "account_health"]):
        result = rb.build_postgres(pg, args, quiet=True, progress=lambda _m: None)
        assert not result.ok and result.message == "nothing was built", args
        assert "whole warehouse" in result.problems[0] and "RWH_PG_DATABASE" in result.problems[0], result.problems
    assert _scalar(pg, "select build_id from meta.published_build") == build_before
    assert _scalar(pg, "select count(*) from information_schema.tables where table_schema = 'marts'") == marts_before


def test_a_second_build_against_the_same_database_exits_at_once(pg):
    con = pg.connect()
    with con.cursor() as cur:
        cur.execute("select pg_advisory_lock(%s)", (rb.ADVISORY_LOCK_KEY,))
    try:
        t0 = time.perf_counter()
        with pytest.raises(rb.BuildLocked, match="another build is running against postgresql://"):
            rb.build_postgres(pg, [], quiet=True, progress=lambda _m: None)
        assert time.perf_counter() - t0 < 10
    finally:
        con.close()


@pytest.fixture()
def own_volume_database(monkeypatch):
    """A database of its own (RWH_PG_DATABASE points at it), dropped afterwards."""
    with own_pg_database("volume") as settings:
        monkeypatch.setenv("RWH_PG_DATABASE", settings.database)
        monkeypatch.setenv("RWH_DEMO", "true")
        yield settings


def test_a_daily_run_on_postgres_checks_volume_against_the_baseline_in_the_database(own_volume_database, small_raw,
                                                                                   capsys):
    """`rwh build --target postgres --incremental` without --baseline: the published build keeps its row
    counts in meta.gate_baseline, and the next run names the usage rows deleted at the source."""
    from renewal_warehouse.cli import main

    load_postgres(small_raw, own_volume_database, progress=lambda _m: None)
    daily = ["build", "--target", "postgres", "--incremental", "--quiet", "--manifest",
             str(small_raw / "_manifest.json")]
    assert main([*daily, "--", "--exclude", "resource_type:test", "resource_type:unit_test"]) == 0
    document = json.loads(_scalar(own_volume_database, "select document from meta.gate_baseline"))
    previous = _scalar(own_volume_database, "select count(*) from raw_product.usage_daily")
    assert document["product.usage_daily"] == previous
    build_before = _scalar(own_volume_database, "select build_id from meta.published_build")

    con = own_volume_database.connect()
    with con.cursor() as cur:
        cur.execute("delete from raw_product.usage_daily where ctid in (select ctid from raw_product.usage_daily "
                    "order by usage_date, account_id, user_id limit %s)", (round(0.3 * previous),))
    con.commit()
    con.close()
    current = previous - round(0.3 * previous)
    capsys.readouterr()
    assert main(daily) == 1
    said = capsys.readouterr()
    line = next(ln for ln in said.out.splitlines() if "product.usage_daily" in ln and "volume" in ln)
    assert f"{current:,} rows against {previous:,}" in line and "(30.0 %) lost" in line, line
    assert "meta.gate_baseline of postgresql://" in line, line
    assert "rwh build --target postgres --incremental" in line and "--accept-volume-drop product.usage_daily" in line
    assert json.loads(_scalar(own_volume_database, "select document from meta.gate_baseline")) == document
    assert _scalar(own_volume_database, "select build_id from meta.published_build") == build_before
