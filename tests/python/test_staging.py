"""The staging layer built with dbt on DuckDB: nothing lost, bad rows quarantined with their reason."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import duckdb
import pytest

from conftest import run_dbt


@pytest.fixture(scope="module")
def con(warehouse):
    connection = duckdb.connect(str(warehouse["db"]))
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def manifest(warehouse):
    return json.loads((warehouse["raw"] / "_manifest.json").read_text())


def test_every_corrupted_row_is_quarantined_with_its_reason(con, manifest):
    got = set(con.execute("select source_system || '.' || source_table, source_key, quarantine_reason "
                          "from staging.quarantined_rows").fetchall())
    expected = {(e["table"], e["key"], e["reason"]) for e in manifest["expected_quarantine"]}
    assert expected, "the generator injected nothing"
    assert got == expected


def test_reasons_cover_the_rules(manifest):
    reasons = {e["reason"] for e in manifest["expected_quarantine"]}
    assert {"null_key", "conflicting_versions", "invalid_enum", "unknown_account", "unknown_currency",
            "invalid_date_range", "negative_amount", "future_date", "unknown_contract", "out_of_range",
            "missing_fx_rate"} <= reasons


def test_exact_duplicates_are_counted_not_quarantined(con, manifest):
    expected = Counter(e["table"] for e in manifest["expected_duplicates"])
    for table, n in expected.items():
        system, name = table.split(".")
        got = con.execute(f"select count(*) from staging.base_{system}__{name} where is_duplicate").fetchone()[0]
        assert got == n, table


def test_older_versions_are_superseded_not_quarantined(con, manifest):
    """A key re-extracted with other content in a later load is an update: the older version is superseded
    (counted, kept in the base table), the latest one is staged, and nothing goes to quarantine."""
    expected = {(e["table"], e["key"]) for e in manifest["expected_superseded"]}
    assert len(expected) >= 15, "the generator planted too few updates"
    got = set()
    for table in {t for t, _ in expected}:
        system, name = table.split(".")
        got |= {(table, k) for (k,) in con.execute(
            f"select source_key from (select *, {_key_sql(table)} as source_key "
            f"from staging.base_{system}__{name}) where is_superseded").fetchall()}
    assert got == expected
    quarantined = {(t, k) for t, k in con.execute(
        "select source_system || '.' || source_table, source_key from staging.quarantined_rows").fetchall()}
    assert not expected & quarantined


def _key_sql(table: str) -> str:
    from renewal_warehouse.pipeline import contract as rc

    t = next(t for t in rc.TABLES if t.qualified == table)
    return " || '|' || ".join(f"coalesce(cast({k} as varchar), '')" for k in t.primary_key)


def test_conservation_per_table(con, manifest):
    for table, raw in manifest["row_counts"].items():
        system, name = table.split(".")
        staged = con.execute(f"select count(*) from staging.stg_{system}__{name}").fetchone()[0]
        base = f"staging.base_{system}__{name}"
        dup = con.execute(f"select count(*) from {base} where is_duplicate").fetchone()[0]
        superseded = con.execute(f"select count(*) from {base} where is_superseded").fetchone()[0]
        quarantined = con.execute("select count(*) from staging.quarantined_rows where source_system = ? "
                                  "and source_table = ?", [system, name]).fetchone()[0]
        assert raw == staged + dup + superseded + quarantined, table


def test_a_later_version_of_a_key_wins(raw_copy, tmp_path):
    """An updated contract line, re-extracted a day later with one more seat, is staged with its new
    quantity; its first version is superseded, not a conflict (before: both were quarantined and the
    account lost the line's MRR for its whole history)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = raw_copy / "billing" / "contract_lines.parquet"
    lines = pq.read_table(path)
    con = duckdb.connect()
    line_id, quantity = con.sql(
        "select contract_line_id, quantity from lines where quantity > 0 and unit_net_price_minor > 0 "
        "and currency = 'USD' order by contract_line_id limit 1").fetchall()[0]
    updated = con.sql("select * replace (quantity + 1 as quantity, _loaded_at + interval 1 day as _loaded_at) "
                      f"from lines where contract_line_id = '{line_id}'").to_arrow_table()
    pq.write_table(pa.concat_tables([lines, updated.cast(lines.schema)]), path)
    db = tmp_path / "versions.duckdb"
    result = run_dbt(["build", "--select", "+stg_billing__contract_lines", "--resource-type", "seed",
                      "--resource-type", "model"], raw_copy, db, tmp_path)
    assert result.success, result.result
    con = duckdb.connect(str(db))
    staged = con.execute("select quantity from staging.stg_billing__contract_lines where contract_line_id = ?",
                         [line_id]).fetchall()
    assert staged == [(quantity + 1,)]
    assert con.execute("select count(*) from staging.base_billing__contract_lines where contract_line_id = ? "
                       "and is_superseded", [line_id]).fetchone()[0] == 1
    assert con.execute("select count(*) from staging.base_billing__contract_lines where contract_line_id = ? "
                       "and quarantine_reason is not null", [line_id]).fetchone()[0] == 0
    con.close()


def test_money_converted_at_the_start_date_rate(con, warehouse):
    """A foreign-currency line uses the last published rate on or before its start date, fixed for life."""
    raw = warehouse["raw"]
    rows = con.execute("select contract_line_id, currency, start_date, unit_net_price, unit_net_price_reporting "
                       "from staging.stg_billing__contract_lines where currency != 'USD' order by 1 limit 25"
                       ).fetchall()
    assert rows
    rates = duckdb.sql(f"select currency, rate_date, usd_per_unit from read_parquet('{raw}/billing/fx_rates.parquet')"
                       ).fetchall()
    by_currency: dict[str, list[tuple[date, float]]] = {}
    for cur, d, r in rates:
        by_currency.setdefault(cur, []).append((d, float(r)))
    for _line, cur, start, net, net_reporting in rows:
        rate = max((d, r) for d, r in by_currency[cur] if d <= start and d.weekday() < 5)[1]
        assert float(net_reporting) == pytest.approx(float(net) * rate, abs=1e-6)


def test_pii_is_hashed(con):
    emails = con.execute("select email_hash from staging.stg_crm__users").fetchall()
    assert emails and all(e[0] is not None and "@" not in e[0] and len(e[0]) == 32 for e in emails)
    columns = {r[0] for r in con.execute("select column_name from information_schema.columns "
                                         "where table_schema = 'staging' and table_name like 'stg_%'").fetchall()}
    assert not {"email", "full_name", "requester_email", "respondent_email"} & columns


def test_conservation_test_can_fail(warehouse, tmp_path):
    """Lose a valid row behind dbt's back (staged rows are a view over the base table): the conservation
    test must catch it."""
    db = tmp_path / "broken.duckdb"
    db.write_bytes(warehouse["db"].read_bytes())
    con = duckdb.connect(str(db))
    con.execute("delete from staging.base_crm__accounts where account_id = (select min(account_id) "
                "from staging.stg_crm__accounts)")
    con.close()
    result = run_dbt(["test", "--select", "stg_crm__accounts,test_name:rwh_conservation"], warehouse["raw"], db,
                     tmp_path)
    assert not result.success
    # Only the test nodes: the project's on-run-start hook (Spark's source registration) reports too.
    assert [r.status for r in result.result if r.node.resource_type == "test"] == ["fail"]


def test_systemic_quarantine_fails_the_build(warehouse, tmp_path):
    """With no tolerance, the quarantined rows of a table break the build instead of passing quietly."""
    db = tmp_path / "strict.duckdb"
    db.write_bytes(warehouse["db"].read_bytes())
    strict = "{quarantine_warn_share: 0, quarantine_error_share: 0, quarantine_min_rows: 0}"
    result = run_dbt(["test", "--select", "stg_crm__activities,test_name:rwh_quarantine_within_tolerance",
                      "--vars", strict], warehouse["raw"], db, tmp_path)
    assert not result.success
    # Only the test nodes: the project's on-run-start hook (Spark's source registration) reports too.
    assert [r.status for r in result.result if r.node.resource_type == "test"] == ["fail"]


@pytest.mark.parametrize("table, date_column", [
    ("crm/activities", "occurred_at"),
    ("support/tickets", "created_at"),
    ("billing/contracts", "signed_date"),
    ("product/usage_daily", "usage_date"),
])
def test_a_row_loaded_in_the_future_cannot_move_the_as_of_date(raw_copy, tmp_path, table, date_column):
    """One row dated a year ahead and loaded "in the future" (after the run started) is quarantined as
    future_date; the as-of date stays the latest real event date (before: it jumped a year, and pending
    renewals became churned)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from renewal_warehouse.pipeline import contract as rc

    path = raw_copy / f"{table}.parquet"
    rows = pq.read_table(path)
    t = next(t for t in rc.TABLES if f"{t.system}/{t.name}" == table)
    key = t.primary_key[-1] if table != "product/usage_daily" else "usage_date"
    ahead = "interval 400 day"
    future = duckdb.connect().sql(
        f"select * replace ({date_column} + {ahead} as {date_column}, "
        f"cast(now() as timestamp) + {ahead} as _loaded_at"
        + (f", {key} || '-FUTURE' as {key}" if key != "usage_date" else "")
        + f") from rows order by {date_column} desc limit 1").to_arrow_table()
    pq.write_table(pa.concat_tables([rows, future.cast(rows.schema)]), path)
    db = tmp_path / "future.duckdb"
    result = run_dbt(["build", "--select", "+int_as_of_date", "+quarantined_rows", "--resource-type", "seed",
                      "--resource-type", "model"],
                     raw_copy, db, tmp_path)
    assert result.success, result.result
    con = duckdb.connect(str(db))
    as_of = con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    manifest = json.loads((raw_copy / "_manifest.json").read_text())
    assert as_of.isoformat() == manifest["as_of"]
    reasons = con.execute("select quarantine_reason from staging.quarantined_rows where source_system = ? and "
                          "source_table = ? and _loaded_at > now() and source_key not like '%-X8'",
                          [t.system, t.name]).fetchall()
    assert reasons == [("future_date",)]
    con.close()


def plant_future_dated_tickets(raw) -> dict[str, str]:
    """Issue 25 B7: support tickets copied from a resolved one under fresh keys, each with the reason staging
    must give it: dated after its own load (its response and resolution, left as they were, now come before
    it: the range looks inverted too), dated and loaded after the declared snapshot, and a genuinely
    inverted range (resolved before it was created) dated in the past."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    snapshot = json.loads((raw / "_manifest.json").read_text())["extracted_at"]
    path = raw / "support" / "tickets.parquet"
    rows = pq.read_table(path)
    con = duckdb.connect()
    key = con.sql("select ticket_id from rows where first_response_at is not null and resolved_at is not null "
                  "and _loaded_at <= cast(? as timestamp) and ticket_id not like '%-X%' order by ticket_id "
                  "limit 1", params=[snapshot]).fetchall()[0][0]
    planted = {f"{key}-AHEAD": ("_loaded_at + interval 3 day", "_loaded_at", "resolved_at"),
               f"{key}-LATE": ("cast(? as timestamp) + interval 2 day", "cast(? as timestamp) + interval 3 day",
                               "resolved_at"),
               f"{key}-INVERTED": ("created_at", "_loaded_at", "created_at - interval 1 hour")}
    parts = [rows]
    for new_key, (created, loaded, resolved) in planted.items():
        params = [snapshot] * (created + loaded).count("?")
        parts.append(con.sql(f"select * replace ('{new_key}' as ticket_id, {created} as created_at, "
                             f"{loaded} as _loaded_at, {resolved} as resolved_at) from rows where ticket_id = '{key}'",
                             params=params).to_arrow_table().cast(rows.schema))
    con.close()
    pq.write_table(pa.concat_tables(parts), path)
    return {f"{key}-AHEAD": "future_date", f"{key}-LATE": "future_date", f"{key}-INVERTED": "invalid_date_range"}


def test_a_future_dated_ticket_is_quarantined_as_future_date(raw_copy, tmp_path):
    """A ticket dated after its own load, or dated and loaded after the extract time, is future_date, even
    though its response and resolution now come before it (before: invalid_date_range, the first rule it met);
    a ticket resolved before it was created, dated in the past, stays invalid_date_range."""
    expected = plant_future_dated_tickets(raw_copy)
    snapshot = json.loads((raw_copy / "_manifest.json").read_text())["extracted_at"]
    db = tmp_path / "tickets.duckdb"
    result = run_dbt(["build", "--select", "+base_support__tickets", "--resource-type", "seed", "--resource-type",
                      "model", "--vars", json.dumps({"extract_time": snapshot})], raw_copy, db, tmp_path)
    assert result.success, result.result
    con = duckdb.connect(str(db))
    got = dict(con.execute("select ticket_id, quarantine_reason from staging.base_support__tickets "
                           "where ticket_id in (select unnest(?))", [list(expected)]).fetchall())
    con.close()
    assert got == expected


def test_an_added_raw_column_does_not_break_staging(raw_copy, tmp_path):
    """Schema drift: a column the contract does not know is left out of staging; the build goes on."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = raw_copy / "crm" / "accounts.parquet"
    table = pq.read_table(path)
    pq.write_table(table.append_column("favourite_colour", pa.array(["blue"] * table.num_rows)), path)
    db = tmp_path / "drift.duckdb"
    result = run_dbt(["build", "--select", "+stg_crm__accounts", "--resource-type", "seed", "--resource-type",
                      "model"], raw_copy, db, tmp_path)
    assert result.success, result.result
    con = duckdb.connect(str(db))
    columns = {r[0] for r in con.execute("select column_name from information_schema.columns "
                                         "where table_name = 'stg_crm__accounts'").fetchall()}
    assert "favourite_colour" not in columns and "account_id" in columns
    assert con.execute("select count(*) from staging.stg_crm__accounts").fetchone()[0] > 0
    con.close()


def test_an_empty_pii_salt_is_refused_outside_the_demo(small_raw, tmp_path):
    """Hashing names and emails without a salt makes the pseudonyms guessable: refused unless RWH_DEMO."""
    result = run_dbt(["run", "--select", "base_crm__users"], small_raw, tmp_path / "salt.duckdb", tmp_path,
                     RWH_DEMO="false", RWH_PII_SALT="")
    assert not result.success
    assert "pii_salt is empty" in str(result.result or result.exception)
    salted = run_dbt(["run", "--select", "base_crm__users"], small_raw, tmp_path / "salt.duckdb", tmp_path,
                     RWH_DEMO="false", RWH_PII_SALT="s3cret")
    assert salted.success


def test_a_quarantined_row_with_a_null_key_stays_traceable(con):
    """Its other columns are kept as text, so a steward can find the raw row without a key."""
    rows = con.execute("select source_table, row_values from staging.quarantined_rows "
                       "where quarantine_reason = 'null_key'").fetchall()
    assert len(rows) >= 15
    for table, values in rows:
        assert values and values.count("=") >= 3, table
    accounts = next(v for t, v in rows if t == "accounts")
    assert "account_id=null" in accounts and "account_name=" in accounts
