"""Compare two warehouses row for row, table by table: the numbers must not move by accident.

``compare_duckdb`` sets two DuckDB files side by side (EXCEPT ALL both ways, so duplicates count);
``compare_postgres`` does the same for two PostgreSQL databases. Each returns one line per table that differs
or exists on one side only, and nothing when the warehouses are equal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass
class TableComparison:
    name: str
    rows_before: int | None
    rows_after: int | None
    only_before: int = 0
    only_after: int = 0
    columns_one_side: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return (self.rows_before is not None and self.rows_after is not None and self.only_before == 0
                and self.only_after == 0 and self.rows_before == self.rows_after)

    def line(self) -> str:
        if self.rows_before is None or self.rows_after is None:
            return f"{self.name:<60} only in {'after' if self.rows_before is None else 'before'}"
        note = f"  columns on one side only: {', '.join(self.columns_one_side)}" if self.columns_one_side else ""
        status = "same" if self.same else "DIFFERENT"
        return (f"{self.name:<60} {status}: {self.rows_before} -> {self.rows_after} rows, {self.only_before} only "
                f"before, {self.only_after} only after{note}")


def _each_table(before: set[tuple[str, str]], after: set[tuple[str, str]], compare_one) -> list[TableComparison]:
    """Every table of either side, in order: one side only, or ``compare_one(name, schema, table)``."""
    out = []
    for schema, table in sorted(before | after):
        name = f"{schema}.{table}"
        if (schema, table) not in after or (schema, table) not in before:
            present = (schema, table) in before
            out.append(TableComparison(name, 0 if present else None, None if present else 0))
        else:
            out.append(compare_one(name, schema, table))
    return out


def compare_duckdb(before: str, after: str, schemas: list[str], ignored: set[str] = frozenset()
                   ) -> list[TableComparison]:
    """Every table of ``schemas`` in either DuckDB file, compared on the columns both sides have."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"attach '{before}' as b (read_only)")
    con.execute(f"attach '{after}' as a (read_only)")

    def one(sql: str, params: list | None = None):
        return con.execute(sql, params or []).fetchall()

    def tables(db: str) -> set[tuple[str, str]]:
        rows = one("select table_schema, table_name from information_schema.tables "
                   "where table_catalog = ? and table_schema in (select unnest(?))", [db, schemas])
        return {(s, t) for s, t in rows}

    def columns(db: str, schema: str, table: str) -> list[str]:
        return [c for (c,) in one("select column_name from information_schema.columns where table_catalog = ? "
                                  "and table_schema = ? and table_name = ? order by ordinal_position",
                                  [db, schema, table]) if c not in ignored]

    def compare_one(name: str, schema: str, table: str) -> TableComparison:
        cols_b, cols_a = columns("b", schema, table), columns("a", schema, table)
        collist = ", ".join(f'"{c}"' for c in cols_b if c in cols_a)
        b_rel, a_rel = f'b."{schema}"."{table}"', f'a."{schema}"."{table}"'
        return TableComparison(
            name, one(f"select count(*) from {b_rel}")[0][0], one(f"select count(*) from {a_rel}")[0][0],
            one(f"select count(*) from (select {collist} from {b_rel} except all select {collist} from {a_rel})")[0][0],
            one(f"select count(*) from (select {collist} from {a_rel} except all select {collist} from {b_rel})")[0][0],
            tuple(sorted(set(cols_a) ^ set(cols_b))))

    try:
        return _each_table(tables("b"), tables("a"), compare_one)
    finally:
        con.close()


def compare_postgres(before, after, schemas: list[str], ignored: set[str] = frozenset()
                     ) -> list[TableComparison]:
    """Every table of ``schemas`` in two PostgreSQL databases (``PostgresSettings``), as multisets of rows
    (without the ``ignored`` columns)."""
    def fetch(settings, sql: str, params: tuple = ()):
        con = settings.connect()
        try:
            with con.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            con.close()

    def tables(settings) -> set[tuple[str, str]]:
        rows = fetch(settings, "select table_schema, table_name from information_schema.tables "
                               "where table_schema = any(%s)", (list(schemas),))
        return {(s, t) for s, t in rows}

    def rows(settings, schema: str, table: str) -> Counter:
        names = [c for (c,) in fetch(settings, "select column_name from information_schema.columns where "
                                               "table_schema = %s and table_name = %s order by ordinal_position",
                                     (schema, table)) if c not in ignored]
        collist = ", ".join(f'"{c}"' for c in names)
        return Counter(fetch(settings, f'select {collist} from "{schema}"."{table}"'))

    def compare_one(name: str, schema: str, table: str) -> TableComparison:
        rows_b, rows_a = rows(before, schema, table), rows(after, schema, table)
        return TableComparison(name, sum(rows_b.values()), sum(rows_a.values()),
                               sum((rows_b - rows_a).values()), sum((rows_a - rows_b).values()))

    return _each_table(tables(before), tables(after), compare_one)
