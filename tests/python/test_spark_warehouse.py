"""The same extract gives the same marts on Spark as on DuckDB (issue 12): row by row, to a millionth; and
daily incremental runs on Spark give the same tables as its full build. The vendor adapters run on Spark too (issue
27): the small extract written as Stripe, Salesforce, Zendesk and Segment tables gives on Spark the marts its
contract-format twin gives on DuckDB, and written as HubSpot tables the same CRM base tables as on DuckDB.

Run by `make test-spark`, after `make test-duckdb`: RWH_SPARK_WAREHOUSE_DIR holds the Spark build's Parquet
tables, RWH_TEST_DUCKDB the DuckDB test warehouse built from the same extract (RWH_TEST_RAW_DIR)."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import VENDOR_FORMATS, hubspot_and_twin, run_dbt, vendors_and_twin
from renewal_warehouse.devtools.compare import compare_spark_files, compare_spark_warehouses
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.build import ROOT
from renewal_warehouse.pipeline.vendors.hubspot import HUBSPOT
from test_incremental import daily_extracts, late_account

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def builds() -> tuple[Path, Path, str]:
    """The DuckDB test warehouse, the Spark warehouse directory and the slot `rwh build --target spark`
    published (read from the metastore)."""
    spark = Path(os.environ.get("RWH_SPARK_WAREHOUSE_DIR", "target/spark/warehouse")).resolve()
    duck = Path(os.environ.get("RWH_TEST_DUCKDB", "target/test-warehouse.duckdb"))
    assert duck.exists(), f"no DuckDB test warehouse at {duck} (make test-duckdb publishes it)"
    slot = rb.spark_published_slot({"RWH_SPARK_WAREHOUSE_DIR": str(spark)})
    assert slot in ("blue", "green"), f"nothing published in the Spark warehouse {spark} (make test-spark builds it)"
    assert (spark / f"marts__{slot}.db").is_dir()
    return duck, spark, slot


def test_every_mart_equals_duckdb_to_a_millionth(builds):
    duck, spark, slot = builds
    tables, differences, compared = compare_spark_files(str(duck), str(spark), spark_schema=f"marts__{slot}")
    assert len(tables) >= 15
    assert [t.line() for t in tables if not t.same] == []
    assert compared > 100_000
    assert not differences, f"{len(differences)} values differ, e.g. " + "; ".join(
        d.line() for d in differences[:8])
    print(f"{len(tables)} marts, {compared:,} values compared: equal")


def test_the_comparison_sees_a_cent(builds, tmp_path):
    """One amount moved by a cent in a copy of a Spark mart is reported, with its row and column."""
    duck, spark, slot = builds
    marts = tmp_path / "marts.db"
    (marts / "renewals").mkdir(parents=True)
    con = duckdb.connect()
    published = spark / f"marts__{slot}.db" / "renewals"
    key = con.execute(f"select renewal_event_id from read_parquet('{published}/*.parquet') "
                      "where expiring_arr > 0 order by 1 limit 1").fetchone()[0]
    con.execute(f"copy (select * replace (case when renewal_event_id = '{key}' then expiring_arr + 0.01 "
                f"else expiring_arr end as expiring_arr) from read_parquet('{published}/*.parquet')) "
                f"to '{marts}/renewals/part-0.parquet' (format parquet)")
    tables, differences, _ = compare_spark_files(str(duck), str(tmp_path))
    assert [(d.table, d.key, d.column) for d in differences] == [("marts.renewals", key, "expiring_arr")]
    assert {t.name for t in tables if not t.same} >= {"marts.retention"}  # present on one side only


# The incremental models, everything upstream of them, and the ledger of the raw usage their next run reads.
INCREMENTAL_SELECTION = ["+int_usage_account_weeks", "+int_usage_account_days", "base_product__usage_daily_ledger"]
INCREMENTAL_MODELS = {"staging.base_product__usage_daily", "intermediate.int_usage_account_days",
                      "intermediate.int_usage_user_blocks", "intermediate.int_usage_account_weeks"}


def _spark_run(raw: Path, warehouse_dir: Path, work: Path) -> str:
    env = {**os.environ, "RWH_DEMO": "true", "RWH_TARGET": "spark", "RWH_RAW_DIR": str(raw.resolve()),
           "RWH_SPARK_WAREHOUSE_DIR": str(warehouse_dir)}
    out = subprocess.run([str(Path(sys.executable).with_name("dbt")), "run", "--target", "spark", "--select",
                          *INCREMENTAL_SELECTION, "--target-path", str(work / "target"), "--log-path",
                          str(work / "logs")], env=env, cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if len(line) < 400]  # not pyspark's JSON lines
    assert out.returncode == 0, f"dbt run on Spark with {raw.name} failed:\n" + "\n".join(lines[-30:])
    return "\n".join(lines)


def test_a_failed_build_changes_no_published_view(builds, monkeypatch):
    """rwh build --target spark --incremental with a build that fails: the published slot stays the published
    one, the failure is told in sentences, and the failed build is kept in the other slot, which began as a
    copy of the published incremental tables, partitions and all. The failure comes early: without RWH_DEMO
    and a PII salt the models that hash contact details refuse to build (--fail-fast)."""
    _, spark, slot = builds
    monkeypatch.setenv("RWH_SPARK_WAREHOUSE_DIR", str(spark))
    monkeypatch.delenv("RWH_DEMO", raising=False)
    monkeypatch.delenv("RWH_PII_SALT", raising=False)
    raw = Path(os.environ.get("RWH_TEST_RAW_DIR", "target/test-raw"))
    said: list[str] = []
    result = rb.build_spark(raw, ["--fail-fast"], quiet=True, progress=said.append, incremental=True)
    other = "green" if slot == "blue" else "blue"
    assert not result.ok
    assert "the published layers are unchanged" in result.message and f"__{other}" in result.message
    assert any("could not be built" in p and "salt" in p for p in result.problems), result.problems
    assert rb.spark_published_slot() == slot

    copied = [line for line in said if "to build on incrementally" in line]
    assert len(copied) == len(INCREMENTAL_MODELS), said
    comparisons = compare_spark_warehouses(str(spark), str(spark), ["staging", "intermediate"], {"decided_as_of"},
                                           before_suffix=f"__{slot}", after_suffix=f"__{other}")
    assert [c.line() for c in comparisons if c.name in INCREMENTAL_MODELS and not c.same] == []
    assert (spark / f"intermediate__{other}.db" / "int_usage_account_days" / "usage_month=2026-09-01").is_dir()


def test_a_partial_build_is_refused_on_spark():
    result = rb.build_spark(Path("target/test-raw"), ["--select", "retention"], quiet=True)
    assert not result.ok and "whole warehouse" in result.problems[0] and result.message == "nothing was built"


def test_daily_incremental_runs_equal_a_full_build_on_spark(builds, tmp_path):
    """The replay of test_incremental on Spark, in two runs: the extract as loaded a day before its extract
    time (without the account the CRM learns of last), then the whole extract, incremental on the first
    (insert_overwrite of the changed partitions, which the pre-hook dropped first). The incremental models
    must equal those of the Spark full build of the whole extract, row for row."""
    _, full, slot = builds
    raw = Path(os.environ.get("RWH_TEST_RAW_DIR", "target/test-raw"))
    days = daily_extracts(raw, tmp_path, cuts=(24,))
    warehouse = tmp_path / "warehouse"
    said = [_spark_run(day, warehouse, tmp_path) for day in days]
    assert "changed since the last run" not in said[0]  # the first run builds everything
    assert "int_usage_user_blocks: " in said[-1] and "changed since the last run" in said[-1], said[-1]
    assert "rebuilding their whole months" in said[-1], said[-1]
    days_dir = warehouse / "intermediate.db" / "int_usage_account_days"
    assert len(list(days_dir.glob("usage_month=*"))) > 24, "int_usage_account_days is partitioned by month"

    hidden = late_account(raw)
    staged = duckdb.sql(f"select count(*) from read_parquet('{days_dir}/**/*.parquet', hive_partitioning = true) "
                        f"where account_id = ?", params=[hidden]).fetchall()[0][0]
    assert staged > 100, "the late account's whole usage history left the quarantine"

    comparisons = compare_spark_warehouses(str(full), str(warehouse), ["staging", "intermediate"],
                                           {"decided_as_of"}, before_suffix=f"__{slot}")
    built = [c for c in comparisons if c.rows_after is not None]
    assert {c.name for c in built} >= INCREMENTAL_MODELS
    assert [c.line() for c in built if not c.same] == []


NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]


def _spark_build(raw: Path, warehouse_dir: Path, work: Path, formats: str, selection: list[str]) -> None:
    """dbt build (models and seeds, no tests) of ``raw`` on a local Spark of its own, its vendors named."""
    env = {**os.environ, "RWH_DEMO": "true", "RWH_TARGET": "spark", "RWH_RAW_DIR": str(raw.resolve()),
           "RWH_SPARK_WAREHOUSE_DIR": str(warehouse_dir), "RWH_SOURCE_FORMATS": formats}
    out = subprocess.run([str(Path(sys.executable).with_name("dbt")), "build", "--target", "spark", *selection,
                          *NO_TESTS, "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
                         env=env, cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if len(line) < 400]
    assert out.returncode == 0, f"dbt build on Spark of {raw} ({formats}) failed:\n" + "\n".join(lines[-30:])


def test_the_vendor_extracts_give_on_spark_what_they_give_on_duckdb(small_raw, tmp_path):
    """Built on Spark from Stripe, Salesforce, Zendesk and Segment tables, every mart equals the contract-format
    twin's on DuckDB, to a millionth (test_vendors proves the twin equal to the vendor build on DuckDB). HubSpot,
    the other CRM: the five CRM base tables its adapter feeds, built on Spark, equal DuckDB's from the same tables
    (test_hubspot proves the DuckDB build's marts equal its twin's)."""
    four = vendors_and_twin(small_raw, tmp_path / "four")
    twin_db = tmp_path / "twin.duckdb"
    (tmp_path / "twin").mkdir()
    built = run_dbt(["build", *NO_TESTS], four["twin"], twin_db, tmp_path / "twin")
    assert built.success, built.result
    spark = tmp_path / "spark" / "warehouse"
    _spark_build(four["vendors"], spark, tmp_path / "spark", VENDOR_FORMATS, [])
    tables, differences, compared = compare_spark_files(str(twin_db), str(spark))
    assert len(tables) >= 15 and compared > 100_000
    assert [t.line() for t in tables if not t.same] == []
    assert not differences, "; ".join(d.line() for d in differences[:8])

    hubspot = hubspot_and_twin(small_raw, tmp_path / "hubspot")
    bases = [f"base_crm__{table}" for table in HUBSPOT.replaces]
    selection = ["--select", *[f"+{b}" for b in bases]]
    hubspot_db = tmp_path / "hubspot.duckdb"
    (tmp_path / "hubspot_duckdb").mkdir()
    built = run_dbt(["build", *selection, *NO_TESTS], hubspot["vendors"], hubspot_db, tmp_path / "hubspot_duckdb",
                    RWH_SOURCE_FORMATS="crm=hubspot")
    assert built.success, built.result
    hubspot_spark = tmp_path / "hubspot_spark" / "warehouse"
    _spark_build(hubspot["vendors"], hubspot_spark, tmp_path / "hubspot_spark", "crm=hubspot", selection)
    con = duckdb.connect(str(hubspot_db))
    try:  # the five base tables alone, in a schema of their own, for the comparison
        con.execute("create schema crm_base")
        for b in bases:
            con.execute(f"create table crm_base.{b} as select * from staging.{b}")
    finally:
        con.close()
    tables, differences, compared = compare_spark_files(str(hubspot_db), str(hubspot_spark), schema="crm_base",
                                                        spark_schema="staging")
    assert len(tables) == 5 and compared > 1_000
    assert [t.line() for t in tables if not t.same] == []
    assert not differences, "; ".join(d.line() for d in differences[:8])
