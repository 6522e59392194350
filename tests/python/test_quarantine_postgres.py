"""Quarantined revenue on PostgreSQL (issue 25, part B 2 and 3): the reproductions of test_quarantined_revenue
and test_quarantine_tolerance, loaded and built with `rwh build --target postgres` in a database of their own.

Runs inside `make test-postgres` (marker `postgres`), against the server scripts/with-postgres.sh started.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import own_pg_database
from renewal_warehouse.loader import load_postgres
from test_quarantine_tolerance import ROW_SHARE_OUT_OF_THE_WAY, in_unknown_currency, shares_of_the_arr
from test_quarantined_revenue import plant_unknown_currency_lines, renewal_with_its_successor_alone

pytestmark = pytest.mark.postgres


@pytest.fixture()
def own_database():
    with own_pg_database("quarantine") as settings:
        yield settings


def test_quarantined_revenue_is_flagged_and_said_on_postgres(raw_copy, warehouse, own_database, monkeypatch):
    """One renewal's successor lines in an unknown currency (B2) and one mid-size customer's contracts in an
    unknown currency (B3): published, the renewal renewed and flagged, no churn where the successor starts,
    a quarantined movement instead; the build names both in sentences."""
    event_id, account_id, contract_id, first_snapshot = renewal_with_its_successor_alone(warehouse["db"])
    plant_unknown_currency_lines(raw_copy, contract_id)
    customer, share = next((a, s) for a, s in shares_of_the_arr(warehouse["db"])
                           if 0.008 < s < 0.016 and a != account_id)
    in_unknown_currency(raw_copy, customer)
    monkeypatch.setenv("RWH_PG_DATABASE", own_database.database)
    monkeypatch.setenv("RWH_DEMO", "true")
    load_postgres(raw_copy, own_database, progress=lambda _m: None)
    proc = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--target", "postgres", "--manifest",
                           str(raw_copy / "_manifest.json"), "--quiet", "--", *ROW_SHARE_OUT_OF_THE_WAY],
                          capture_output=True, text=True, env=dict(os.environ))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    said = proc.stderr
    assert "warning(s)" in said
    assert f"account {account_id}: " in said and "assert_quarantined_revenue_is_flagged" in said
    tolerance = next(line for line in said.splitlines() if "quarantined contract lines hold" in line)
    assert f"account {customer}" in tolerance and "above the warn share of 0.50 %" in tolerance, (share, tolerance)

    con = own_database.connect()
    try:
        with con.cursor() as cur:
            cur.execute("select outcome, has_quarantined_revenue from marts.renewals where renewal_event_id = %s",
                        (event_id,))
            assert cur.fetchall() == [("renewed", True)]
            cur.execute("select movement_type from marts.mrr_movements where account_id = %s "
                        "and month_start_date = date_trunc('month', %s::date)", (account_id, first_snapshot))
            assert cur.fetchall() == [("quarantined",)]
            cur.execute("select count(*) from marts.mrr_movements where account_id = %s and has_quarantined_revenue",
                        (account_id,))
            assert cur.fetchone()[0] >= 1
    finally:
        con.close()
