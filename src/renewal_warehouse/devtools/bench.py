"""The benchmark people can rerun: `make bench` (figures, never pass/fail thresholds).

    python -m renewal_warehouse.devtools.bench                      # tiers S, M and L
    python -m renewal_warehouse.devtools.bench --tiers S,M          # some of them
    python -m renewal_warehouse.devtools.bench --tiers S --report-dir /tmp/x   # write the report elsewhere

Per tier (S: 1,000 accounts, M: 10,000, L: 100,000; 5 years each) it

1. generates the extract under ``--out/<tier>/raw``, or reuses it when its manifest has the same
   configuration and generator version (generation is cached);
2. builds the warehouse on DuckDB with ``dbt build`` in a child process from the extract as loaded a day
   before its extract time (``renewal_warehouse.pipeline.incremental.slice_extract``, cached beside it) and measures
   the wall time, CPU time (user + system), peak resident memory (``/usr/bin/time -v``) and peak spill (the
   DuckDB temp directory's size, sampled every half second);
3. times each usage model (from dbt's run_results) against its **floor**: the same table built straight
   from the Parquet file into a DuckDB file, in the same run (the ratio model / floor is what the pipeline
   costs above the data's own price);
4. measures the one-day incremental run: ``dbt build`` again on the same warehouse file with the complete
   extract (one more day of data appended), and its share of the full build's wall time;
5. measures a run with nothing new (``dbt build`` once more on the same extract): what every daily run costs
   whatever arrived, since everything but the usage models is rebuilt in full (registry and CRM tables are
   reloaded whole, and the as-of date moves every day);
6. fits the renewal likelihood model on the tier's warehouse as ``rwh train`` would and reports its held-out
   figures beside the AUC of the simulation's own probabilities, and its quarter forecasts against the
   team's (``train.held_out_figures``).

The CPU cost per 1,000 account-years is reported per tier, and between tiers as the marginal cost (the
extra CPU seconds of the larger tier over its extra account-years): the fixed cost of a build (dbt, ~500
nodes) dominates the small tiers, and the marginal cost says whether the cost grows linearly with the data.

With ``--spark-tiers`` (default M) the tier is also built on a local Spark (``local[2]``, dbt-spark's session
method): the full build and the one-day incremental run, measured the same way (the peak memory of dbt and
the JVM together, sampled), and the marts compared with DuckDB's of the same tier, value by value.

Results go to ``--report-dir`` (default ``docs/bench``): ``results.json`` (every tier's figures, merged with
the tiers of an earlier run that this one did not rerun), ``figures.md`` (the same as a table) and
``bench.svg`` (a chart of them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from renewal_warehouse.pipeline import incremental
from renewal_warehouse.pipeline.build import engine_fault

ROOT = Path(__file__).resolve().parents[3]

TIERS = {"S": 1_000, "M": 10_000, "L": 100_000}
YEARS = 5.0
SEED = 7
# The incremental models, timed in the one-day incremental run.
INCREMENTAL_MODELS = ("base_product__usage_daily", "int_usage_account_days", "int_usage_user_blocks",
                      "int_usage_account_weeks")

# How the report marks a run whose figures include the retry after a DuckDB fault (see dbt_build).
RETRIED = " (with one retry after a DuckDB fault)"

# The floor of each usage model: the same table built straight from the Parquet file ({raw}) into a DuckDB
# file, as dbt builds the model into the warehouse file (writing the result is part of the work).
FLOORS = {
    # duplicate and version detection by key: the GROUP BY every key needs, and the rows of repeated keys
    "base_product__usage_daily": """
        create table floor_base as
        select * from read_parquet('{raw}') as u
        where hash(u.account_id, u.user_id, u.usage_date) in (
            select hash(account_id, user_id, usage_date) from read_parquet('{raw}')
            group by 1 having count(*) > 1)
    """,
    "int_usage_account_days": """
        create table floor_account_days as
        select account_id, usage_date, count(*) as active_users, sum(sessions) as sessions,
               sum(core_feature_events) as core_feature_events, max(_loaded_at) as last_loaded_at
        from read_parquet('{raw}') group by 1, 2
    """,
    # one row per user and 13-week block: a bit per active week, and the block before's last four weeks
    "int_usage_user_blocks": """
        create table floor_user_blocks as
        with d as (
            select account_id, user_id, core_feature_events, _loaded_at,
                   cast(datediff('day', date '1970-01-05', usage_date) // 7 as bigint) as w
            from read_parquet('{raw}')),
        p as (select *, w // 13 as b, w % 13 as pos from d)
        select account_id, user_id, b + k as block_index,
               bit_or(case when k = 0 then 1::bigint << pos else 0 end) as active_weeks_mask,
               bit_or(case when k = 0 and core_feature_events > 0 then 1::bigint << pos else 0 end) as core_weeks_mask,
               bit_or(case when k = 1 then 1::bigint << (pos - 9) else 0 end) as active_lookback_mask,
               bit_or(case when k = 1 and core_feature_events > 0 then 1::bigint << (pos - 9) else 0 end)
                   as core_lookback_mask,
               max(_loaded_at) as last_loaded_at
        from p, (values (0), (1)) as kinds (k)
        where k = 0 or pos >= 9
        group by all
    """,
}


def _log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def _generator_version() -> str:
    import hashlib

    digest = hashlib.sha256()
    for module in sorted((ROOT / "src" / "renewal_warehouse" / "pipeline" / "generator").glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:12]


def _timed_child(cmd: list[str], env: dict, spill_dir: Path | None = None) -> dict:
    """Run a child under /usr/bin/time -v; wall, CPU, peak RSS and peak spill (bytes under spill_dir)."""
    peak_spill = peak_tree = 0
    tree_cpu: dict[int, float] = {}  # the last CPU seconds seen of each process of the tree
    done = threading.Event()
    proc_holder: list[subprocess.Popen] = []

    def sample() -> None:
        nonlocal peak_spill, peak_tree
        while not done.wait(0.5):
            if proc_holder:
                rss, cpu = _tree_usage(proc_holder[0].pid)
                peak_tree = max(peak_tree, rss)
                tree_cpu.update(cpu)
            if spill_dir is not None and spill_dir.exists():
                try:
                    size = sum(p.stat().st_size for p in spill_dir.rglob("*") if p.is_file())
                except FileNotFoundError:  # DuckDB removed a temp file (or the directory) meanwhile
                    continue
                peak_spill = max(peak_spill, size)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc_holder.append(proc)
    stdout, stderr = proc.communicate()
    proc = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()

    def field(name: str) -> float | None:
        line = next((x for x in proc.stderr.splitlines() if x.strip().startswith(name)), None)
        return float(line.rsplit(":", 1)[1]) if line else None

    user, system, rss_kb = field("User time (seconds)"), field("System time (seconds)"), field(
        "Maximum resident set size (kbytes)")
    return {"returncode": proc.returncode, "wall_seconds": round(wall, 1),
            "cpu_seconds": round((user or 0) + (system or 0), 1),
            "peak_rss_mb": round(rss_kb / 1024) if rss_kb else None,
            # every process of the tree together, sampled (the JVM Spark starts is not a waited-for child)
            "peak_tree_rss_mb": round(peak_tree / 2**20),
            "tree_cpu_seconds": round(sum(tree_cpu.values()), 1),
            "peak_spill_mb": round(peak_spill / 2**20), "stdout": proc.stdout, "stderr": proc.stderr}


def _tree_usage(root: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of a process and all its descendants now, and the CPU seconds (user + system) each of
    them has used so far (from /proc)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(more)
        tree |= more
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total, {pid: cpu[pid] for pid in tree if pid in cpu}


def ensure_extract(tier: str, raw: Path) -> dict:
    """Generate the tier's extract unless a matching one is cached; returns the generation figures."""
    accounts = TIERS[tier]
    wanted = {"accounts": accounts, "years": YEARS, "seed": SEED}
    manifest_path = raw / "_manifest.json"
    cached_figures = raw / "_bench_generation.json"
    if manifest_path.exists() and cached_figures.exists():
        manifest = json.loads(manifest_path.read_text())
        figures = json.loads(cached_figures.read_text())
        if ({k: manifest["config"].get(k) for k in wanted} == wanted
                and figures.get("generator_version") == _generator_version()):
            _log(f"{tier}: reusing the extract in {raw}")
            return {**figures, "cached": True}
    if raw.exists():
        shutil.rmtree(raw)
    _log(f"{tier}: generating {accounts:,} accounts x {YEARS:g} years into {raw}")
    run = _timed_child([sys.executable, "-m", "renewal_warehouse", "generate", "--out", str(raw),
                        "--accounts", str(accounts), "--years", str(YEARS), "--seed", str(SEED), "--quiet"],
                       {**os.environ})
    if run["returncode"] != 0:
        raise SystemExit(f"bench: generation failed:\n{run['stderr'][-3000:]}")
    manifest = json.loads(manifest_path.read_text())
    figures = {"generator_version": _generator_version(), "wall_seconds": run["wall_seconds"],
               "cpu_seconds": run["cpu_seconds"], "peak_rss_mb": run["peak_rss_mb"],
               "rows": sum(manifest["row_counts"].values()),
               "usage_rows": manifest["row_counts"]["product.usage_daily"],
               "bytes_on_disk": sum(p.stat().st_size for p in raw.rglob("*.parquet"))}
    cached_figures.write_text(json.dumps(figures, indent=2) + "\n")
    return {**figures, "cached": False}


def dbt_build(raw: Path, work: Path, fresh: bool = True) -> dict:
    """dbt build of the whole warehouse on DuckDB into work/warehouse.duckdb, measured. ``fresh`` starts from
    an empty file (a full build); otherwise the file of the previous build is built on incrementally."""
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    db, spill = work / "warehouse.duckdb", work / "duckdb_tmp"
    env = {**os.environ, "RWH_RAW_DIR": str(raw.resolve()), "RWH_DUCKDB_PATH": str(db), "RWH_TARGET": "duckdb",
           "RWH_DUCKDB_TEMP_DIR": str(spill), "RWH_DEMO": "true"}  # generated: synthetic people
    target = work / "target"
    (target / "run_results.json").unlink(missing_ok=True)
    dbt = [sys.executable, "-m", "dbt.cli.main"]
    options = ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--target-path", str(target),
               "--log-path", str(work / "logs"), "--quiet"]
    _log(f"dbt build ({'full' if fresh else 'incremental'}) on {raw} ...")
    run = _timed_child([*dbt, "build", *options], env, spill)
    results = json.loads((target / "run_results.json").read_text())["results"] \
        if (target / "run_results.json").exists() else []
    fault = engine_fault(target) if run["returncode"] != 0 else None
    if fault:
        # as rwh build does: the nodes a DuckDB fault stopped, once more in a new process; the figures
        # are those of both runs together
        _log(f"DuckDB stopped on an internal error ({fault[:120]}): dbt retry ...")
        retry = _timed_child([*dbt, "retry", *options], env, spill)
        retried = json.loads((target / "run_results.json").read_text())["results"]
        done = {r["unique_id"] for r in retried}
        results = [r for r in results if r["unique_id"] not in done] + retried
        run = {**retry, "wall_seconds": round(run["wall_seconds"] + retry["wall_seconds"], 1),
               "cpu_seconds": round(run["cpu_seconds"] + retry["cpu_seconds"], 1),
               "peak_rss_mb": max(run["peak_rss_mb"] or 0, retry["peak_rss_mb"] or 0),
               "peak_spill_mb": max(run["peak_spill_mb"], retry["peak_spill_mb"]), "retried_after": fault[:200]}
    timings = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}
    failed = [r["unique_id"].split(".", 2)[-1] for r in results if r["status"] not in ("success", "pass", "no-op")]
    if run["returncode"] != 0:
        _log(f"dbt build failed ({run['returncode']}): {failed[:5]}\n{run['stdout'][-2000:]}")
    slowest = sorted(((t, n) for n, t in timings.items()), reverse=True)[:10]
    return {k: v for k, v in run.items() if k not in ("stdout", "stderr")} | {
        "nodes": len(results), "failed": failed, "model_seconds": timings,
        "slowest": [{"node": n, "seconds": round(t, 1)} for t, n in slowest],
        "warehouse_mb": round(db.stat().st_size / 2**20) if db.exists() else None}


def previous_day(raw: Path, previous: Path) -> Path:
    """The extract as loaded a day before its extract time (cached beside it): the full build runs on it,
    and the one-day incremental run adds the last day."""
    through = incremental.extracted_at(raw) - timedelta(days=1)
    manifest = previous / "_manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= (raw / "_manifest.json").stat().st_mtime:
        sliced = json.loads(manifest.read_text()).get("sliced_from", {})
        if sliced.get("loaded_through") == through.isoformat():
            _log(f"reusing the previous day's extract in {previous}")
            return previous
    _log(f"slicing the extract as loaded through {through} into {previous}")
    incremental.slice_extract(raw, previous, through)
    return previous


def floors(raw: Path, work: Path, memory_limit: str) -> dict[str, float]:
    """Seconds of each usage model's floor: its table built straight from the Parquet file into a scratch
    DuckDB file (same memory limit as the build)."""
    import duckdb

    path = raw / "product" / "usage_daily.parquet"
    scratch = work / "floor.duckdb"
    out = {}
    for model, sql in FLOORS.items():
        for p in (scratch, Path(f"{scratch}.wal")):
            p.unlink(missing_ok=True)
        con = duckdb.connect(str(scratch), config={"memory_limit": memory_limit,
                                                   "temp_directory": str(work / "floor_tmp")})
        t0 = time.perf_counter()
        con.execute(sql.format(raw=path))
        out[model] = round(time.perf_counter() - t0, 2)
        con.close()
    for p in (scratch, Path(f"{scratch}.wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(work / "floor_tmp", ignore_errors=True)
    return out


def run_tier(tier: str, out: Path) -> dict:
    raw = out / tier / "raw"
    generation = ensure_extract(tier, raw)
    previous = previous_day(raw, out / tier / "raw-previous")
    build = dbt_build(previous, out / tier / "dbt")
    floor = floors(previous, out / tier, os.environ.get("RWH_DUCKDB_MEMORY_LIMIT", "5GB"))
    usage = {m: {"model_seconds": round(build["model_seconds"].get(m, float("nan")), 2), "floor_seconds": f,
                 "ratio": round(build["model_seconds"][m] / f, 2) if m in build["model_seconds"] and f else None}
             for m, f in floor.items()}
    one_day = no_change = None
    if build["returncode"] == 0:
        one_day = incremental_run(raw, out / tier / "dbt", build)
        if one_day["returncode"] == 0:
            no_change = incremental_run(raw, out / tier / "dbt", build)
    account_years = TIERS[tier] * YEARS
    build.pop("model_seconds")
    likelihood = renewal_model(out / tier / "dbt" / "warehouse.duckdb", raw) if build["returncode"] == 0 else None
    return {"tier": tier, "accounts": TIERS[tier], "years": YEARS, "generation": generation,
            "full_build": build, "cpu_seconds_per_1000_account_years": round(
                build["cpu_seconds"] / account_years * 1000, 2),
            "usage_models": usage, "incremental_one_day": one_day, "incremental_no_change": no_change,
            "renewal_model": likelihood}


def renewal_model(db: Path, raw: Path) -> dict:
    """The renewal likelihood model fitted on the tier's warehouse as `rwh train` would, judged on its
    held-out quarters, beside the AUC of the simulation's own probabilities (docs/renewal-likelihood.md)."""
    from renewal_warehouse.readers import dashboards, train

    _log(f"renewal likelihood: rwh train's fit on {db} ...")
    fetch, close = dashboards.duckdb_fetch(db)
    try:
        return train.held_out_figures(fetch, raw / "_truth" / "renewal_events.parquet")
    except ValueError as e:
        return {"error": str(e)}
    finally:
        close()


def incremental_run(raw: Path, work: Path, full: dict) -> dict:
    """An incremental dbt build on the warehouse file of the last build, measured against the full build."""
    run = dbt_build(raw, work, fresh=False)
    run["share_of_full_build"] = round(run["wall_seconds"] / full["wall_seconds"], 3)
    run["incremental_models"] = {m: round(run["model_seconds"][m], 2) for m in INCREMENTAL_MODELS
                                 if m in run["model_seconds"]}
    run.pop("model_seconds")
    return run


def spark_build(raw: Path, work: Path, fresh: bool = True) -> dict:
    """dbt build of the whole warehouse on a local Spark (the spark target, docs/spark.md) into
    work/warehouse, measured: wall, CPU and the peak resident memory of the process tree (dbt and the JVM)."""
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RWH_RAW_DIR": str(raw.resolve()), "RWH_TARGET": "spark", "RWH_DEMO": "true",
           "RWH_SPARK_WAREHOUSE_DIR": str((work / "warehouse").resolve())}
    target = work / "target"
    (target / "run_results.json").unlink(missing_ok=True)
    _log(f"dbt build on Spark ({'full' if fresh else 'incremental'}) on {raw} ...")
    run = _timed_child([sys.executable, "-m", "dbt.cli.main", "build", "--target", "spark", "--project-dir",
                        str(ROOT), "--profiles-dir", str(ROOT), "--target-path", str(target), "--log-path",
                        str(work / "logs"), "--quiet"], env)
    results = json.loads((target / "run_results.json").read_text())["results"] \
        if (target / "run_results.json").exists() else []
    timings = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}
    failed = [r["unique_id"].split(".", 2)[-1] for r in results if r["status"] not in ("success", "pass", "no-op")]
    if run["returncode"] != 0:
        _log(f"dbt build on Spark failed ({run['returncode']}): {failed[:5]}")
    slowest = sorted(((t, n) for n, t in timings.items()), reverse=True)[:10]
    return {k: v for k, v in run.items() if k not in ("stdout", "stderr", "peak_spill_mb")} | {
        "nodes": len(results), "failed": failed,
        "incremental_models": {m: round(timings[m], 2) for m in INCREMENTAL_MODELS if m in timings},
        "slowest": [{"node": n, "seconds": round(t, 1)} for t, n in slowest],
        "warehouse_mb": round(sum(p.stat().st_size for p in (work / "warehouse").rglob("*") if p.is_file())
                              / 2**20)}


def run_spark_tier(tier: str, out: Path) -> dict:
    """The tier on Spark: a full build from the extract as loaded a day before its extract time, then the
    one-day incremental run on the complete extract; its marts compared with DuckDB's of the same tier
    when `make bench` built that in the same run (both end on the complete extract)."""
    from renewal_warehouse.devtools.compare import compare_spark_files

    raw = out / tier / "raw"
    ensure_extract(tier, raw)
    previous = previous_day(raw, out / tier / "raw-previous")
    work = out / tier / "spark"
    full = spark_build(previous, work)
    one_day = comparison = None
    if full["returncode"] == 0:
        one_day = spark_build(raw, work, fresh=False)
        one_day["share_of_full_build"] = round(one_day["wall_seconds"] / full["wall_seconds"], 3)
    duck = out / tier / "dbt" / "warehouse.duckdb"
    if one_day and one_day["returncode"] == 0 and duck.exists():
        _log(f"{tier}: comparing the Spark marts with DuckDB's ...")
        stats: dict = {}
        # amounts to the cent, rates and every other number to 1e-6 (issue 12's promise)
        tables, differences, compared = compare_spark_files(str(duck), str(work / "warehouse"),
                                                            money_tolerance=0.01, stats=stats)
        comparison = {"marts": len(tables), "marts_equal": sum(t.same for t in tables),
                      "values_compared": compared, "values_different": len(differences),
                      "max_money_difference": stats.get("max_money_difference"),
                      "max_other_difference": stats.get("max_other_difference"),
                      "examples": [d.line() for d in differences[:5]]}
    return {"full_build": full, "incremental_one_day": one_day, "equal_to_duckdb": comparison}


def marginal_cpu(results: dict) -> dict[str, float]:
    """Per tier after the smallest measured one: the extra CPU seconds of its full build over the next smaller
    tier's, per 1,000 extra account-years."""
    tiers = [t for t in TIERS if t in results["tiers"]]
    out = {}
    for smaller, larger in zip(tiers, tiers[1:], strict=False):
        a, b = results["tiers"][smaller], results["tiers"][larger]
        extra_years = (b["accounts"] * b["years"] - a["accounts"] * a["years"]) / 1000
        out[larger] = round((b["full_build"]["cpu_seconds"] - a["full_build"]["cpu_seconds"]) / extra_years, 2)
    return out


def svg_chart(results: dict) -> str:
    """A dependency-free SVG: full-build wall time and CPU per 1,000 account-years per tier, and the usage
    models' ratio to their floor."""
    tiers = [t for t in TIERS if t in results["tiers"]]
    width, height, pad = 900, 330, 50
    panel = (width - 4 * pad) / 3
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{pad}" y="22" font-size="15" font-weight="bold">renewal-warehouse benchmark '
             f'({results["machine"]}, {results["measured_at"][:10]})</text>']

    def bars(x0: float, title: str, values: list[tuple[str, float | None]], unit: str, colour: str) -> None:
        top, bottom = 60, height - 40
        known = [v for _, v in values if v is not None]
        vmax = max(known) if known else 1
        parts.append(f'<text x="{x0}" y="{top - 14}" font-weight="bold">{title}</text>')
        parts.append(f'<line x1="{x0}" y1="{bottom}" x2="{x0 + panel}" y2="{bottom}" stroke="#444"/>')
        bw = panel / max(len(values), 1) * 0.6
        for i, (label, v) in enumerate(values):
            x = x0 + (i + 0.2) * panel / max(len(values), 1)
            if v is not None:
                h = (bottom - top) * v / vmax
                parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bw:.1f}" height="{h:.1f}" '
                             f'fill="{colour}"/>')
                parts.append(f'<text x="{x + bw / 2:.1f}" y="{bottom - h - 4:.1f}" text-anchor="middle">'
                             f'{v:g}{unit}</text>')
            else:
                parts.append(f'<text x="{x + bw / 2:.1f}" y="{bottom - 4:.1f}" text-anchor="middle">n/a</text>')
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">{label}</text>')

    walls = []
    for t in tiers:
        walls.append((t, round(results["tiers"][t]["full_build"]["wall_seconds"] / 60, 1)))
        one_day = results["tiers"][t].get("incremental_one_day") or {}
        walls.append((f"{t} +1 day", round(one_day["wall_seconds"] / 60, 1)
                      if one_day.get("returncode") == 0 else None))
    bars(pad, "full build and one-day incremental, wall min", walls, "", "#3b6ea8")
    bars(2 * pad + panel, "CPU s per 1,000 account-years", [
        (t, results["tiers"][t]["cpu_seconds_per_1000_account_years"]) for t in tiers], "", "#5a9e5a")
    ratios = []
    for t in tiers:
        for model, figures in results["tiers"][t]["usage_models"].items():
            short = {"base_product__usage_daily": "base", "int_usage_account_days": "days",
                     "int_usage_user_blocks": "blocks"}.get(model, model.removeprefix("int_usage_"))
            ratios.append((f"{t} {short}", figures["ratio"]))
    bars(3 * pad + 2 * panel, "usage model / floor (target <= 2)", ratios, "x", "#c07a2b")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def markdown_table(results: dict) -> str:
    """The figures of every tier as a Markdown table (written beside results.json as figures.md)."""
    rows = ["| tier | accounts x years | usage rows | generation (wall, peak RSS) | full build wall (a day "
            "before the extract time) | CPU | "
            "peak RSS | peak spill | CPU s / 1,000 account-years (marginal over the smaller tier) | "
            "usage model / floor (base, days, blocks) | one-day incremental | run with nothing new |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    marginal = marginal_cpu(results)
    for tier in (t for t in TIERS if t in results["tiers"]):
        f = results["tiers"][tier]
        g, b = f["generation"], f["full_build"]
        ratios = ", ".join("n/a" if u["ratio"] is None else f"{u['ratio']}x" for u in f["usage_models"].values())
        failed = f" ({len(b['failed'])} nodes failed)" if b.get("failed") else ""
        failed += RETRIED if b.get("retried_after") else ""
        cpu = f"{f['cpu_seconds_per_1000_account_years']}" + (f" ({marginal[tier]})" if tier in marginal else "")
        rows.append(f"| {tier} | {f['accounts']:,} x {f['years']:g} | {g['usage_rows']:,} | "
                    f"{g['wall_seconds'] / 60:.1f} min, {g['peak_rss_mb'] / 1024:.1f} GB | "
                    f"{b['wall_seconds'] / 60:.1f} min{failed} | {b['cpu_seconds'] / 60:.1f} min | "
                    f"{b['peak_rss_mb'] / 1024:.1f} GB | {b['peak_spill_mb'] / 1024:.1f} GB | "
                    f"{cpu} | {ratios} | {_incremental_cell(f.get('incremental_one_day'))} | "
                    f"{_incremental_cell(f.get('incremental_no_change'))} |")
    return (f"Measured {results['measured_at']} on {results['machine']} by `make bench`.\n\n"
            + "\n".join(rows) + "\n" + spark_table(results) + renewal_model_table(results))


def renewal_model_table(results: dict) -> str:
    """The renewal likelihood model of each tier on its held-out quarters (docs/renewal-likelihood.md)."""
    measured = [t for t in TIERS if (results["tiers"].get(t) or {}).get("renewal_model")]
    if not measured:
        return ""
    rows = ["| tier: renewal likelihood | held out (trained on) | base rate | Brier (base-rate model) | AUC "
            "(the simulation's own probabilities) | probability bands within their 90 % interval |",
            "|---|---|---|---|---|---|"]
    for tier in measured:
        m = results["tiers"][tier]["renewal_model"]
        if "error" in m:
            rows.append(f"| {tier} | {m['error']} | | | | |")
            continue
        ceiling = f" ({m['simulation_auc']:.3f})" if m.get("simulation_auc") is not None else ""
        auc = "n/a" if m["auc"] is None else f"{m['auc']:.3f}"
        rows.append(f"| {tier} | {m['renewals']:,} from {m['held_out_from']} ({m['training_renewals']:,}) | "
                    f"{m['base_rate']:.1%} | {m['brier']:.4f} ({m['base_rate_brier']:.4f}) | {auc}{ceiling} | "
                    f"{m['bands_within_interval']} of {len(m['bands'])} |")
    forecasts = ["| tier: the model's forecast against the team's | horizon | held-out quarters: points from 100 % "
                 "(model / team), model closer | all quarters |", "|---|---|---|---|"]
    for tier in measured:
        f = results["tiers"][tier]["renewal_model"].get("forecast")
        for horizon in ("quarter_start", "thirty_days_before_end") if f else ():
            cells = []
            for scope in ("held_out", "all"):
                h = f[f"{horizon}_{scope}"]
                cells.append("none" if not h["quarters"] else f"{h['model_points']:.1f} / {h['team_points']:.1f}, "
                             f"{h['model_closer']} of {h['quarters']}")
            forecasts.append(f"| {tier} | {horizon.replace('_', ' ')} | {cells[0]} | {cells[1]} |")
    if len(forecasts) > 2:
        rows += [""] + forecasts
    return "\n" + "\n".join(rows) + "\n"


def spark_table(results: dict) -> str:
    """The Spark line(s): the same tier built on a local Spark (local[2], dbt-spark session)."""
    if not results.get("spark"):
        return ""
    rows = ["| tier on Spark | full build wall (a day before the extract time) | CPU (dbt and the JVM) "
            "| peak RSS (dbt and the JVM) | warehouse on disk | one-day incremental | marts equal to DuckDB's |",
            "|---|---|---|---|---|---|---|"]
    for tier in (t for t in TIERS if t in results["spark"]):
        f = results["spark"][tier]
        b, one, eq = f["full_build"], f.get("incremental_one_day"), f.get("equal_to_duckdb")
        failed = f" ({len(b['failed'])} nodes failed)" if b.get("failed") else ""
        if one is None:
            inc = "not measured"
        elif one.get("returncode"):
            inc = f"failed ({len(one.get('failed', []))} nodes)"
        else:
            inc = f"{one['wall_seconds']:.0f} s ({one['share_of_full_build']:.0%} of the full build)"
        equal = ("not compared" if eq is None else f"{eq['marts_equal']} of {eq['marts']} marts, "
                 f"{eq['values_compared']:,} values, {eq['values_different']} different (amounts to the cent, "
                 f"other numbers to 1e-6); largest gap {eq.get('max_money_difference') or 0:.6f} on an amount, "
                 f"{eq.get('max_other_difference') or 0:.1g} on another number")
        cpu = f"{b['tree_cpu_seconds'] / 60:.1f} min" if b.get("tree_cpu_seconds") else "not measured"
        rows.append(f"| {tier} | {b['wall_seconds'] / 60:.1f} min{failed} | {cpu} | "
                    f"{b['peak_tree_rss_mb'] / 1024:.1f} GB | {b['warehouse_mb'] / 1024:.1f} GB | {inc} | {equal} |")
    return "\n" + "\n".join(rows) + "\n"


def _incremental_cell(run: dict | None) -> str:
    if run is None:
        return "not measured"
    if run.get("returncode"):
        return f"failed ({len(run.get('failed', []))} nodes)"
    retried = RETRIED if run.get("retried_after") else ""
    return (f"{run['wall_seconds']:.0f} s ({run['share_of_full_build']:.0%} of the full build), "
            f"{run['peak_rss_mb'] / 1024:.1f} GB{retried}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m renewal_warehouse.devtools.bench",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--tiers", default="S,M,L", help="comma-separated tiers among S, M, L (default all)")
    parser.add_argument("--out", default="target/bench", help="where extracts and builds go (cached)")
    parser.add_argument("--report-dir", default="docs/bench", help="where results.json and bench.svg go")
    parser.add_argument("--spark-tiers", default="M",
                        help="tiers also built on a local Spark (default M; '' for none): docs/spark.md")
    args = parser.parse_args(argv)
    tiers = [t.strip().upper() for t in args.tiers.split(",") if t.strip()]
    spark_tiers = [t.strip().upper() for t in args.spark_tiers.split(",") if t.strip()]
    unknown = [t for t in tiers + spark_tiers if t not in TIERS]
    if unknown or not (tiers or spark_tiers):
        parser.error(f"unknown tier(s) {', '.join(unknown) or '(none)'}: choose among S, M, L")
    out, report_dir = Path(args.out), Path(args.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    results_path = report_dir / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {"tiers": {}}
    memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    results["machine"] = f"{os.cpu_count()} cores, {memory_gb} GB"
    results["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for tier in tiers:
        figures = run_tier(tier, out)
        results["tiers"][tier] = figures
        build = figures["full_build"]
        _log(f"{tier}: full build {build['wall_seconds']:.0f} s wall, {build['cpu_seconds']:.0f} s CPU, "
             f"peak RSS {build['peak_rss_mb']} MB, peak spill {build['peak_spill_mb']} MB; usage / floor: "
             + ", ".join(f"{m} {u['ratio']}x" for m, u in figures["usage_models"].items()))
        results_path.write_text(json.dumps(results, indent=2) + "\n")
        (report_dir / "bench.svg").write_text(svg_chart(results))
        (report_dir / "figures.md").write_text(markdown_table(results))
    for tier in spark_tiers:
        spark = run_spark_tier(tier, out)
        results.setdefault("spark", {})[tier] = spark
        b = spark["full_build"]
        _log(f"{tier} on Spark: full build {b['wall_seconds']:.0f} s wall, {b['cpu_seconds']:.0f} s CPU, "
             f"peak RSS {b['peak_tree_rss_mb']} MB (dbt and the JVM)")
        results_path.write_text(json.dumps(results, indent=2) + "\n")
        (report_dir / "figures.md").write_text(markdown_table(results))
    print(json.dumps({t: {k: v for k, v in f.items() if k != "generation"} for t, f in results["tiers"].items()},
                     indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
