"""Issue 25's bad inputs on PostgreSQL, planted together in one copy of the small extract, loaded and built once
with `rwh build --target postgres --manifest` in a database of their own (one build keeps `make test` within
its time; the cases touch different rows):

- B1 and B7: a CRM activity dated and loaded after the snapshot the manifest declares (before the run), and
  future-dated tickets (test_build.plant_activity_loaded_after_the_snapshot, test_staging.plant_future_dated_tickets);
- B2: one renewal's successor lines in an unknown currency (test_quarantined_revenue);
- B3: one mid-size customer's contracts in an unknown currency (test_quarantine_tolerance).

Runs inside `make test-postgres` (marker `postgres`), against the server scripts/with-postgres.sh started.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from functools import partial

import duckdb
import pytest

from conftest import own_pg_database
from renewal_warehouse.devtools.compare import postgres_rows
from renewal_warehouse.pipeline.loader import load_postgres
from test_build import plant_activity_loaded_after_the_snapshot
from test_quarantine_tolerance import ROW_SHARE_OUT_OF_THE_WAY, in_unknown_currency, shares_of_the_arr
from test_quarantined_revenue import plant_unknown_currency_lines, renewal_with_its_successor_alone
from test_staging import plant_future_dated_tickets

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def planted(small_raw, warehouse, tmp_path_factory) -> dict:
    """The small extract with every case planted, loaded and built in a database of its own."""
    raw = tmp_path_factory.mktemp("raw_bad_inputs")
    shutil.copytree(small_raw, raw, dirs_exist_ok=True)
    activity, loaded = plant_activity_loaded_after_the_snapshot(raw)
    tickets = plant_future_dated_tickets(raw)
    event_id, account_id, contract_id, first_snapshot = renewal_with_its_successor_alone(warehouse["db"])
    plant_unknown_currency_lines(raw, contract_id)
    customer, share = next((a, s) for a, s in shares_of_the_arr(warehouse["db"])
                           if 0.008 < s < 0.016 and a != account_id)
    in_unknown_currency(raw, customer)
    with own_pg_database("bad_inputs") as settings:
        env = {**os.environ, "RWH_PG_DATABASE": settings.database, "RWH_DEMO": "true"}
        load_postgres(raw, settings, progress=lambda _m: None)
        proc = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--target", "postgres",
                               "--manifest", str(raw / "_manifest.json"), "--quiet", "--", *ROW_SHARE_OUT_OF_THE_WAY],
                              capture_output=True, text=True, env=env)

        yield {"proc": proc, "query": partial(postgres_rows, settings),
               "manifest": json.loads((raw / "_manifest.json").read_text()),
               "activity": activity, "loaded": loaded, "tickets": tickets, "event_id": event_id,
               "account_id": account_id, "first_snapshot": first_snapshot, "customer": customer, "share": share}


def test_a_row_loaded_after_the_declared_snapshot_cannot_move_the_as_of_date_on_postgres(planted, warehouse):
    """B1 and B7: the activity and the tickets are future_date (a genuinely inverted ticket stays
    invalid_date_range), and the as-of date and every renewal's outcome (the accounts of the other cases
    aside) are those of the DuckDB build of the extract without them (before: the as-of date moved to the
    activity's date and pending renewals turned into churn)."""
    case, query = planted, planted["query"]
    assert case["proc"].returncode == 0, case["proc"].stdout[-3000:] + case["proc"].stderr[-3000:]
    assert query("select as_of_date from intermediate.int_as_of_date")[0][0].isoformat() == case["manifest"]["as_of"]
    assert query("select quarantine_reason from staging.quarantined_rows where source_table = 'activities' and "
                 "source_key = %s and _loaded_at = %s", (case["activity"], case["loaded"])) == [("future_date",)]
    assert dict(query("select source_key, quarantine_reason from staging.quarantined_rows where source_table = "
                      "'tickets' and source_key = any(%s)", (list(case["tickets"]),))) == case["tickets"]
    sql = ("select renewal_event_id, outcome, expiring_arr from marts.renewals where account_id not in (%s, %s) "
           "order by 1")
    others = (case["account_id"], case["customer"])
    duck = duckdb.connect(str(warehouse["db"]), read_only=True)
    expected = duck.execute(sql.replace("%s", "?"), others).fetchall()
    duck.close()
    got = query(sql, others)
    assert len(expected) > 20 and len(got) == len(expected)
    for e, g in zip(expected, got, strict=True):
        # DuckDB divides decimals in double precision, PostgreSQL exactly (test_postgres_warehouse)
        assert all(abs(float(a) - float(b)) < 1e-6 if isinstance(a, float | Decimal) else a == b
                   for a, b in zip(e, g, strict=True)), (e, g)
    # the build says which reference time it used
    assert (f"rwh build: reference time {case['manifest']['extracted_at'].replace('T', ' ')} UTC"
            in case["proc"].stdout)


def test_quarantined_revenue_is_flagged_and_said_on_postgres(planted):
    """B2 and B3: published, the renewal renewed and flagged, no churn where the successor starts, a quarantined
    movement instead; the build names both the flagged account and the customer in an unknown currency in
    sentences."""
    case, query = planted, planted["query"]
    assert case["proc"].returncode == 0, case["proc"].stdout[-3000:] + case["proc"].stderr[-3000:]
    said = case["proc"].stderr
    assert "warning(s)" in said
    assert f"account {case['account_id']}: " in said and "assert_quarantined_revenue_is_flagged" in said
    tolerance = next(line for line in said.splitlines() if "quarantined contract lines hold" in line)
    assert f"account {case['customer']}" in tolerance and "above the warn share of 0.50 %" in tolerance, (
        case["share"], tolerance)
    assert query("select outcome, has_quarantined_revenue from marts.renewals where renewal_event_id = %s",
                 (case["event_id"],)) == [("renewed", True)]
    assert query("select movement_type from marts.mrr_movements where account_id = %s "
                 "and month_start_date = date_trunc('month', %s::date)",
                 (case["account_id"], case["first_snapshot"])) == [("quarantined",)]
    assert query("select count(*) from marts.mrr_movements where account_id = %s and has_quarantined_revenue",
                 (case["account_id"],))[0][0] >= 1
