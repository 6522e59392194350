"""Replay a raw extract as the daily loads that produced it, for incremental runs (docs/incremental.md).

Every raw row carries ``_loaded_at``, the time its source loaded it. ``slice_extract`` writes the extract as
it stood at an earlier time: every table keeps the rows loaded by then (and its rows without a load time,
which staging quarantines in every extract). Registry tables that the source reloads whole with every
extract (CRM accounts, users, ownership, the product catalogue: every row loaded within
``SNAPSHOT_WINDOW`` of the extract time) are kept whole, as each day's extract would hold them. A sequence
of slices, one per day, is the daily feed that the incremental-equals-full test and the one-day incremental
line of ``make bench`` run on.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.loader import parquet_path

SNAPSHOT_WINDOW = timedelta(hours=48)


def extracted_at(raw_dir: Path) -> datetime:
    """The extract's time, from its manifest (rows loaded later are planted loads "in the future")."""
    manifest = Path(raw_dir) / "_manifest.json"
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest} is missing: the extract time comes from the manifest")
    return datetime.fromisoformat(json.loads(manifest.read_text())["extracted_at"])


def slice_extract(raw_dir: Path, out_dir: Path, loaded_through: datetime,
                  progress: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Write to ``out_dir`` the extract as loaded through ``loaded_through``; returns the rows per table."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if out_dir.resolve() == raw_dir.resolve():
        raise ValueError("slice_extract writes a new extract: out_dir must differ from raw_dir")
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    snapshot_since = extracted_at(raw_dir) - SNAPSHOT_WINDOW
    con = duckdb.connect()
    counts: dict[str, int] = {}
    try:
        for t in rc.TABLES:
            src = parquet_path(raw_dir, t)
            if not src.exists():
                continue
            dst = parquet_path(out_dir, t)
            dst.parent.mkdir(parents=True, exist_ok=True)
            first_load = con.execute(f"select min(_loaded_at) from read_parquet('{src}')").fetchall()[0][0]
            whole = first_load is not None and first_load >= snapshot_since
            where = "" if whole else "where _loaded_at is null or _loaded_at <= ?"
            con.execute(f"copy (select * from read_parquet('{src}') {where}) to '{dst}' (format parquet)",
                        [] if whole else [loaded_through])
            counts[t.qualified] = con.sql(f"select count(*) from read_parquet('{dst}')").fetchall()[0][0]
            how = "whole (reloaded with every extract)" if whole else f"loaded through {loaded_through}"
            progress(f"{t.qualified}: {counts[t.qualified]:,} rows, {how}")
    finally:
        con.close()
    manifest = raw_dir / "_manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text())
        data["sliced_from"] = {"raw_dir": str(raw_dir), "loaded_through": loaded_through.isoformat(),
                               "row_counts": counts}
        (out_dir / "_manifest.json").write_text(json.dumps(data, indent=2, default=str))
    return counts
