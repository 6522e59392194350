"""The audit queries in analyses/ compile and run on the demo warehouse, and say what they promise."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt
from tests_root import ROOT

ANALYSES = ["mrr_bridge", "quarantine_review", "crm_vs_billing_reconciliation"]


@pytest.fixture(scope="module")
def audits(demo_warehouse, tmp_path_factory) -> dict[str, list[dict]]:
    """Each analysis compiled against the demo warehouse and run there: its rows as dicts."""
    work = tmp_path_factory.mktemp("analyses")
    result = run_dbt(["compile", "--select", *ANALYSES], demo_warehouse["raw"], demo_warehouse["db"], work)
    assert result.success, result.exception
    compiled = work / "target" / "compiled" / "renewal_warehouse" / "analyses"
    con = duckdb.connect(str(demo_warehouse["db"]), read_only=True)
    try:
        out = {}
        for name in ANALYSES:
            rel = con.sql(Path(compiled / f"{name}.sql").read_text())
            out[name] = [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]
        out["_quarantined"] = con.execute("select count(*) from staging.quarantined_rows").fetchall()[0][0]
        out["_months"] = con.execute("select count(distinct month_start_date) from intermediate.int_mrr_movements"
                                     ).fetchall()[0][0]
        return out
    finally:
        con.close()


def test_the_mrr_bridge_closes_every_month(audits):
    bridge = audits["mrr_bridge"]
    assert len(bridge) == audits["_months"] > 12
    assert all(row["difference"] == 0 and row["opening_gap"] == 0 for row in bridge)
    assert sum(row["churn_mrr"] for row in bridge) > 0 and sum(row["new_mrr"] for row in bridge) > 0


def test_the_quarantine_review_accounts_for_every_quarantined_row(audits):
    review = audits["quarantine_review"]
    assert audits["_quarantined"] > 0, "the demo extract is corrupted on purpose"
    assert sum(row["quarantined_row_count"] for row in review) == audits["_quarantined"]
    for row in review:
        assert 0 < row["quarantined_share"] <= 1 and row["raw_row_count"] >= row["quarantined_row_count"]
        assert row["example_source_key"] is not None or row["quarantine_reason"] == "null_key"


def test_the_crm_reconciliation_names_each_disagreement(audits):
    rows = audits["crm_vs_billing_reconciliation"]
    assert rows, "the extract holds CRM opportunities that billing disagrees with"
    for row in rows:
        finding = row["finding"]
        if finding == "no billing renewal for this opportunity":
            assert row["renewal_event_id"] is None
        elif finding == "won in the CRM, churned in billing":
            assert row["is_won"] and row["billing_outcome"] == "churned"
        elif finding == "lost in the CRM, renewed in billing":
            assert row["is_closed"] and not row["is_won"] and row["billing_outcome"] == "renewed"
        elif finding == "expiring ARR differs by more than 1 %":
            gap = abs(Decimal(row["crm_expiring_arr"]) - Decimal(row["billing_expiring_arr"]))
            assert row["is_in_reporting_currency"] and gap > Decimal("0.01") * abs(row["billing_expiring_arr"])
        else:
            assert finding == "won amount differs from the successor ARR by more than 1 %"
            gap = abs(Decimal(row["crm_renewal_arr"]) - Decimal(row["billing_successor_arr"]))
            assert row["is_in_reporting_currency"] and gap > Decimal("0.01") * abs(row["billing_successor_arr"])


def test_the_dashboards_are_exposures_that_read_marts(demo_warehouse):
    """docs/metrics.md section 9: four dashboards, and the renewal likelihood page, each an exposure depending on
    marts only (not on staging or intermediate models, which BI tools must not read)."""
    import json

    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == {"executive_dashboard", "cs_leadership_dashboard", "csm_dashboard",
                              "renewal_operations_dashboard", "renewal_likelihood_dashboard"}
    marts = {uid for uid, n in manifest["nodes"].items() if n["resource_type"] == "model" and n["fqn"][1] == "marts"}
    for exposure in exposures.values():
        reads = exposure["depends_on"]["nodes"]
        assert reads and set(reads) <= marts, (exposure["name"], set(reads) - marts)
        assert exposure["description"] and exposure["owner"]["name"]


def _readme_queries() -> dict[str, str]:
    """The example queries of the analysts' guide's ```sql blocks (docs/analysts.md, in README.md until issue 26),
    by their first line (the comment saying what they answer); statements end with a semicolon at the end of a
    line."""
    text = (ROOT / "docs" / "analysts.md").read_text()
    queries = {}
    for block in re.findall(r"```sql\n(.*?)```", text, re.S):
        for statement in re.split(r";[ \t]*(?:\n|$)", block):
            if statement.strip():
                queries[statement.strip().splitlines()[0]] = statement
    return queries


def test_the_readme_shows_example_queries():
    titles = list(_readme_queries())
    assert len(titles) >= 10 and all(title.startswith("-- ") for title in titles), titles
    assert "-- Churned renewals of the last quarter with their owner at T-90 and CRM reconciliation" in titles


@pytest.mark.parametrize("title", list(_readme_queries()))
def test_every_readme_example_query_returns_rows_on_the_demo(demo_warehouse, title):
    """What a new user pastes from the analysts' guide answers on the demo warehouse: it runs and returns rows."""
    con = duckdb.connect(str(demo_warehouse["db"]), read_only=True)
    try:
        rows = con.sql(_readme_queries()[title]).fetchall()
    finally:
        con.close()
    assert rows, f"docs/analysts.md example {title!r} returns no rows on the demo"
