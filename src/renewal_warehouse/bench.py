"""Generator benchmark: generate a large extract and report the figures (no pass/fail thresholds).

    python -m renewal_warehouse.bench --accounts 100000 --years 5 --out target/bench

Writes ``results.json`` beside the extract: wall time, rows per table, usage rows per second, peak memory
and bytes on disk. Targets (issue 2): 100,000 accounts x 5 years in minutes, >= 1M usage rows/s.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

from renewal_warehouse.generator import GeneratorConfig, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m renewal_warehouse.bench")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="target/bench")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    usage_marks: list[tuple[float, str]] = []

    def progress(msg: str) -> None:
        if msg.startswith("usage rows"):
            usage_marks.append((time.perf_counter(), msg))
        print(msg, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    manifest = generate(GeneratorConfig(accounts=args.accounts, years=args.years, seed=args.seed), out, progress)
    wall = time.perf_counter() - t0
    usage_rows = manifest["row_counts"]["product.usage_daily"]
    usage_seconds = float(usage_marks[-1][1].split("(")[1].split("s,")[0]) if usage_marks else float("nan")
    results = {
        "accounts": args.accounts,
        "years": args.years,
        "wall_seconds": round(wall, 1),
        "total_rows": sum(manifest["row_counts"].values()),
        "usage_rows": usage_rows,
        "usage_seconds": usage_seconds,
        "usage_rows_per_second": round(usage_rows / usage_seconds) if usage_seconds else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "bytes_on_disk": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
        "row_counts": manifest["row_counts"],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "row_counts"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
