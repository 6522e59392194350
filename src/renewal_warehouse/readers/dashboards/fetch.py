"""How the dashboards read a warehouse: a Fetch runs one SELECT and returns its columns and rows (on DuckDB
or PostgreSQL), and the two questions every page asks first: which marts are published, and by which build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Fetch = Callable[[str], tuple[list[str], list[tuple]]]


def published_marts(fetch: Fetch) -> set[str]:
    _, rows = fetch("select table_schema, table_name from information_schema.tables where table_schema = 'marts'")
    return {f"{schema}.{table}" for schema, table in rows}


def published_build(fetch: Fetch) -> dict | None:
    """The row `rwh build` wrote when it published the warehouse (meta.published_build), or None."""
    _, found = fetch("select count(*) from information_schema.tables where table_schema = 'meta' "
                     "and table_name = 'published_build'")
    if not found[0][0]:
        return None
    columns, rows = fetch("select * from meta.published_build")
    return dict(zip(columns, rows[0], strict=True)) if rows else None


def duckdb_fetch(path: Path) -> tuple[Fetch, Callable[[], None]]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)

    def fetch(sql: str) -> tuple[list[str], list[tuple]]:
        rel = con.sql(sql)
        return list(rel.columns), rel.fetchall()

    return fetch, con.close


def postgres_fetch(settings) -> tuple[Fetch, Callable[[], None]]:
    con = settings.connect()

    def fetch(sql: str) -> tuple[list[str], list[tuple]]:
        with con.cursor() as cur:
            cur.execute(sql)
            return [d[0] for d in cur.description], cur.fetchall()

    return fetch, con.close
