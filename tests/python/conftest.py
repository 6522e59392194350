"""Shared fixtures: small generated extracts and a DuckDB warehouse built from one with dbt."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from renewal_warehouse.pipeline.generator import GeneratorConfig, generate

ROOT = Path(__file__).resolve().parents[2]

# The dbt unit tests check the models' logic on fixed inputs: each engine's own build in `make test`
# (test-duckdb, test-postgres, test-spark) runs them. The builds the Python tests start (bad inputs, kills,
# daily runs) would only run the same ones again, each time: dbt leaves them out here (set the variable to
# "" to run them too).
os.environ.setdefault("DBT_EXCLUDE_RESOURCE_TYPES", "unit_test")
# `make test` runs the suite on two workers (pytest-xdist, one test file per worker at a time): each worker's
# builds write dbt's artifacts (manifest, run results) to a target directory of their own, read back by the
# build's sentences and by the tests (renewal_warehouse.pipeline.build.target_dir).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["RWH_TARGET_PATH"] = str(ROOT / "target" / f"pytest-{os.environ['PYTEST_XDIST_WORKER']}")
SMALL = GeneratorConfig(accounts=60, years=1.5, seed=11)


@pytest.fixture(scope="session")
def small_raw(tmp_path_factory) -> Path:
    """A small corrupted extract (60 accounts, 18 months)."""
    out = tmp_path_factory.mktemp("raw_small")
    generate(SMALL, out, progress=lambda _m: None)
    return out


@pytest.fixture()
def raw_copy(small_raw, tmp_path) -> Path:
    """A private copy of the small extract that a test may damage."""
    dst = tmp_path / "raw"
    shutil.copytree(small_raw, dst)
    return dst


def run_dbt(args: list[str], raw_dir: Path, db_path: Path, work: Path, project: Path = ROOT, **extra_env: str):
    """Invoke dbt in-process against a DuckDB file (the project, or a copy of it); returns the dbtRunnerResult."""
    from dbt.cli.main import dbtRunner

    env = {"RWH_RAW_DIR": str(raw_dir), "RWH_DUCKDB_PATH": str(db_path), "RWH_TARGET": "duckdb",
           "RWH_DUCKDB_TEMP_DIR": str(work / "duckdb_tmp"), "RWH_DEMO": "true", **extra_env}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return dbtRunner().invoke([*args, "--project-dir", str(project), "--profiles-dir", str(project),
                                   "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
                                   "--quiet"])
    finally:
        # dbt-duckdb keeps the database open in this process with the profile's config_options; close it
        # so tests can open the file with their own connection.
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        DuckDBConnectionManager.close_all_connections()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="session")
def warehouse(small_raw, tmp_path_factory) -> dict:
    """The small extract built into a DuckDB warehouse with `dbt build` (all tests must pass)."""
    work = tmp_path_factory.mktemp("dbt")
    db = work / "warehouse.duckdb"
    result = run_dbt(["build"], small_raw, db, work)
    assert result.success, f"dbt build failed: {result.exception or result.result}"
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("checkpoint")  # fold the WAL in, so tests can copy the file
    con.close()
    return {"db": db, "raw": small_raw, "work": work}


def pytest_sessionfinish(session, exitstatus):
    session.config.rwh_exitstatus = int(exitstatus)


def pytest_unconfigure(config):
    """Leave right after pytest's summary. GX and duckdb-engine keep DuckDB objects alive until interpreter
    teardown, where DuckDB's bindings print pages of spurious leak warnings after the summary line."""
    import sys

    status = getattr(config, "rwh_exitstatus", None)
    if status is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> dict:
    """The demo extract (400 accounts, 4 years, as `make build` makes it) built into a DuckDB warehouse.

    Inside `make test` (RWH_REUSE_TEST_WAREHOUSE=1), the warehouse `make test-duckdb` published from the
    demo-sized test extract a few minutes earlier, from the same code, is copied instead of built again."""
    work = tmp_path_factory.mktemp("dbt_demo")
    db = work / "warehouse.duckdb"
    reused = _published_test_warehouse()
    if reused is not None:
        published, raw = reused
        shutil.copyfile(published, db)
        result = run_dbt(["parse"], raw, db, work)  # the manifest the tests read
        assert result.success, f"dbt parse failed: {result.exception or result.result}"
        return {"db": db, "raw": raw, "work": work}
    raw = tmp_path_factory.mktemp("raw_demo")
    generate(GeneratorConfig(), raw, progress=lambda _m: None)
    result = run_dbt(["build"], raw, db, work)
    assert result.success, f"dbt build failed: {result.exception or result.result}"
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("checkpoint")
    con.close()
    return {"db": db, "raw": raw, "work": work}


def _published_test_warehouse() -> tuple[Path, Path] | None:
    """The test warehouse and extract of `make test-duckdb`, when asked for and the extract is the demo's."""
    import json

    if os.environ.get("RWH_REUSE_TEST_WAREHOUSE") != "1":
        return None
    db, raw = Path(os.environ["RWH_TEST_DUCKDB"]), Path(os.environ["RWH_TEST_RAW_DIR"])
    manifest = json.loads((raw / "_manifest.json").read_text())
    demo = json.loads(json.dumps(GeneratorConfig().__dict__, default=str))
    config = {k: manifest["config"].get(k) for k in demo}
    assert db.is_file() and config == demo, f"not the demo extract's warehouse: {db} ({config} != {demo})"
    return db, raw


@pytest.fixture(scope="module")
def demo_con(demo_warehouse):
    """A connection to the demo warehouse with the simulation's truth as views: truth_events (one row per
    renewal event) and truth_csms (one row per CSM, with the planted roles)."""
    import duckdb

    connection = duckdb.connect(str(demo_warehouse["db"]))
    truth = demo_warehouse["raw"] / "_truth"
    connection.execute(f"create temp view truth_events as select * from read_parquet('{truth}/renewal_events.parquet')")
    connection.execute(f"create temp view truth_csms as select * from read_parquet('{truth}/csms.parquet')")
    yield connection
    connection.close()


def drop_pg_database(admin, name: str, attempts: int = 30) -> None:
    """Drop a test database and end its sessions (``admin``: an autocommit connection to another database).

    PostgreSQL 15's ``drop database ... with (force)`` refuses, for a user who is not a superuser, when an
    autovacuum worker happens to be working in the database ("must be a member of the role whose process is being
    terminated"): likely right after a test loaded it. The worker finishes or is cancelled within seconds, so the
    drop is tried again, then once without force (which asks autovacuum to stop and waits for it)."""
    import time

    import psycopg2

    for _ in range(attempts):
        try:
            with admin.cursor() as cur:
                cur.execute(f'drop database if exists "{name}" with (force)')
            return
        except psycopg2.errors.InsufficientPrivilege:
            time.sleep(1)
    with admin.cursor() as cur:
        cur.execute(f'drop database if exists "{name}"')


@contextmanager
def own_pg_database(suffix: str) -> Iterator:
    """A database of its own on the test server (RWH_PG_* names the server and the main database; the
    published warehouse there is left alone), created empty and dropped afterwards: its PostgresSettings."""
    import dataclasses

    from renewal_warehouse.pipeline.loader import PostgresSettings

    main = PostgresSettings.from_env()
    settings = dataclasses.replace(main, database=f"{main.database}_{suffix}")
    admin = main.connect()
    admin.autocommit = True
    try:
        drop_pg_database(admin, settings.database)
        with admin.cursor() as cur:
            cur.execute(f'create database "{settings.database}"')
        yield settings
    finally:
        drop_pg_database(admin, settings.database)
        admin.close()


VENDOR_FORMATS = "billing=stripe,crm=salesforce,support=zendesk,product=segment"


def vendors_and_twin(raw: Path, work: Path) -> dict:
    """Two copies of an extract under ``work``: its billing written as Stripe tables, its CRM as Salesforce
    tables, its support as Zendesk tables and its product usage as Segment events (``vendors``, with the
    vendors' quirks planted), and its contract-format twin (``twin``: the world the vendors expressed); with the
    vendor extract's manifest. Build ``vendors`` with RWH_SOURCE_FORMATS=VENDOR_FORMATS."""
    from renewal_warehouse.pipeline.vendors import salesforce_writer, segment_writer, stripe_writer, zendesk_writer

    vendors, twin = work / "raw_vendors", work / "raw_twin"
    shutil.copytree(raw, vendors)
    shutil.copytree(raw, twin)
    stripe = stripe_writer.write_stripe(vendors, progress=lambda _m: None)
    salesforce = salesforce_writer.write_salesforce(vendors, progress=lambda _m: None)
    zendesk = zendesk_writer.write_zendesk(vendors, progress=lambda _m: None)
    segment = segment_writer.write_segment(vendors, progress=lambda _m: None)
    stripe_writer.contract_twin(twin, stripe["kept"])
    salesforce_writer.contract_twin(twin, salesforce)
    zendesk_writer.contract_twin(twin, zendesk)
    segment_writer.contract_twin(twin, segment)
    return {"vendors": vendors, "twin": twin, "manifest": segment["manifest"]}


def hubspot_and_twin(raw: Path, work: Path) -> dict:
    """Two copies of an extract under ``work``: its CRM written as HubSpot tables (``vendors``, with HubSpot's quirks
    planted; the other systems in the contract's shape) and its contract-format twin (``twin``); with the HubSpot
    extract's manifest. Build ``vendors`` with RWH_SOURCE_FORMATS=crm=hubspot."""
    from renewal_warehouse.pipeline.vendors import hubspot_writer

    vendors, twin = work / "raw_hubspot", work / "raw_hubspot_twin"
    shutil.copytree(raw, vendors)
    shutil.copytree(raw, twin)
    hubspot = hubspot_writer.write_hubspot(vendors, progress=lambda _m: None)
    hubspot_writer.contract_twin(twin, hubspot)
    return {"vendors": vendors, "twin": twin, "manifest": hubspot["manifest"]}
