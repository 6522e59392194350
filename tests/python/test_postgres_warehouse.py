"""The warehouse on PostgreSQL: the bad-input catalogue holds there too, and every mart equals DuckDB's.

Runs inside `make test-postgres` (marker `postgres`) against the test extract that target loaded and
published; RWH_TEST_RAW_DIR names that extract and RWH_TEST_DUCKDB the DuckDB warehouse `make test-duckdb`
published from the same extract.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.gate import run_gate
from renewal_warehouse.pipeline.loader import PostgresSettings

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg():
    settings = PostgresSettings.from_env()
    con = settings.connect()
    yield settings, con
    con.close()


@pytest.fixture(scope="module")
def raw() -> Path:
    path = Path(os.environ.get("RWH_TEST_RAW_DIR", "target/test-raw"))
    assert (path / "_manifest.json").exists(), f"no test extract at {path}"
    return path


@pytest.fixture(scope="module")
def manifest(raw) -> dict:
    return json.loads((raw / "_manifest.json").read_text())


def _rows(con, sql, params=None):
    with con.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    con.rollback()
    return rows


def _key(t: rc.Table) -> str:
    return " || '|' || ".join(f"coalesce(cast({k} as text), '')" for k in t.primary_key)


def test_quarantine_holds_exactly_the_planted_rows_with_their_reasons(pg, manifest):
    _, con = pg
    got = set(_rows(con, "select source_system || '.' || source_table, source_key, quarantine_reason "
                         "from staging.quarantined_rows"))
    expected = {(e["table"], e["key"], e["reason"]) for e in manifest["expected_quarantine"]}
    assert {r for _, _, r in expected} >= {"future_date", "conflicting_versions", "unknown_currency", "null_key",
                                           "missing_fx_rate"}
    assert got == expected
    null_keys = _rows(con, "select row_values from staging.quarantined_rows where quarantine_reason = 'null_key'")
    assert null_keys and all(v.count("=") >= 3 for (v,) in null_keys)


def test_versions_and_duplicates_as_on_duckdb(pg, manifest):
    """Older versions are superseded, re-extracted copies deduplicated, and raw = staged + deduplicated +
    superseded + quarantined per table."""
    _, con = pg
    superseded, duplicates = set(), Counter()
    for t in rc.TABLES:
        base = f"staging.base_{t.system}__{t.name}"
        superseded |= {(t.qualified, k) for (k,) in _rows(con, f"select {_key(t)} from {base} where is_superseded")}
        duplicates[t.qualified] = _rows(con, f"select count(*) from {base} where is_duplicate")[0][0]
        staged = _rows(con, f"select count(*) from staging.stg_{t.system}__{t.name}")[0][0]
        quarantined = _rows(con, "select count(*) from staging.quarantined_rows where source_system = %s and "
                                 "source_table = %s", (t.system, t.name))[0][0]
        assert manifest["row_counts"][t.qualified] == (
            staged + duplicates[t.qualified] + len([s for s in superseded if s[0] == t.qualified]) + quarantined)
    assert superseded == {(e["table"], e["key"]) for e in manifest["expected_superseded"]}
    assert +duplicates == Counter(e["table"] for e in manifest["expected_duplicates"])


def test_a_row_loaded_in_the_future_does_not_move_the_as_of_date(pg, manifest):
    _, con = pg
    assert _rows(con, "select as_of_date from intermediate.int_as_of_date")[0][0].isoformat() == manifest["as_of"]
    far = _rows(con, "select count(*) from staging.quarantined_rows where quarantine_reason = 'future_date' "
                     "and _loaded_at > now()")[0][0]
    assert far == 1


def test_the_gate_on_postgres_stops_stale_data_missing_columns_and_wrong_types(pg, manifest):
    settings, con = pg
    quiet = {"progress": lambda _m: None}
    stale = run_gate("postgres", pg=settings, reference_time=datetime(2027, 6, 1), **quiet)
    assert ("product.usage_daily", "fresh") in {(f.table, f.check) for f in stale.failures}
    declared = datetime.fromisoformat(manifest["extracted_at"])
    with con.cursor() as cur:
        cur.execute('alter table raw_crm.accounts rename column industry to industry_renamed')
        cur.execute('alter table raw_crm.accounts alter column employee_count type text')
    con.commit()
    try:
        broken = run_gate("postgres", pg=settings, reference_time=declared, **quiet)
        checks = {(f.table, f.check) for f in broken.failures}
        assert ("crm.accounts", "column exists") in checks
        assert ("crm.accounts", "expect_column_values_to_be_in_type_list") in checks
        assert "industry_renamed" in broken.render()  # named as drift
    finally:
        with con.cursor() as cur:
            cur.execute('alter table raw_crm.accounts rename column industry_renamed to industry')
            cur.execute('alter table raw_crm.accounts alter column employee_count type bigint '
                        'using employee_count::bigint')
        con.commit()
    assert run_gate("postgres", pg=settings, reference_time=declared, **quiet).ok


def _same(a, b) -> bool | str:
    """True when equal; 'close' when two numbers differ by at most 0.00001 (a thousandth of a cent) or a
    millionth of their size (a ratio with a small denominator)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float | Decimal) or isinstance(b, float | Decimal):
        if a == b:
            return True
        diff = abs(Decimal(str(a)) - Decimal(str(b)))
        size = max(abs(Decimal(str(a))), abs(Decimal(str(b))))
        return "close" if diff <= Decimal("0.00001") or diff <= size * Decimal("0.000001") else False
    if hasattr(a, "isoformat") and hasattr(b, "isoformat"):
        return str(a)[:10] == str(b)[:10] if len(str(a)) == 10 or len(str(b)) == 10 else a == b
    return a == b


def test_every_mart_equals_duckdb_row_for_row(pg):
    """The same extract gives the same marts on both engines: every row and column. DuckDB divides decimals
    in double precision and PostgreSQL exactly, so a value may differ by a thousandth of a cent (or a
    millionth of a ratio); such values stay rare (under 2 % of those compared), none differs by more."""
    _, con = pg
    path = Path(os.environ.get("RWH_TEST_DUCKDB", "target/test-warehouse.duckdb"))
    assert path.exists(), f"no DuckDB test warehouse at {path} (make test-duckdb publishes it)"
    duck = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in duck.execute("select table_name from information_schema.tables where "
                                             "table_schema = 'marts' order by 1").fetchall()]
        assert len(tables) >= 10
        compared, ties, mismatches = 0, Counter(), []
        for table in tables:
            columns = [r[0] for r in duck.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and "
                "table_name = ? order by ordinal_position", [table]).fetchall()]
            collist = ", ".join(f'"{c}"' for c in columns)
            d_rows = duck.execute(f'select {collist} from marts."{table}" order by 1').fetchall()
            p_rows = _rows(con, f'select {collist} from marts."{table}" order by 1')
            assert len(d_rows) == len(p_rows), table
            d_rows.sort(key=lambda r: str(r[0]))
            p_rows.sort(key=lambda r: str(r[0]))
            for d, p in zip(d_rows, p_rows, strict=True):
                assert d[0] == p[0], f"marts.{table}: different keys {d[0]!r} and {p[0]!r}"
                for column, a, b in zip(columns, d, p, strict=True):
                    same = _same(a, b)
                    compared += 1
                    if same is True:
                        continue
                    if same == "close":
                        ties[f"{table}.{column}"] += 1
                        continue
                    mismatches.append(f"marts.{table}.{column} row {d[0]}: DuckDB {a!r}, PostgreSQL {b!r}")
        assert not mismatches, f"{len(mismatches)} values differ, e.g. " + "; ".join(mismatches[:5])
        assert compared > 100_000
        assert sum(ties.values()) < compared * 0.02, ties.most_common(10)
        print(f"{compared:,} values compared; {sum(ties.values()):,} differ by at most 0.00001: "
              f"{ties.most_common(5)}")
    finally:
        duck.close()


def _canonical_type(data_type: str, precision, scale) -> str:
    """A column type as both engines' information_schema can be compared: decimal(p,s), varchar, bigint..."""
    t = data_type.lower()
    if t in ("numeric", "decimal") or t.startswith("decimal("):
        return f"decimal({precision},{scale})"
    return {"character varying": "varchar", "text": "varchar"}.get(t, t)


def test_every_mart_column_has_the_same_type_on_both_engines(pg):
    """The contracts make the catalogues identical: same marts, same columns in the same order, same types."""
    _, con = pg
    path = Path(os.environ.get("RWH_TEST_DUCKDB", "target/test-warehouse.duckdb"))
    duck = duckdb.connect(str(path), read_only=True)
    try:
        sql = ("select table_name, column_name, data_type, numeric_precision, numeric_scale "
               "from information_schema.columns where table_schema = 'marts' order by table_name, ordinal_position")
        on_duckdb = [(t, c, _canonical_type(d, p, s)) for t, c, d, p, s in duck.execute(sql).fetchall()]
        on_postgres = [(t, c, _canonical_type(d, p, s)) for t, c, d, p, s in _rows(con, sql)]
    finally:
        duck.close()
    assert len(on_duckdb) > 500
    assert on_postgres == on_duckdb
    assert not {t for _, _, t in on_postgres} - {"varchar", "date", "boolean", "bigint"} - {
        t for _, _, t in on_postgres if t.startswith("decimal(")}


def test_the_marts_are_documented_in_postgres(pg):
    """persist_docs writes the YAML descriptions as comments, which Metabase shows beside tables and fields."""
    _, con = pg
    missing = _rows(con, """
        select c.relname, a.attname
        from pg_class as c
        inner join pg_namespace as n on c.relnamespace = n.oid
        inner join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = 'marts' and c.relkind = 'r'
          and (obj_description(c.oid, 'pg_class') is null or col_description(c.oid, a.attnum) is null)
    """)
    assert missing == []
    documented = _rows(con, """
        select count(*) from pg_class as c inner join pg_namespace as n on c.relnamespace = n.oid
        where n.nspname = 'marts' and c.relkind = 'r' and obj_description(c.oid, 'pg_class') like '%Grain%'
    """)[0][0]
    assert documented >= 15
