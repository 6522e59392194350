"""Compare two warehouses row for row, table by table: the numbers must not move by accident.

``compare_duckdb`` sets two DuckDB files side by side (EXCEPT ALL both ways, so duplicates count);
``compare_postgres`` does the same for two PostgreSQL databases, ``compare_spark_warehouses`` for two Spark
warehouse directories (their Parquet files). Each returns one line per table that differs
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


def postgres_rows(settings, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of one query on a PostgreSQL database (``PostgresSettings``), on a connection of its own."""
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        con.close()


def compare_postgres(before, after, schemas: list[str], ignored: set[str] = frozenset()
                     ) -> list[TableComparison]:
    """Every table of ``schemas`` in two PostgreSQL databases (``PostgresSettings``), as multisets of rows
    (without the ``ignored`` columns)."""
    fetch = postgres_rows

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


def compare_spark_warehouses(before_dir: str, after_dir: str, schemas: list[str],
                             ignored: set[str] = frozenset(), before_suffix: str = "",
                             after_suffix: str = "") -> list[TableComparison]:
    """Every table of ``schemas`` in two Spark warehouse directories (or two slots of one), read from their
    Parquet files (``<dir>/<schema><suffix>.db/<table>``, partitioned tables with their partition columns), as
    multisets of rows without the ``ignored`` columns. A suffix names a slot of ``rwh build --target spark``
    (``__blue``). Views have no files and are not compared."""
    from pathlib import Path

    import duckdb

    con = duckdb.connect()
    sides = {"before": (before_dir, before_suffix), "after": (after_dir, after_suffix)}

    def directory(side: str, schema: str) -> Path:
        root, suffix = sides[side]
        return Path(root) / f"{schema}{suffix}.db"

    def tables(side: str) -> set[tuple[str, str]]:
        return {(s, p.name) for s in schemas if directory(side, s).is_dir()
                for p in directory(side, s).iterdir() if p.is_dir() and any(p.rglob("*.parquet"))}

    def relation(side: str, schema: str, table: str) -> str:
        return f"read_parquet('{directory(side, schema) / table}/**/*.parquet', hive_partitioning = true)"

    def columns(rel: str) -> list[str]:
        return [c for (c, *_) in con.execute(f"describe select * from {rel}").fetchall() if c not in ignored]

    def compare_one(name: str, schema: str, table: str) -> TableComparison:
        b_rel, a_rel = relation("before", schema, table), relation("after", schema, table)
        cols_b, cols_a = columns(b_rel), columns(a_rel)
        collist = ", ".join(f'"{c}"' for c in cols_b if c in cols_a)
        count = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return TableComparison(
            name, count(f"select count(*) from {b_rel}"), count(f"select count(*) from {a_rel}"),
            count(f"select count(*) from (select {collist} from {b_rel} except all select {collist} from {a_rel})"),
            count(f"select count(*) from (select {collist} from {a_rel} except all select {collist} from {b_rel})"),
            tuple(sorted(set(cols_a) ^ set(cols_b))))

    try:
        return _each_table(tables("before"), tables("after"), compare_one)
    finally:
        con.close()


@dataclass
class ValueDifference:
    table: str
    key: str
    column: str
    duckdb_value: object
    spark_value: object

    def line(self) -> str:
        return (f"{self.table}.{self.column} at {self.key}: DuckDB {self.duckdb_value!r}, "
                f"Spark {self.spark_value!r}")


def compare_spark_files(duckdb_path: str, spark_warehouse_dir: str, schema: str = "marts",
                        tolerance: float = 1e-6, spark_schema: str | None = None,
                        money_tolerance: float | None = None, stats: dict | None = None
                        ) -> tuple[list[TableComparison], list[ValueDifference], int]:
    """Every table of ``schema`` in a DuckDB warehouse against the same table built by Spark, read from its
    Parquet files (``<spark_warehouse_dir>/<spark_schema>.db/<table>``; ``spark_schema`` is ``schema`` by
    default, ``marts__blue`` for a slot of ``rwh build --target spark``). Rows are matched on the table's first
    column (every mart's key); numbers may differ by ``tolerance`` (a millionth: below a cent, and the
    precision of a rate), everything else must be equal. Returns the tables (counts and rows without a
    partner), the values that differ, and how many values were compared.

    ``money_tolerance`` (default: ``tolerance``) applies to the money columns (``decimal(38,6)``, the
    project's money type) instead. ``stats``, when given, receives the largest difference seen among money
    columns and among the other numbers (``max_money_difference``, ``max_other_difference``)."""
    from pathlib import Path

    import duckdb

    con = duckdb.connect()
    con.execute(f"attach '{duckdb_path}' as d (read_only)")
    try:
        names = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'd' and table_schema = ? "
            "order by 1", [schema]).fetchall()]
        spark_dir = Path(spark_warehouse_dir) / f"{spark_schema or schema}.db"
        on_spark = {p.name for p in spark_dir.iterdir() if p.is_dir()} if spark_dir.is_dir() else set()
        tables, differences, compared = [], [], 0
        for name in sorted(set(names) | on_spark):
            label = f"{schema}.{name}"
            if name not in on_spark or name not in names:
                present = name in names
                tables.append(TableComparison(label, 0 if present else None, None if present else 0))
                continue
            spark_rel = f"read_parquet('{spark_dir / name}/*.parquet')"
            duck_rel = f'd."{schema}"."{name}"'
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'd' and "
                "table_schema = ? and table_name = ? order by ordinal_position", [schema, name]).fetchall()]
            spark_columns = [c for (c, *_) in con.execute(f"describe select * from {spark_rel}").fetchall()]
            key, common = columns[0], [c for c in columns if c in spark_columns]
            n_duck = con.execute(f"select count(*) from {duck_rel}").fetchone()[0]
            n_spark = con.execute(f"select count(*) from {spark_rel}").fetchone()[0]
            unmatched = con.execute(
                f'select (select count(*) from {duck_rel} a anti join {spark_rel} b on a."{key}" = b."{key}"), '
                f'(select count(*) from {spark_rel} b anti join {duck_rel} a on a."{key}" = b."{key}")').fetchone()
            tables.append(TableComparison(label, n_duck, n_spark, unmatched[0], unmatched[1],
                                          tuple(sorted(set(columns) ^ set(spark_columns)))))
            for column in common[1:]:
                kind = con.execute(
                    f"select typeof(\"{column}\") in ('DOUBLE', 'FLOAT', 'BIGINT', 'INTEGER', 'HUGEINT') "
                    f"or typeof(\"{column}\") like 'DECIMAL%', typeof(\"{column}\") = 'DECIMAL(38,6)' "
                    f"from {duck_rel} limit 1").fetchone()
                numeric, money = bool(kind and kind[0]), bool(kind and kind[1])
                allowed = money_tolerance if (money and money_tolerance is not None) else tolerance
                gap = f'abs(cast(a."{column}" as double) - cast(b."{column}" as double))'
                # 1e-9 of slack: the two values are compared as doubles, where 1e-6 reads as 1.0000003e-06.
                differs = f'{gap} > {allowed + 1e-9}' if numeric else f'a."{column}" != b."{column}"'
                condition = (f'(a."{column}" is null) != (b."{column}" is null) or {differs}')
                join = f'from {duck_rel} a join {spark_rel} b on a."{key}" = b."{key}"'
                count, largest = con.execute(
                    f"select count(*), {f'max({gap})' if numeric else 'null'} {join}").fetchone()
                compared += count
                if stats is not None and largest is not None:
                    name = "max_money_difference" if money else "max_other_difference"
                    stats[name] = max(stats.get(name, 0.0), float(largest))
                for k, x, y in con.execute(
                        f'select a."{key}", a."{column}", b."{column}" {join} where {condition} '
                        f'order by 1 limit 5').fetchall():
                    differences.append(ValueDifference(label, str(k), column, x, y))
        return tables, differences, compared
    finally:
        con.close()
