"""Load the raw Parquet extract into a PostgreSQL server, one schema per source system.

DuckDB reads the Parquet files in place (dbt-duckdb ``external_location``); every other warehouse gets
the raw tables from this loader. Tables are created from the raw data contract, so column types match
what the staging models expect, and loaded with ``COPY`` in batches (progress is reported per table).
"""

from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline import vendors as rv


@dataclass(frozen=True)
class PostgresSettings:
    host: str
    port: int
    user: str
    password: str
    database: str
    raw_schema_prefix: str = "raw_"
    # The role BI tools and analysts read the marts through (docs/bi-tools.md): the build creates it when
    # missing and grants it the marts, and nothing else, at every publication. Empty: no reader role.
    reader_role: str = "rwh_reader"

    @classmethod
    def from_env(cls) -> PostgresSettings:
        return cls(
            host=os.environ.get("RWH_PG_HOST", "127.0.0.1"),
            port=int(os.environ.get("RWH_PG_PORT", "5432")),
            user=os.environ.get("RWH_PG_USER", "rwh"),
            password=os.environ.get("DBT_ENV_SECRET_RWH_PG_PASSWORD", ""),
            database=os.environ.get("RWH_PG_DATABASE", "rwh"),
            raw_schema_prefix=os.environ.get("RWH_RAW_SCHEMA_PREFIX", "raw_"),
            reader_role=os.environ.get("RWH_PG_READER_ROLE", "rwh_reader"),
        )

    def connect(self):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                                dbname=self.database)


class RawDataError(Exception):
    """The raw extract on disk does not match the contract (missing file, missing column)."""


def parquet_path(raw_dir: Path, t: rc.Table) -> Path:
    return Path(raw_dir) / t.system / f"{t.name}.parquet"


def check_files(raw_dir: Path, systems: tuple[str, ...] = rc.SYSTEMS_DEFAULT) -> None:
    """Every raw file of the declared source systems exists (in the contract's format; a vendor's tables are the
    gate's pre-check)."""
    missing = [str(parquet_path(raw_dir, t)) for t in rv.contract_tables(systems)
               if not parquet_path(raw_dir, t).exists()]
    if missing:
        raise RawDataError(
            f"{len(missing)} raw file(s) missing under {raw_dir}: {', '.join(missing[:5])}"
            + (" ..." if len(missing) > 5 else "")
            + f". Declared source systems ({rc.SOURCE_SYSTEMS_ENV}): {','.join(systems)}. Generate the files with "
            "`rwh generate --out DIR`, point RWH_RAW_DIR at your extract, or leave out a system you do not have.")


def _csv_chunk(batch: pa.RecordBatch) -> io.StringIO:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    cols = [c.to_pylist() for c in batch.columns]
    for row in zip(*cols, strict=True):
        writer.writerow(["\\N" if v is None else v for v in row])
    buf.seek(0)
    return buf


def _copy_table(conn, schema: str, table: str, ddl: str, pf: pq.ParquetFile, names: list[str],
                batch_rows: int) -> int:
    """Create a table (``ddl``) and COPY the Parquet file's ``names`` columns into it in batches; its row count."""
    n = 0
    with conn, conn.cursor() as cur:
        cur.execute(ddl)
        cols = ", ".join(f'"{c}"' for c in names)
        for batch in pf.iter_batches(batch_size=batch_rows, columns=names):
            cur.copy_expert(f'copy "{schema}"."{table}" ({cols}) from stdin with (format csv, null \'\\N\')',
                            _csv_chunk(batch))
            n += batch.num_rows
        cur.execute(f'analyze "{schema}"."{table}"')
    return n


def load_postgres(raw_dir: Path, settings: PostgresSettings,
                  progress: Callable[[str], None] = print, batch_rows: int = 200_000,
                  systems: tuple[str, ...] | None = None) -> dict[str, int]:
    """(Re)create the raw schemas of the declared source systems (default: RWH_SOURCE_SYSTEMS) and load
    every table of theirs. Files of undeclared systems are not loaded. Returns row counts per table."""
    systems = rc.declared_systems() if systems is None else systems
    check_files(raw_dir, systems)
    for system in rc.SYSTEMS_DEFAULT:
        if system not in systems and (Path(raw_dir) / system).is_dir():
            progress(f"not loaded: {system} (its files are in the extract, but {rc.SOURCE_SYSTEMS_ENV} does not "
                     "declare it)")
    counts: dict[str, int] = {}
    conn = settings.connect()
    try:
        with conn, conn.cursor() as cur:
            for system in systems:
                schema = f"{settings.raw_schema_prefix}{system}"
                cur.execute(f'drop schema if exists "{schema}" cascade')
                cur.execute(f'create schema "{schema}"')
        for t in rv.contract_tables(systems):
            t0 = time.perf_counter()
            schema = f"{settings.raw_schema_prefix}{t.system}"
            pf = pq.ParquetFile(parquet_path(raw_dir, t))
            names = [c.name for c in t.columns]
            missing = [n for n in names if n not in pf.schema_arrow.names]
            if missing:
                raise RawDataError(f"{t.qualified}: column(s) {', '.join(missing)} missing from "
                                   f"{parquet_path(raw_dir, t)}")
            n = _copy_table(conn, schema, t.name, rc.postgres_ddl(t, schema), pf, names, batch_rows)
            counts[t.qualified] = n
            progress(f"loaded {t.qualified}: {n:,} rows ({time.perf_counter() - t0:.1f}s)")
        for vendor in rv.declared_vendors(systems):
            counts.update(_load_vendor(conn, raw_dir, vendor, batch_rows, progress))
    finally:
        conn.close()
    return counts


def _pg_column_type(t: pa.DataType) -> str:
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "bigint"
    if pa.types.is_floating(t):
        return "double precision"
    if pa.types.is_decimal(t):
        return f"numeric({t.precision},{t.scale})"
    return "text"


def _load_vendor(conn, raw_dir: Path, vendor: rv.Vendor, batch_rows: int,
                 progress: Callable[[str], None]) -> dict[str, int]:
    """A vendor's tables of the extract (``<raw dir>/<vendor>/<table>.parquet``) into the schema its loader would
    land them in (RWH_<VENDOR>_SCHEMA, default the vendor's name), every column as the file has it: what a
    Fivetran connector leaves in PostgreSQL. Without the vendor's folder nothing is loaded (the tables are
    already where the loader put them)."""
    folder = Path(raw_dir) / vendor.name
    if not folder.is_dir():
        progress(f"not loaded: {vendor.name} (no {folder}; the adapter reads the schema {vendor.schema()} as it is)")
        return {}
    schema, counts = vendor.schema(), {}
    with conn, conn.cursor() as cur:
        cur.execute(f'drop schema if exists "{schema}" cascade')
        cur.execute(f'create schema "{schema}"')
    for vt in vendor.tables:
        path = folder / f"{vt.name}.parquet"
        if not path.exists():
            continue  # the gate names it
        t0 = time.perf_counter()
        pf = pq.ParquetFile(path)
        fields = list(pf.schema_arrow)
        ddl = ", ".join(f'"{f.name}" {_pg_column_type(f.type)}' for f in fields)
        n = _copy_table(conn, schema, vt.name, f'create table "{schema}"."{vt.name}" ({ddl})', pf,
                        [f.name for f in fields], batch_rows)
        counts[f"{vendor.name}.{vt.name}"] = n
        progress(f"loaded {vendor.name}.{vt.name} into {schema}: {n:,} rows ({time.perf_counter() - t0:.1f}s)")
    return counts
