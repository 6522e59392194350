"""The semantic layer on PostgreSQL: `mf query` equals the published marts there too (semantic_checks.py).
Runs inside `make test-postgres` (marker `postgres`)."""

from __future__ import annotations

import pytest

from renewal_warehouse.pipeline.loader import PostgresSettings
from semantic_checks import SemanticLayer, check_all

pytestmark = pytest.mark.postgres


def test_mf_query_equals_the_marts_on_postgres(tmp_path):
    mf = SemanticLayer({"RWH_TARGET": "postgres", "RWH_DEMO": "true"}, tmp_path)
    con = PostgresSettings.from_env().connect()

    def mart_rows(sql: str) -> list[tuple]:
        with con.cursor() as cur:
            cur.execute(sql)
            rows = cur.fetchall()
        con.rollback()
        return rows

    try:
        compared = check_all(mf, mart_rows)
    finally:
        con.close()
    assert compared["logo_renewal_rate"] > 15 and compared["net_revenue_retention_rate"] > 60
    assert compared["mrr_movements"] > 40 and compared["arr_save_rate"] > 10 and compared["forecast_accuracy_rate"] > 5
    assert compared["cohort_arr_retention_rate"] > 5
    print(compared)
