"""Partial source systems (docs/metrics.md section 1): RWH_SOURCE_SYSTEMS declares them, billing alone builds.

The billing-only warehouse is built with `rwh build` from the billing files of the small extract and set
against the full build of the same extract (the `warehouse` fixture).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt
from renewal_warehouse.pipeline import contract as rc

BILLING_MARTS = {"account_retention", "cohort_retention", "customer_economics", "mrr_movements", "renewals",
                 "renewals_by_quarter", "retention"}


def _rwh(args: list[str], systems: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "renewal_warehouse", *args], capture_output=True, text=True,
                          env={**os.environ, "RWH_DEMO": "true", "RWH_SOURCE_SYSTEMS": systems, **env})


@pytest.fixture(scope="module")
def billing_only(small_raw, tmp_path_factory) -> dict:
    """The billing files of the small extract (and its manifest) built with RWH_SOURCE_SYSTEMS=billing."""
    work = tmp_path_factory.mktemp("billing_only")
    raw = work / "raw"
    raw.mkdir()
    shutil.copytree(small_raw / "billing", raw / "billing")
    shutil.copy(small_raw / "_manifest.json", raw / "_manifest.json")
    warehouse = work / "warehouse.duckdb"
    proc = _rwh(["build", "--raw-dir", str(raw), "--warehouse", str(warehouse), "--quiet"], "billing")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"db": warehouse, "raw": raw, "stdout": proc.stdout}


@pytest.fixture(scope="module")
def both(billing_only, warehouse):
    con = duckdb.connect()
    con.execute(f"attach '{billing_only['db']}' as b (read_only)")
    con.execute(f"attach '{warehouse['db']}' as f (read_only)")
    yield con
    con.close()


def test_billing_alone_builds_the_revenue_retention_and_renewal_marts(both):
    tables = "select table_schema, table_name from information_schema.tables where table_catalog = 'b'"
    marts = {r[0] for r in both.sql(f"select table_name from ({tables}) where table_schema = 'marts'").fetchall()}
    assert marts == BILLING_MARTS
    schemas = {r[0] for r in both.sql(f"select distinct table_schema from ({tables})").fetchall()}
    assert not [s for s in schemas if s.startswith("raw_")]
    staged = {r[0] for r in both.sql(f"select table_name from ({tables}) "
                                     "where table_schema = 'staging' and table_name like 'stg_%'").fetchall()}
    assert staged == {"stg_billing__contract_lines", "stg_billing__contracts", "stg_billing__fx_rates",
                      "stg_billing__products"}


def test_the_build_says_which_marts_were_not_built_and_why(billing_only):
    line = next(x for x in billing_only["stdout"].splitlines() if "not built" in x)
    assert "source systems billing (RWH_SOURCE_SYSTEMS); 12 mart(s) not built" in line
    assert "pipeline_coverage (needs crm)" in line
    assert "save_rate (needs cs_platform)" in line
    assert "account_health (needs crm, product, support, cs_platform)" in line
    assert "customer_experience (needs support, cs_platform)" in line
    assert "renewal_likelihood (needs crm, product, support, cs_platform)" in line


def test_billing_only_nrr_and_grr_equal_the_full_build(both):
    """The CRM-only quarantine (contracts of accounts unknown to the CRM) is the one possible difference;
    the planted unknown-account contract has no lines of its own, so 'all' retention is identical."""
    diff = both.sql("""
        select f.period_type, f.period_start_date, f.net_revenue_retention_rate, b.net_revenue_retention_rate,
               f.gross_revenue_retention_rate, b.gross_revenue_retention_rate, f.opening_arr, b.opening_arr
        from f.marts.retention as f
        full outer join b.marts.retention as b
            using (period_type, period_start_date, segment_type, segment_value)
        where coalesce(f.segment_type, b.segment_type) = 'all'
          and (f.net_revenue_retention_rate is distinct from b.net_revenue_retention_rate
               or f.gross_revenue_retention_rate is distinct from b.gross_revenue_retention_rate
               or f.opening_arr is distinct from b.opening_arr or f.closing_arr is distinct from b.closing_arr)
    """).fetchall()
    assert diff == []
    periods = both.sql("select count(*) from b.marts.retention where segment_type = 'all'").fetchall()[0][0]
    assert periods > 20


def test_billing_only_renewals_match_the_full_build_and_leave_other_systems_null(both):
    """Every renewal is the same, except those of contracts the full build quarantines as unknown to the
    CRM: billing alone has no account registry to check them against, so it keeps them."""
    crm_only = both.sql("""
        select source_key from f.staging.quarantined_rows
        where source_system = 'billing' and source_table = 'contracts' and quarantine_reason = 'unknown_account'
    """).fetchall()
    assert crm_only, "the small extract plants a contract of an account the CRM does not know"
    compared = ["outcome", "expiring_arr", "renewed_arr", "churned_arr", "expansion_arr", "plan_tier", "acv_band"]
    differ = both.sql(f"""
        select coalesce(f.expiring_contract_id, b.expiring_contract_id) from f.marts.renewals as f
        full outer join b.marts.renewals as b using (renewal_event_id)
        where {' or '.join(f'f.{c} is distinct from b.{c}' for c in compared)}
    """).fetchall()
    assert set(differ) <= set(crm_only)
    crm, risk, indicators, segments = both.sql("""
        select count(opportunity_id) + count(csm_user_id_at_t90) + count(is_escalated)
                   + count(is_crm_won_but_churned) + count(touchpoint_count),
               count(is_at_risk) + count(is_saved) + count(churn_reason),
               count(health_score_t90) + count(is_value_review_done_t60),
               count(case when size_segment <> 'unknown' or region <> 'unknown' then 1 end)
        from b.marts.renewals
    """).fetchall()[0]
    assert (crm, risk, indicators, segments) == (0, 0, 0, 0)
    escalated = both.sql("select count(escalated_count) + count(escalation_rate) "
                         "from b.marts.renewals_by_quarter").fetchall()[0][0]
    assert escalated == 0
    # the full build has all of them: the nulls come from the missing systems, not from the model
    full = both.sql("select count(is_at_risk), count(csm_user_id_at_t90) from f.marts.renewals").fetchall()[0]
    assert min(full) > 0


def test_quarantine_covers_the_declared_systems_only(both):
    systems = {r[0] for r in both.sql("select distinct source_system from b.staging.quarantined_rows").fetchall()}
    assert systems == {"billing"}
    # without the CRM an account is whatever billing says: no contract is quarantined as an unknown account
    unknown = both.sql("select count(*) from b.staging.quarantined_rows "
                       "where quarantine_reason = 'unknown_account'").fetchall()[0][0]
    assert unknown == 0


def test_declared_systems_are_parsed_and_validated():
    assert rc.declared_systems(" Billing , CRM,billing") == ("billing", "crm")
    assert rc.declared_systems("cs_platform,billing") == ("billing", "cs_platform")
    with pytest.raises(rc.SourceSystemsError, match="unknown source system.*hubspot"):
        rc.declared_systems("billing,hubspot")
    with pytest.raises(rc.SourceSystemsError, match="leaves out billing"):
        rc.declared_systems("crm,product")


def test_a_bad_declaration_stops_every_command_in_one_line(billing_only):
    for command in (["build", "--raw-dir", str(billing_only["raw"])], ["gate", "--raw-dir", str(billing_only["raw"])]):
        proc = _rwh(command, "billing,hubspot")
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines() == [
            f"rwh {command[0]}: RWH_SOURCE_SYSTEMS names unknown source system(s) hubspot; the known ones are "
            "billing, crm, product, support, cs_platform."]


def test_a_declared_system_without_files_fails_the_gate_in_one_line(billing_only):
    proc = _rwh(["gate", "--raw-dir", str(billing_only["raw"])], "billing,crm")
    assert proc.returncode == 1
    failures = [x for x in proc.stdout.splitlines() if "[dataset]" in x]
    assert len(failures) == 1, proc.stdout
    assert "crm.*" in failures[0] and "none of its 10 tables exists, yet crm is declared" in failures[0]


def test_files_of_an_undeclared_system_are_ignored_and_said(small_raw):
    proc = _rwh(["gate", "--raw-dir", str(small_raw)], "billing")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gate: 4 raw tables of billing" in proc.stdout
    for system in ("crm", "product", "support", "cs_platform"):
        assert f"note: {system}: present in the extract but not declared" in proc.stdout


def test_dbt_refuses_a_declaration_without_billing(tmp_path):
    result = run_dbt(["parse"], Path("unused"), tmp_path / "x.duckdb", tmp_path, RWH_SOURCE_SYSTEMS="crm")
    assert not result.success
    assert "leaves out billing" in str(result.exception)


def test_the_dashboards_of_a_billing_only_warehouse_say_what_they_lack(billing_only, tmp_path):
    """Every dashboard needs the CRM or the CS platform: none is rendered, and the index says which marts
    each would need, rather than a page failing half-drawn."""
    proc = _rwh(["dashboards", "--warehouse", str(billing_only["db"]), "--out", str(tmp_path)], "billing")
    assert proc.returncode == 0, proc.stderr
    assert "executive not rendered: the warehouse has no marts.forecast_accuracy" in proc.stderr
    index = (tmp_path / "index.html").read_text()
    for title in ("Executive", "CS leadership", "Renewal operations", "Renewal likelihood"):
        assert f"{title}: not rendered" in index
    assert "marts.pipeline_coverage" in index and not list(tmp_path.glob("executive.html"))
