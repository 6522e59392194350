"""Compare two DuckDB warehouses row for row, table by table (the marts must not move by accident).

    uv run python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb [--schemas marts,intermediate]

For every table of the given schemas in either file it prints the row counts and the rows found on one
side only (EXCEPT ALL both ways, so duplicates count). Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sys

import duckdb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schemas", default="marts,intermediate")
    parser.add_argument("--ignore-columns", default="", help="comma-separated column names left out of the comparison")
    args = parser.parse_args(argv)
    schemas = [s.strip() for s in args.schemas.split(",") if s.strip()]
    ignored = {c.strip() for c in args.ignore_columns.split(",") if c.strip()}
    con = duckdb.connect()
    con.execute(f"attach '{args.before}' as b (read_only)")
    con.execute(f"attach '{args.after}' as a (read_only)")

    def tables(db: str) -> set[tuple[str, str]]:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = ? and table_schema in (select unnest(?))", [db, schemas]).fetchall()
        return {(s, t) for s, t in rows}

    before, after = tables("b"), tables("a")
    differing = 0
    for schema, table in sorted(before | after):
        name = f"{schema}.{table}"
        if (schema, table) not in after or (schema, table) not in before:
            print(f"{name:<60} only in {'before' if (schema, table) in before else 'after'}")
            differing += 1
            continue
        cols_b = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_catalog='b' and table_schema=? "
            "and table_name=? order by ordinal_position", [schema, table]).fetchall() if c not in ignored]
        cols_a = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_catalog='a' and table_schema=? "
            "and table_name=? order by ordinal_position", [schema, table]).fetchall() if c not in ignored]
        common = [c for c in cols_b if c in cols_a]
        collist = ", ".join(f'"{c}"' for c in common)
        nb = con.execute(f'select count(*) from b."{schema}"."{table}"').fetchone()[0]
        na = con.execute(f'select count(*) from a."{schema}"."{table}"').fetchone()[0]
        only_b = con.execute(f'select count(*) from (select {collist} from b."{schema}"."{table}" except all '
                             f'select {collist} from a."{schema}"."{table}")').fetchone()[0]
        only_a = con.execute(f'select count(*) from (select {collist} from a."{schema}"."{table}" except all '
                             f'select {collist} from b."{schema}"."{table}")').fetchone()[0]
        extra = sorted(set(cols_a) ^ set(cols_b))
        status = "same" if only_a == only_b == 0 and nb == na else "DIFFERENT"
        if status != "same" or extra:
            differing += status != "same"
            note = f"  columns on one side only: {', '.join(extra)}" if extra else ""
            print(f"{name:<60} {status}: {nb} -> {na} rows, {only_b} only before, {only_a} only after{note}")
    total = len(before | after)
    print(f"{total} tables compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
