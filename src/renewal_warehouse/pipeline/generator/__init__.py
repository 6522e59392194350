"""Synthetic raw data for the renewal warehouse: a coherent SaaS world, written as Parquet.

The world is simulated account by account up to about 200 days past the as-of date, then *cut* at the
as-of date: a contract signed later, a stage entered later, a risk flag raised later or usage loaded after
the extract ran is not in the extract. That is how pending renewals, open opportunities and late-arriving
usage come about, consistently across tables.

The planted effects (what the marts must recover) are defined once, in ``effects.py``: the simulation
draws every renewal from them and the manifest states them. The modules: ``common`` (configuration and the
frozen Settings derived from it, catalogue, date helpers, the seeded stream, key counters, FX, row buffers),
``entities``, ``world`` (the seeded loop: it builds the parts below and hands each its settings and
collaborators explicitly), ``accounts`` (contracts, amendments, renewals), ``crm`` (opportunities,
forecasts, targets), ``success`` (risk flags, sponsors, reviews, onboarding, tickets, surveys, meetings),
``usage`` (written while simulating), ``corruption`` (the bad rows and what staging must say of them) and
``truth`` (``_truth/``). What a part computes for another is returned (an account's usage plan, the
missing target, the usage sample), not left on a shared object.

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
    settings, tables = world.settings, world.tables
    usage = UsageWriter(settings, tables["product.licensed_seats"], out, progress)
    simulated = world.build(usage, progress)
    usage_rows, late = usage.written, usage.late_dropped
    expected = corrupt(settings, tables, usage.sample) if cfg.corrupt else []
    usage_extra = tables["product.usage_daily"]  # the usage rows the corruption step added
    if usage_extra.rows:
        usage.writer.write_table(usage_extra.to_arrow())
        usage_rows += len(usage_extra.rows)
    usage.writer.close()
    counts = {"product.usage_daily": usage_rows}
    for qualified, rows in tables.items():
        if qualified == "product.usage_daily":
            continue
        t = rows.table
        path = out / t.system / f"{t.name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(rows.to_arrow(), path, compression="zstd")
        counts[qualified] = len(rows.rows)
    truth_dir = out / "_truth"
    truth_dir.mkdir(exist_ok=True)
    for name, tbl in truth_tables(simulated.events, simulated.csms).items():
        pq.write_table(tbl, truth_dir / f"{name}.parquet", compression="zstd")
    cfg_dict = asdict(cfg)
    cfg_dict["as_of"] = cfg.as_of.isoformat()
    manifest = {
        "generator": __name__,
        "config": cfg_dict,
        "history_start": settings.start.isoformat(),
        "as_of": cfg.as_of.isoformat(),
        "extracted_at": (datetime(1970, 1, 1) + timedelta(microseconds=settings.extracted_at)).isoformat(),
        "row_counts": dict(sorted(counts.items())),
        "late_usage_rows_not_yet_arrived": late,
        "missing_renewal_target": simulated.missing_target,
        "planted_effects": PLANTED_EFFECTS,
        "expected_quarantine": [e for e in expected if e["reason"] not in ("duplicate", "superseded")],
        "expected_duplicates": [e for e in expected if e["reason"] == "duplicate"],
        "expected_superseded": [e for e in expected if e["reason"] == "superseded"],
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    total = sum(counts.values())
    progress(f"wrote {total:,} rows in {len(counts)} tables to {out} in {time.perf_counter() - t0:.1f}s")
    return manifest
