"""Revenue that staging quarantines must not turn into churn and new business (issue 25, part B 2).

A renewal's successor contract whose lines cannot be staged (here: in a currency ISO 4217 does not know) still
renews the renewal (billing has the contract), but the account has no staged line for the successor's term.
Before, mrr_movements booked that as churn, months without the customer, then new business, while renewals
said renewed. Now every mart agrees and flags the account's affected figures, and the build says so.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from conftest import run_dbt


def renewal_with_its_successor_alone(db) -> tuple[str, str, str, object]:
    """A renewed renewal of a built warehouse whose successor's lines are the account's only lines at the
    successor's first month end (losing them leaves the account with no staged line then): its event id,
    account, successor contract and that month end."""
    con = duckdb.connect(str(db), read_only=True)
    found = con.execute("""
        with successors as (
            select r.renewal_event_id, r.account_id, r.successor_contract_id, s.start_date,
                   last_day(s.start_date) as first_snapshot_date
            from marts.renewals as r
            inner join staging.stg_billing__contracts as s on r.successor_contract_id = s.contract_id
            where r.outcome = 'renewed' and not r.is_successor_inferred
        )
        select successors.renewal_event_id, successors.account_id, successors.successor_contract_id,
               successors.first_snapshot_date
        from successors
        where not exists (
            select 1 from intermediate.int_contract_lines_bridged as l
            where l.account_id = successors.account_id
              and l.main_contract_id != successors.successor_contract_id
              and l.start_date <= successors.first_snapshot_date
              and (l.active_until_date is null or l.active_until_date >= successors.first_snapshot_date))
          and successors.first_snapshot_date < (select as_of_date from intermediate.int_as_of_date)
        order by successors.first_snapshot_date, successors.renewal_event_id
        limit 1""").fetchone()
    con.close()
    assert found, "the extract has no renewal to plant the case on"
    return found


def plant_unknown_currency_lines(raw, contract_id: str) -> int:
    """Every line of `contract_id` in currency 'XXX' (ISO 4217 knows no such code); returns how many."""
    path = raw / "billing" / "contract_lines.parquet"
    lines = duckdb.connect()
    lines.execute(f"create table l as select * from read_parquet('{path}')")
    changed = lines.execute("update l set currency = 'XXX' where contract_id = ?", [contract_id]).fetchone()[0]
    lines.execute(f"copy l to '{path}' (format parquet)")
    lines.close()
    assert changed > 0
    return changed


@pytest.fixture(scope="module")
def quarantined_successor(warehouse, tmp_path_factory) -> dict:
    """The small extract with every line of one renewal's successor contract in currency 'XXX', built."""
    event_id, account_id, contract_id, first_snapshot = renewal_with_its_successor_alone(warehouse["db"])
    raw = tmp_path_factory.mktemp("raw_quarantined_successor")
    shutil.copytree(warehouse["raw"], raw, dirs_exist_ok=True)
    changed = plant_unknown_currency_lines(raw, contract_id)
    work = tmp_path_factory.mktemp("dbt_quarantined_successor")
    db = work / "warehouse.duckdb"
    result = run_dbt(["build"], raw, db, work)
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {"db": db, "ok": result.success, "results": results, "event_id": event_id, "account_id": account_id,
            "contract_id": contract_id, "first_snapshot": first_snapshot, "lines": changed}


def test_quarantined_successor_lines_are_no_churn_and_no_new_business(quarantined_successor):
    case = quarantined_successor
    assert case["ok"], [r for r in case["results"] if r["status"] in ("fail", "error")]
    con = duckdb.connect(str(case["db"]), read_only=True)
    outcome = con.execute("select outcome from marts.renewals where renewal_event_id = ?",
                          [case["event_id"]]).fetchone()
    assert outcome == ("renewed",)
    movements = con.execute(
        "select month_start_date, movement_type from marts.mrr_movements where account_id = ? "
        "and month_start_date >= date_trunc('month', ?::date) order by 1",
        [case["account_id"], case["first_snapshot"]]).fetchall()
    kinds = [kind for _, kind in movements]
    assert "churn" not in kinds[:1], f"the successor's quarantined lines became churn: {movements[:3]}"
    first_paid_again = next((kind for kind in kinds[1:] if kind in ("new", "reactivation", "quarantined")), None)
    assert first_paid_again in (None, "quarantined"), movements
    con.close()


def test_every_mart_flags_the_affected_figures(quarantined_successor):
    case = quarantined_successor
    con = duckdb.connect(str(case["db"]), read_only=True)
    assert con.execute("select has_quarantined_revenue from marts.renewals where renewal_event_id = ?",
                       [case["event_id"]]).fetchone() == (True,)
    flagged = con.execute(
        "select count(*) filter (where has_quarantined_revenue), "
        "count(*) filter (where movement_type = 'quarantined') from marts.mrr_movements where account_id = ?",
        [case["account_id"]]).fetchone()
    assert flagged[0] >= 1 and flagged[1] >= 1, flagged
    # The retention periods holding those months say how many accounts' figures are flagged.
    assert con.execute("select count(*) from marts.retention where quarantined_revenue_account_count > 0 "
                       "and segment_type = 'all' and period_type = 'month'").fetchone()[0] >= 1
    # The MRR bridge still closes, the quarantine movement included (the data tests check every month too).
    off = con.execute(
        "select count(*) from marts.mrr_movements where abs(opening_arr + new_arr + expansion_arr + reactivation_arr"
        " - contraction_arr - churn_arr + fx_arr + quarantined_arr - closing_arr) > 0.000001").fetchone()[0]
    assert off == 0
    con.close()


def test_the_build_says_so(quarantined_successor):
    case = quarantined_successor
    warned = [r for r in case["results"] if r["status"] == "warn"
              and r["unique_id"].split(".")[2] == "assert_quarantined_revenue_is_flagged"]
    assert len(warned) == 1, [r["unique_id"] for r in case["results"] if r["status"] == "warn"]
    assert warned[0]["failures"] >= 1
