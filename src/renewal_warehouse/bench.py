"""Benchmarks that report figures (no pass/fail thresholds).

    python -m renewal_warehouse.bench --accounts 100000 --years 5 --out target/bench          # generator
    python -m renewal_warehouse.bench --out target/bench --reuse --dbt                         # + dbt build

The generator run writes ``results.json`` beside the extract: wall time, rows per table, usage rows per
second, peak memory and bytes on disk (targets: 100,000 accounts x 5 years in minutes, >= 1M usage rows/s).
With ``--dbt`` it then builds the warehouse on the extract with DuckDB and writes ``dbt_results.json``:
the build's wall time, peak memory of the dbt process, and the slowest models and tests (``--exclude``
passes a selector to leave out, e.g. ``base_product__usage_daily+`` to time the marts on their own).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from renewal_warehouse.generator import GeneratorConfig, generate

ROOT = Path(__file__).resolve().parents[2]


def bench_generator(args, out: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    usage_marks: list[str] = []

    def progress(msg: str) -> None:
        if msg.startswith("usage rows"):
            usage_marks.append(msg)
        print(msg, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    manifest = generate(GeneratorConfig(accounts=args.accounts, years=args.years, seed=args.seed), out, progress)
    wall = time.perf_counter() - t0
    usage_rows = manifest["row_counts"]["product.usage_daily"]
    usage_seconds = float(usage_marks[-1].split("(")[1].split("s,")[0]) if usage_marks else float("nan")
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
    return results


def bench_dbt(raw: Path, work: Path, exclude: str | None = None) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    db = work / "warehouse.duckdb"
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    env = {**os.environ, "RWH_RAW_DIR": str(raw.resolve()), "RWH_DUCKDB_PATH": str(db), "RWH_TARGET": "duckdb",
           "RWH_DUCKDB_TEMP_DIR": str(work / "duckdb_tmp"), "RWH_DEMO": "true"}  # generated: synthetic people
    target = work / "target"
    cmd = [sys.executable, "-m", "dbt.cli.main", "build", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
           "--target-path", str(target), "--log-path", str(work / "logs")]
    if exclude:
        cmd += ["--exclude", exclude]
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    peak_kb = next((int(line.split(":")[1]) for line in proc.stderr.splitlines()
                    if "Maximum resident set size" in line), None)
    run = json.loads((target / "run_results.json").read_text())
    timings = sorted(((r["execution_time"], r["unique_id"].split(".", 2)[-1], r["status"]) for r in run["results"]),
                     reverse=True)
    results = {
        "build_wall_seconds": round(wall, 1),
        "dbt_peak_rss_mb": round(peak_kb / 1024) if peak_kb else None,
        "nodes": len(run["results"]),
        "failed": [name for _t, name, status in timings if status not in ("success", "pass")],
        "slowest": [{"node": name, "seconds": round(t, 1)} for t, name, _s in timings[:15]],
        "warehouse_bytes": db.stat().st_size if db.exists() else None,
    }
    (work / "dbt_results.json").write_text(json.dumps(results, indent=2) + "\n")
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m renewal_warehouse.bench")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="target/bench")
    parser.add_argument("--reuse", action="store_true", help="keep an existing extract in --out/raw")
    parser.add_argument("--dbt", action="store_true", help="also time a dbt build of the warehouse on it")
    parser.add_argument("--exclude", help="dbt --exclude selector for the timed build (e.g. the usage chain)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    raw = out / "raw"
    if not (args.reuse and (raw / "_manifest.json").exists()):
        figures = bench_generator(args, raw)
        print(json.dumps({k: v for k, v in figures.items() if k != "row_counts"}, indent=2))
    if args.dbt:
        print(json.dumps(bench_dbt(raw, out / "dbt", args.exclude), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
