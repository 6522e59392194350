"""Incremental runs equal a full build on PostgreSQL too, through `rwh build --incremental`.

Runs inside `make test-postgres` (marker `postgres`) in two databases of its own on the same server: the
small extract as loaded a day before its extract time, without the account the CRM learns of last
(test_incremental.daily_extracts), built in full, then the whole extract built on it incrementally (late
usage, late versions, the late account, and usage back-filled with load times older than the run's look-back
window or deleted at the source: test_incremental.plant_rows_the_look_back_cannot_see), each loaded and
published with ``build_postgres(incremental=True)``; and that whole extract built in full. Every published
table of every layer must be equal, row for row. The DuckDB tests replay three daily cuts and the back-fill
apart; this one proves PostgreSQL's own mechanics (the copy into the shadow schemas, delete+insert there, the
ledger read from the published staging schema) with one, which keeps `make test` within its time.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from conftest import drop_pg_database
from renewal_warehouse.devtools.compare import compare_postgres
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.loader import PostgresSettings, load_postgres
from test_incremental import LAYERS, daily_extracts, late_account, plant_rows_the_look_back_cannot_see

pytestmark = pytest.mark.postgres
# Data tests run in the DuckDB test; here the equality of the tables is the test.
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]


@pytest.fixture()
def databases():
    main = PostgresSettings.from_env()
    made = [dataclasses.replace(main, database=f"{main.database}_{name}") for name in ("incremental", "full")]
    admin = main.connect()
    admin.autocommit = True
    for s in made:
        drop_pg_database(admin, s.database)
        with admin.cursor() as cur:
            cur.execute(f'create database "{s.database}"')
    yield made
    for s in made:
        drop_pg_database(admin, s.database)
    admin.close()


def _build(settings, raw, monkeypatch, incremental: bool) -> list[str]:
    monkeypatch.setenv("RWH_PG_DATABASE", settings.database)
    load_postgres(raw, settings, progress=lambda _m: None)
    said: list[str] = []
    result = rb.build_postgres(settings, NO_TESTS, quiet=True, progress=said.append, incremental=incremental)
    assert result.ok, (raw, result.problems, result.message)
    return said


def test_daily_incremental_builds_equal_a_full_build_on_postgres(small_raw, databases, tmp_path, monkeypatch):
    incremental, full = databases
    monkeypatch.setenv("RWH_DEMO", "true")
    days = daily_extracts(small_raw, tmp_path, cuts=(24,))
    # the day's extract also back-fills usage with old load times and purges an old day (issue 25 B6)
    last = tmp_path / "last"
    shutil.copytree(days[-1], last)
    plant_rows_the_look_back_cannot_see(last)
    days[-1] = last
    said = [_build(incremental, day, monkeypatch, incremental=True) for day in days]
    assert any("is not published yet: built in full" in s for s in said[0])
    assert any("copied to intermediate__building" in s for s in said[-1]), said[-1]
    _build(full, last, monkeypatch, incremental=False)

    con = incremental.connect()
    with con.cursor() as cur:
        cur.execute("select count(*) from intermediate.int_usage_account_days where account_id = %s",
                    (late_account(small_raw),))
        assert cur.fetchone()[0] > 100, "the late account's whole usage history left the quarantine"
    con.close()
    # decided_as_of is the watermark a run leaves: a day decided by an earlier run keeps that run's value
    differences = [r.line() for r in compare_postgres(full, incremental, LAYERS, {"decided_as_of"})
                   if not r.same]
    assert differences == []
