"""The semantic layer on DuckDB: `mf query` for NRR, GRR, logo renewal rate, gross dollar retention, logo churn,
cohort retention (gross and net), the MRR movements, save rate and forecast accuracy equals the demo marts
(semantic_checks.py)."""

from __future__ import annotations

import duckdb
import pytest

from semantic_checks import SemanticLayer, check_all


@pytest.fixture(scope="module")
def mf(demo_warehouse, tmp_path_factory) -> SemanticLayer:
    env = {"RWH_TARGET": "duckdb", "RWH_DUCKDB_PATH": str(demo_warehouse["db"]),
           "RWH_RAW_DIR": str(demo_warehouse["raw"]), "RWH_DEMO": "true"}
    return SemanticLayer(env, tmp_path_factory.mktemp("mf"))


def test_mf_query_equals_the_marts_on_duckdb(mf, demo_warehouse):
    def mart_rows(sql: str) -> list[tuple]:
        # mf opens the file itself (read-write, through dbt-duckdb): hold no connection while it runs
        con = duckdb.connect(str(demo_warehouse["db"]), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    compared = check_all(mf, mart_rows)
    assert compared["logo_renewal_rate"] > 15 and compared["net_revenue_retention_rate"] > 60
    assert compared["mrr_movements"] > 40 and compared["arr_save_rate"] > 10 and compared["forecast_accuracy_rate"] > 5
    assert compared["cohort_arr_retention_rate"] > 5 and compared["csm_forecast_accuracy_rate"] > 20
    assert compared["weighted_pipeline_coverage_rate"] >= 1 and compared["model_forecast_accuracy_rate"] > 3
    assert compared["saved_queries"] >= 8
    print(compared)
