"""Synthetic raw data for the renewal warehouse: a coherent SaaS world, written as Parquet.

The world is simulated account by account up to about 200 days past the as-of date, then *cut* at the
as-of date: a contract signed later, a stage entered later, a risk flag raised later or usage loaded after
the extract ran is not in the extract. That is how pending renewals, open opportunities and late-arriving
usage come about, consistently across tables.

The planted effects (what the marts must recover) are defined once, in ``effects.py``: the simulation
draws every renewal from them and the manifest states them. The modules: ``common`` (configuration,
catalogue, date helpers, row buffers), ``entities``, ``world`` (the seeded loop), ``accounts`` (contracts,
amendments, renewals), ``crm`` (opportunities, forecasts, targets), ``success`` (risk flags, sponsors,
reviews, onboarding, tickets, surveys, meetings), ``usage`` (written while simulating), ``corruption`` (the
bad rows and what staging must say of them) and ``truth`` (``_truth/``).

Determinism: the same configuration gives the same bytes (one seeded generator, fixed iteration order,
Parquet written without wall-clock metadata).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from renewal_warehouse.pipeline.generator.common import GeneratorConfig
from renewal_warehouse.pipeline.generator.corruption import corrupt
from renewal_warehouse.pipeline.generator.effects import PLANTED_CSMS, PLANTED_EFFECTS
from renewal_warehouse.pipeline.generator.truth import truth_tables
from renewal_warehouse.pipeline.generator.usage import UsageWriter
from renewal_warehouse.pipeline.generator.world import World

__all__ = ["PLANTED_CSMS", "PLANTED_EFFECTS", "GeneratorConfig", "World", "generate"]


def generate(cfg: GeneratorConfig, out: Path, progress: Callable[[str], None] = print) -> dict:
    """Generate the raw tables under ``out/<system>/<table>.parquet`` and return the manifest."""
    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = World(cfg)
    world.usage_sink = sink = UsageWriter(world, out, progress)
    world.build(progress)
    world.usage_writer = sink.writer
    usage_rows, late = sink.written, sink.late_dropped
    expected = corrupt(world) if cfg.corrupt else []
    usage_extra = world.tables["product.usage_daily"]
    if usage_extra.rows:
        world.usage_writer.write_table(usage_extra.to_arrow())
        usage_rows += len(usage_extra.rows)
    world.usage_writer.close()
    counts = {"product.usage_daily": usage_rows}
    for qualified, rows in world.tables.items():
        if qualified == "product.usage_daily":
            continue
        t = rows.table
        path = out / t.system / f"{t.name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(rows.to_arrow(), path, compression="zstd")
        counts[qualified] = len(rows.rows)
    truth_dir = out / "_truth"
    truth_dir.mkdir(exist_ok=True)
    for name, tbl in truth_tables(world).items():
        pq.write_table(tbl, truth_dir / f"{name}.parquet", compression="zstd")
    cfg_dict = asdict(cfg)
    cfg_dict["as_of"] = cfg.as_of.isoformat()
    manifest = {
        "generator": "renewal_warehouse.pipeline.generator",
        "config": cfg_dict,
        "history_start": world.start.isoformat(),
        "as_of": cfg.as_of.isoformat(),
        "extracted_at": (datetime(1970, 1, 1) + timedelta(microseconds=world.extracted_at)).isoformat(),
        "row_counts": dict(sorted(counts.items())),
        "late_usage_rows_not_yet_arrived": late,
        "missing_renewal_target": world.missing_target,
        "planted_effects": PLANTED_EFFECTS,
        "expected_quarantine": [e for e in expected if e["reason"] not in ("duplicate", "superseded")],
        "expected_duplicates": [e for e in expected if e["reason"] == "duplicate"],
        "expected_superseded": [e for e in expected if e["reason"] == "superseded"],
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    total = sum(counts.values())
    progress(f"wrote {total:,} rows in {len(counts)} tables to {out} in {time.perf_counter() - t0:.1f}s")
    return manifest
