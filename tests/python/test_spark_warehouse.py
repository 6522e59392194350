"""The same extract gives the same marts on Spark as on DuckDB (issue 12): row by row, to a millionth.

Run by `make test-spark`, after `make test-duckdb`: RWH_SPARK_WAREHOUSE_DIR holds the Spark build's Parquet
tables, RWH_TEST_DUCKDB the DuckDB test warehouse built from the same extract."""

import os
from pathlib import Path

import duckdb
import pytest

from renewal_warehouse.compare import compare_spark_files

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def builds() -> tuple[Path, Path]:
    spark = Path(os.environ.get("RWH_SPARK_WAREHOUSE_DIR", "target/spark/warehouse"))
    duck = Path(os.environ.get("RWH_TEST_DUCKDB", "target/test-warehouse.duckdb"))
    assert (spark / "marts.db").is_dir(), f"no Spark warehouse at {spark} (make test-spark builds it)"
    assert duck.exists(), f"no DuckDB test warehouse at {duck} (make test-duckdb publishes it)"
    return duck, spark


def test_every_mart_equals_duckdb_to_a_millionth(builds):
    duck, spark = builds
    tables, differences, compared = compare_spark_files(str(duck), str(spark))
    assert len(tables) >= 15
    assert [t.line() for t in tables if not t.same] == []
    assert compared > 100_000
    assert not differences, f"{len(differences)} values differ, e.g. " + "; ".join(
        d.line() for d in differences[:8])
    print(f"{len(tables)} marts, {compared:,} values compared: equal")


def test_the_comparison_sees_a_cent(builds, tmp_path):
    """One amount moved by a cent in a copy of a Spark mart is reported, with its row and column."""
    duck, spark = builds
    marts = tmp_path / "marts.db"
    (marts / "renewals").mkdir(parents=True)
    con = duckdb.connect()
    key = con.execute(f"select renewal_event_id from read_parquet('{spark}/marts.db/renewals/*.parquet') "
                      "where expiring_arr > 0 order by 1 limit 1").fetchone()[0]
    con.execute(f"copy (select * replace (case when renewal_event_id = '{key}' then expiring_arr + 0.01 "
                f"else expiring_arr end as expiring_arr) from read_parquet('{spark}/marts.db/renewals/*.parquet')) "
                f"to '{marts}/renewals/part-0.parquet' (format parquet)")
    tables, differences, _ = compare_spark_files(str(duck), str(tmp_path))
    assert [(d.table, d.key, d.column) for d in differences] == [("marts.renewals", key, "expiring_arr")]
    assert {t.name for t in tables if not t.same} >= {"marts.retention"}  # present on one side only
