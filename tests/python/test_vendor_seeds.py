"""The vendors' own sample data through the adapters (issue 27): the integration-test seeds of Fivetran's
dbt_stripe, dbt_salesforce, dbt_hubspot and dbt_zendesk (Apache-2.0, kept with their licence and origin in
tests/fixtures/vendor_seeds/) build the adapter, its row ledger and the staging base models of the contract tables it
makes without an error, and every seed row is in the ledger, mapped or excluded with a reason.

The seeds are another world than the demo's (obfuscated labels, customers without subscriptions, tickets of unknown
organizations), so most of their rows are excluded: what is shown is that nothing crashes, nothing is lost, and
each excluded row says why. The seeds carry only the columns Fivetran's packages read: a column the adapter reads
that a seed lacks is added as a typed null (listed by the test), a table with no seed is empty. The other source
systems stay the small extract's, in the contract's shape.
"""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from conftest import ROOT, run_dbt
from renewal_warehouse.pipeline.vendors import vendors

SEEDS = ROOT / "tests" / "fixtures" / "vendor_seeds"
TYPES = {"string": "varchar", "int": "bigint", "float": "double", "bool": "boolean", "date": "date",
         "timestamp": "timestamp"}

# case: (vendor, {table: the seed file it is read from, or None for an empty table}, dbt vars)
CASES = {
    "stripe": ("stripe", {}, {}),
    # the seeds' opportunity type is obfuscated: name it a renewal type, so renewals go through the adapter; there is
    # no seed of the OpportunityHistory object (nor of record_type)
    "salesforce": ("salesforce", {"opportunity_history": None},
                   {"salesforce_renewal_types": ["+Gkf6SQ2fhAONAiFelNKVw=="]}),
    # dbt_salesforce's opportunity_history seed is Opportunity in Fivetran's history mode (not the OpportunityHistory
    # object): read as the adapter's opportunity table, versions and all
    "salesforce_history_mode": ("salesforce", {"opportunity": "opportunity_history", "opportunity_history": None},
                                {"salesforce_renewal_types": ["+Gkf6SQ2fhAONAiFelNKVw=="]}),
    # dbt_hubspot's seeds are hashed and barely joined (no deal has a type, pipeline or company of the seeds): every
    # deal is excluded not_renewal, every company and owner mapped
    "hubspot": ("hubspot", {}, {}),
    # the seeds' organizations have no external_id: their name stands for the account
    "zendesk": ("zendesk", {}, {"zendesk_account_column": "name"}),
}


def _seed_rows(path) -> int:
    with path.open(newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def seed_extract(small_raw, out, vendor, files: dict) -> tuple[dict[str, int], dict[str, list[str]]]:
    """``small_raw`` with ``vendor``'s tables from its seeds (typed as the adapter reads them) instead of the contract
    tables it replaces; returns the rows per vendor table and the columns added as nulls."""
    shutil.copytree(small_raw, out)
    for table in vendor.replaces:
        (out / vendor.system / f"{table}.parquet").unlink()
    (out / vendor.name).mkdir()
    rows, added = {}, {}
    con = duckdb.connect()
    try:
        for table in vendor.tables:
            name = files.get(table.name, table.name)
            seed = None if name is None else SEEDS / vendor.name / f"{name}.csv"
            if seed is not None and seed.exists():
                con.execute(f"create or replace table seed as select * from read_csv('{seed}', all_varchar = true, "
                            "header = true)")
                present = [r[0] for r in con.execute("describe seed").fetchall()]
                rows[table.name] = _seed_rows(seed)
            else:
                con.execute("create or replace table seed as select 1 as no_column where false")
                present, rows[table.name] = [], 0
            spec = [(c.name, TYPES[c.type]) for c in table.columns]
            select = [f'cast("{c}" as {t}) as "{c}"' if c in present else f'cast(null as {t}) as "{c}"'
                      for c, t in spec]
            select += [f'"{c}"' for c in present if c not in dict(spec)]
            added[table.name] = [c for c, _t in spec if c not in present]
            con.execute(f"copy (select {', '.join(select)} from seed) to "
                        f"'{out / vendor.name / f'{table.name}.parquet'}' (format parquet)")
    finally:
        con.close()
    return rows, added


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_vendor_s_own_seeds_go_through_its_adapter_and_every_row_is_in_the_ledger(case, small_raw, tmp_path):
    name, files, dbt_vars = CASES[case]
    vendor = vendors()[name]
    raw = tmp_path / "raw"
    rows, added = seed_extract(small_raw, raw, vendor, files)
    assert sum(rows.values()) > 0
    bases = [f"+base_{vendor.system}__{table}" for table in vendor.replaces]
    work = tmp_path / "work"
    work.mkdir()
    result = run_dbt(["build", "--select", f"+path:models/staging/{vendor.system}/{vendor.name}", *bases,
                      "assert_vendor_rows_are_all_in_the_ledger", "--indirect-selection", "cautious",
                      "--vars", str(dbt_vars)],
                     raw, work / "w.duckdb", work, RWH_SOURCE_FORMATS=f"{vendor.system}={vendor.name}")
    assert result.success, [(r.node.name, r.message) for r in result.result if r.status not in ("pass", "success")]
    ran = {r.node.name for r in result.result}
    assert "assert_vendor_rows_are_all_in_the_ledger" in ran
    assert {f"base_{vendor.system}__{table}" for table in vendor.replaces} <= ran

    con = duckdb.connect(str(work / "w.duckdb"), read_only=True)
    try:
        ledger = con.execute(f"select vendor_table, outcome, excluded_reason from staging.adapt_{name}__row_ledger"
                             ).fetchall()
    finally:
        con.close()
    counted = {t: sum(r[0] == t for r in ledger) for t in rows}
    assert counted == rows  # every seed row once: mapped, or excluded with its reason
    assert all((outcome == "mapped") == (reason is None) for _t, outcome, reason in ledger)
    print(f"{case}: {sum(rows.values())} seed rows; columns added as nulls: "
          f"{ {t: c for t, c in added.items() if c} }")
