"""Compare two DuckDB warehouses row for row, table by table (the marts must not move by accident).

    uv run python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb [--schemas marts,intermediate]

For every table of the given schemas in either file it prints the row counts and the rows found on one
side only (EXCEPT ALL both ways, so duplicates count). Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sys

from renewal_warehouse.devtools.compare import compare_duckdb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schemas", default="marts,intermediate")
    parser.add_argument("--ignore-columns", default="", help="comma-separated column names left out of the comparison")
    args = parser.parse_args(argv)
    schemas = [s.strip() for s in args.schemas.split(",") if s.strip()]
    ignored = {c.strip() for c in args.ignore_columns.split(",") if c.strip()}
    results = compare_duckdb(args.before, args.after, schemas, ignored)
    for r in results:
        if not r.same or r.columns_one_side:
            print(r.line())
    differing = sum(not r.same for r in results)
    print(f"{len(results)} tables compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
