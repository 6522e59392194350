"""Billing alone on PostgreSQL: the loader, the gate and the build honour RWH_SOURCE_SYSTEMS there too.

Runs inside `make test-postgres` (marker `postgres`) in a database of its own on the same server, from the
full test extract (its CRM, product, support and CS-platform files are there and must be left alone), and
is set against the full warehouse that target published in the main database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import own_pg_database
from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.loader import PostgresSettings, load_postgres

pytestmark = pytest.mark.postgres

BILLING_MARTS = {"account_retention", "cohort_retention", "customer_economics", "mrr_movements", "renewals",
                 "renewals_by_quarter", "retention"}


def _rows(settings, sql):
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def billing_pg():
    with own_pg_database("billing_only") as settings:
        yield PostgresSettings.from_env(), settings


def test_billing_alone_loads_gates_and_builds_on_postgres(billing_pg, monkeypatch):
    full, settings = billing_pg
    raw = Path(os.environ.get("RWH_TEST_RAW_DIR", "target/test-raw"))
    monkeypatch.setenv("RWH_SOURCE_SYSTEMS", "billing")
    monkeypatch.setenv("RWH_PG_DATABASE", settings.database)
    monkeypatch.setenv("RWH_DEMO", "true")

    said: list[str] = []
    counts = load_postgres(raw, settings, progress=said.append)
    assert {t.split(".")[0] for t in counts} == {"billing"}
    assert [s for s in said if s.startswith("not loaded:")] == [
        f"not loaded: {s} (its files are in the extract, but RWH_SOURCE_SYSTEMS does not declare it)"
        for s in ("crm", "product", "support", "cs_platform")]

    report = run_gate("postgres", pg=settings, manifest_path=raw / "_manifest.json", progress=lambda _m: None)
    assert report.ok, report.render()
    assert report.tables_checked == 4

    result = rb.build_postgres(settings, [], quiet=True, progress=lambda _m: None)
    assert result.ok, result.problems
    marts = {r[0] for r in _rows(settings, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts'")}
    assert marts == BILLING_MARTS
    not_built = rb.marts_not_built(rb.target_dir())
    assert "pipeline_coverage (needs crm)" in not_built and len(not_built) == 12

    # 'all' NRR and GRR equal the full build's (the planted unknown-account contract carries no ARR)
    query = ("select period_type, period_start_date, net_revenue_retention_rate, gross_revenue_retention_rate, "
             "opening_arr, closing_arr from marts.retention where segment_type = 'all' order by 1, 2")
    billing_rows = _rows(settings, query)
    assert len(billing_rows) > 20
    assert billing_rows == _rows(full, query)
