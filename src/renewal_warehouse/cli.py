"""`rwh`: the command line of the renewal warehouse.

    rwh generate --out data/raw [--accounts 400 --years 4 --as-of 2026-09-30 --seed 42]
    rwh gate --engine duckdb --raw-dir data/raw
    rwh load-postgres --raw-dir data/raw
    rwh build [--target duckdb|postgres|spark|spark_connect] [--raw-dir data/raw] [--warehouse target/warehouse.duckdb]
              [--reference-time UTC] [--incremental] [--accept-volume-drop TABLE --reason WHY] [-- DBT ARGS]
    rwh sources [--check]
    rwh lookml [--out target/lookml] [--connection renewal_warehouse] [--schema marts] [--no-parse]
    rwh dashboards [--target duckdb|postgres] [--warehouse target/warehouse.duckdb] [--out target/dashboards]
    rwh train [--target duckdb|postgres] [--warehouse target/warehouse.duckdb] [--held-out-quarters 4] [--check]
    rwh --version; rwh <command> --help (every option's default)
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import UTC, date, datetime
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value}")
    return value


def _years(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.5 <= value <= 20:
        raise argparse.ArgumentTypeError(f"years must be between 0.5 and 20: {value}")
    return value


def _project_root() -> Path:
    here = Path.cwd()
    for p in (here, *here.parents):
        if (p / "dbt_project.yml").exists():
            return p
    return here


def _progress(quiet: bool):
    if quiet:
        return lambda _msg: None
    return lambda msg: print(msg, file=sys.stderr, flush=True)


def cmd_generate(args) -> int:
    from renewal_warehouse.pipeline.generator import GeneratorConfig, generate

    cfg = GeneratorConfig(accounts=args.accounts, years=args.years, as_of=args.as_of, seed=args.seed,
                          corrupt=not args.clean, fiscal_year_start_month=args.fiscal_year_start_month)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()) and not (out / "_manifest.json").exists():
        print(f"rwh generate: {out} exists and does not hold a generated extract; refusing to write into it",
              file=sys.stderr)
        return EXIT_USAGE
    from renewal_warehouse.pipeline import vendors as rv

    try:
        formats = rv.declared_formats(args.format)
    except rv.SourceFormatsError as exc:
        print(f"rwh generate: {str(exc).replace(rv.FORMATS_ENV, '--format')}", file=sys.stderr)
        return EXIT_USAGE
    writers = rv.writers()
    unwritable = sorted(v for v in formats.values() if v not in writers)
    if unwritable:
        print(f"rwh generate: --format: no demo writer for {', '.join(unwritable)} yet (writers: "
              f"{', '.join(sorted(writers))})", file=sys.stderr)
        return EXIT_USAGE
    manifest = generate(cfg, out, progress=_progress(args.quiet))
    for system, vendor in formats.items():
        manifest = writers[vendor](out, progress=_progress(args.quiet))["manifest"]
        print(f"raw extract: {system} written as {rv.vendors()[vendor].title} tables under {out / vendor} "
              f"(build with {rv.FORMATS_ENV}={rv.format_value(formats)})")
    print(f"raw extract: {out} ({sum(manifest['row_counts'].values()):,} rows, as of {manifest['as_of']})")
    return EXIT_OK


def _gate(engine: str, args, reference=None, reference_source=None, baseline=None):
    """Run the gate for `rwh gate` and `rwh build` from their shared options. `baseline`: the store `rwh build`
    saves the accepted counts to once it has published (else --baseline, rewritten when the gate passes)."""
    from renewal_warehouse.pipeline.gate import run_gate
    from renewal_warehouse.pipeline.loader import PostgresSettings

    duckdb = engine != "postgres"  # Spark reads the Parquet files: they are validated before it does
    return run_gate("duckdb" if duckdb else engine, raw_dir=Path(args.raw_dir).resolve() if duckdb else None,
                    pg=None if duckdb else PostgresSettings.from_env(), reference_time=reference,
                    baseline_path=Path(args.baseline) if args.baseline and baseline is None else None,
                    max_bad_share=getattr(args, "max_bad_share", 0.05), progress=_progress(args.quiet),
                    manifest_path=Path(args.manifest) if args.manifest else None, reference_source=reference_source,
                    baseline=baseline, accept_volume_drops=_volume_drops(args), accept_command=_command_line(args))


def _utc_timestamp(value, where: str) -> datetime:
    """A timestamp given on the command line (ISO text, or a date or datetime from YAML) as naive UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"{where} is not an ISO timestamp: {value!r}") from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _build_reference_time(args, dbt_args: list[str]) -> tuple[datetime, str]:
    """The one reference time of `rwh build`, decided once, and where it came from: the extract_time the
    user gives dbt after `--`, else --reference-time, else the snapshot time the extract's manifest declares
    (RAW_DIR/_manifest.json or --manifest; only --manifest on PostgreSQL), else the clock at the start of the
    run. The gate measures freshness against it and staging quarantines rows loaded after it (future_date)."""
    from renewal_warehouse.pipeline import build as rb
    from renewal_warehouse.pipeline.gate import decide_reference_time

    option = _utc_timestamp(args.reference_time, "--reference-time") if args.reference_time else None
    given = rb.dbt_vars(dbt_args).get(rb.EXTRACT_TIME_VAR)
    if given is not None:
        theirs = _utc_timestamp(given, "--vars extract_time")
        if option is not None and option != theirs:
            raise ValueError(f"--reference-time {option} and --vars extract_time {theirs} are two reference "
                             "times: give one")
        return theirs, "set with --vars extract_time"
    files = args.target != "postgres"
    return decide_reference_time(option, Path(args.manifest) if args.manifest else None,
                                 Path(args.raw_dir).resolve() if files else None)


def _command_line(args) -> str:
    """The rwh command being run, as the user can type it again (without the dbt arguments after --)."""
    argv = getattr(args, "argv", None) or [args.command]
    head = argv[:argv.index("--")] if "--" in argv else argv
    return " ".join(["rwh", *(shlex.quote(a) for a in head)])


def _volume_drops(args) -> dict[str, str]:
    """--accept-volume-drop TABLE ... with its --reason, as {table: reason}."""
    return {table: args.reason for table in (getattr(args, "accept_volume_drop", None) or [])}


def _check_volume_drops(command: str, args) -> bool:
    """Usage errors of --accept-volume-drop, said in one line; True when they are fine."""
    from renewal_warehouse.pipeline import contract as rc

    tables = getattr(args, "accept_volume_drop", None) or []
    if not tables:
        if getattr(args, "reason", None):
            print(f"rwh {command}: --reason goes with --accept-volume-drop TABLE", file=sys.stderr)
            return False
        return True
    unknown = [t for t in tables if t not in {table.qualified for table in rc.TABLES}]
    if unknown:
        print(f"rwh {command}: --accept-volume-drop {', '.join(unknown)}: not a raw table (<system>.<table>, e.g. "
              "product.usage_daily)", file=sys.stderr)
        return False
    if not (args.reason or "").strip():
        print(f"rwh {command}: --accept-volume-drop {' '.join(tables)} needs --reason WHY (it is recorded in the "
              "baseline)", file=sys.stderr)
        return False
    return True


def _build_baseline(args):
    """The baseline `rwh build` compares the extract's volume with and keeps once it has published: --baseline,
    else the one beside the published warehouse (gate.default_baseline)."""
    from renewal_warehouse.pipeline import build as rb
    from renewal_warehouse.pipeline.gate import FileBaseline, default_baseline
    from renewal_warehouse.pipeline.loader import PostgresSettings

    if args.baseline:
        return FileBaseline(Path(args.baseline))
    return default_baseline(args.target, Path(args.warehouse),
                            PostgresSettings.from_env() if args.target == "postgres" else None, rb.ROOT)


def _check_gate_inputs(command: str, engine: str, args) -> bool:
    """Usage errors of the gate's options, said in one line; True when they are fine."""
    if engine != "postgres" and not Path(args.raw_dir).is_dir():
        print(f"rwh {command}: raw directory {args.raw_dir} does not exist (run `rwh generate --out "
              f"{args.raw_dir}` first)", file=sys.stderr)
        return False
    if args.manifest and not Path(args.manifest).is_file():
        print(f"rwh {command}: manifest {args.manifest} does not exist", file=sys.stderr)
        return False
    return True


def cmd_gate(args) -> int:
    try:
        reference = datetime.fromisoformat(args.reference_time) if args.reference_time else None
    except ValueError:
        print(f"rwh gate: --reference-time is not an ISO timestamp: {args.reference_time!r}", file=sys.stderr)
        return EXIT_USAGE
    if not _check_gate_inputs("gate", args.engine, args) or not _check_volume_drops("gate", args):
        return EXIT_USAGE
    report = _gate(args.engine, args, reference)
    print(report.render())
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_load_postgres(args) -> int:
    from renewal_warehouse.pipeline.loader import PostgresSettings, RawDataError, load_postgres

    settings = PostgresSettings.from_env()
    try:
        counts = load_postgres(Path(args.raw_dir), settings, progress=_progress(args.quiet))
    except RawDataError as exc:
        print(f"rwh load-postgres: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # connection problems: say where we tried to connect
        if exc.__class__.__module__.startswith("psycopg2"):
            print(f"rwh load-postgres: cannot load into postgresql://{settings.user}@{settings.host}:"
                  f"{settings.port}/{settings.database}: {str(exc).strip()}", file=sys.stderr)
            return EXIT_FAILED
        raise
    print(f"loaded {sum(counts.values()):,} rows into {len(counts)} raw tables "
          f"({settings.raw_schema_prefix}<system> schemas of {settings.database})")
    return EXIT_OK


def cmd_build(args) -> int:
    from renewal_warehouse.pipeline import build as rb
    from renewal_warehouse.pipeline import contract as rc
    from renewal_warehouse.pipeline.loader import PostgresSettings

    progress = _progress(False)
    dbt_args = [a for a in args.dbt_args if a != "--"]
    if not _check_gate_inputs("build", args.target, args) or not _check_volume_drops("build", args):
        return EXIT_USAGE
    no_salt = rb.empty_pii_salt(dbt_args)
    if no_salt:
        print(f"rwh build: {no_salt}", file=sys.stderr)
        return EXIT_USAGE
    try:
        reference, source = _build_reference_time(args, dbt_args)
        dbt_args = rb.with_dbt_vars(dbt_args, {rb.EXTRACT_TIME_VAR: rb.timestamp_literal(reference)})
    except ValueError as exc:
        print(f"rwh build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"rwh build: reference time {reference:%Y-%m-%d %H:%M:%S} UTC ({source}): the gate measures freshness "
          f"against it and staging quarantines rows loaded after it as future_date (dbt var {rb.EXTRACT_TIME_VAR})",
          flush=True)
    warehouse = Path(args.warehouse) if args.target == "duckdb" else None
    report, baseline = None, None
    try:
        with rb.RunLock(rb.lock_path(warehouse)):
            if not args.skip_gate:
                baseline = _build_baseline(args)
                report = _gate(args.target, args, reference, source, baseline=baseline)
                print(report.render(), flush=True)
                if not report.ok:
                    print("rwh build: the gate failed; nothing was built, the published warehouse is unchanged",
                          file=sys.stderr)
                    return EXIT_FAILED
            if args.target == "duckdb":
                result = rb.build_duckdb(warehouse, Path(args.raw_dir), dbt_args, quiet=args.quiet,
                                         progress=progress, incremental=args.incremental)
            elif args.target in rb.SPARK_TARGETS:
                result = rb.build_spark(Path(args.raw_dir), dbt_args, quiet=args.quiet, progress=progress,
                                        incremental=args.incremental, target=args.target)
            else:
                result = rb.build_postgres(PostgresSettings.from_env(), dbt_args, quiet=args.quiet,
                                           progress=progress, incremental=args.incremental)
            if result.ok and baseline is not None:
                _keep_baseline(baseline, report)
    except rb.BuildLocked as exc:
        print(f"rwh build: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if result.warnings:
        print(f"\nrwh build: {len(result.warnings)} warning(s) (the build {'passed' if result.ok else 'failed'} "
              "with them; each names the table, the rule, the rows and the ARR at stake where there is one):",
              file=sys.stderr)
        for sentence in result.warnings:
            print(f"  - {sentence}", file=sys.stderr)
    if result.problems:
        print(f"\nrwh build: {len(result.problems)} problem(s):", file=sys.stderr)
        for sentence in result.problems:
            print(f"  - {sentence}", file=sys.stderr)
    print(f"rwh build: {result.message}", file=sys.stderr if not result.ok else sys.stdout, flush=True)
    not_built = rb.marts_not_built(rb.target_dir())
    if not_built:
        print(f"rwh build: source systems {','.join(rc.declared_systems())} ({rc.SOURCE_SYSTEMS_ENV}); "
              f"{len(not_built)} mart(s) not built: {'; '.join(not_built)}", flush=True)
    return EXIT_OK if result.ok else EXIT_FAILED


def _keep_baseline(baseline, report) -> None:
    """After a publication: the accepted extract's row counts become the baseline of the next build."""
    try:
        baseline.save(report.baseline)
    except Exception as exc:  # the build is published: a baseline left behind only makes the next check laxer
        print(f"rwh build: published, but the gate baseline could not be written to {baseline.describe()}: {exc}",
              file=sys.stderr)


def cmd_sources(args) -> int:
    from renewal_warehouse.pipeline import sources

    root = _project_root()
    if args.check:
        stale = sources.drift(root)
        if stale:
            print("rwh sources: source YAML out of date with contract.py: "
                  + ", ".join(str(p.relative_to(root)) for p in stale) + " (run `rwh sources`)", file=sys.stderr)
            return EXIT_FAILED
        print("source YAML matches the raw data contract")
        return EXIT_OK
    for path in sources.write(root):
        print(f"wrote {path.relative_to(root)}")
    return EXIT_OK


def _open_published(args, command: str):
    """(fetch, close, source) for the published warehouse `args` names (--target, --warehouse), or None
    after saying why (a missing DuckDB file)."""
    from renewal_warehouse.pipeline.loader import PostgresSettings
    from renewal_warehouse.readers import dashboards

    if args.target == "duckdb":
        warehouse = Path(args.warehouse)
        if not warehouse.is_file():
            print(f"rwh {command}: no warehouse at {warehouse} (make build publishes it)", file=sys.stderr)
            return None
        return (*dashboards.duckdb_fetch(warehouse), str(warehouse))
    settings = PostgresSettings.from_env()
    return (*dashboards.postgres_fetch(settings),
            f"postgresql://{settings.host}:{settings.port}/{settings.database}")


def cmd_dashboards(args) -> int:
    from renewal_warehouse.readers import dashboards

    opened = _open_published(args, "dashboards")
    if opened is None:
        return EXIT_USAGE
    fetch, close, source = opened
    try:
        written = dashboards.render(fetch, Path(args.out), source,
                                    progress=(lambda _m: None) if args.quiet else dashboards.main_progress)
    except ValueError as e:
        print(f"rwh dashboards: {e}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        close()
    print(f"dashboards: {written[0].resolve()} ({len(written) - 1} pages)")
    return EXIT_OK


def cmd_train(args) -> int:
    from renewal_warehouse.readers import train

    opened = _open_published(args, "train")
    if opened is None:
        return EXIT_USAGE
    fetch, close, _source = opened
    try:
        data = train.load(fetch)
        model = train.fit(data, args.held_out_quarters)
    except ValueError as e:
        print(f"rwh train: {e}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        close()
    print(train.describe(model, train.evaluate(model, data)))
    seeds = Path(args.seeds_dir)
    if args.check:
        problems = train.seed_differences(model, seeds)
        if problems:
            print("rwh train: the seeds are not this warehouse's fit (run `rwh train`, then rebuild):\n  "
                  + "\n  ".join(problems), file=sys.stderr)
            return EXIT_FAILED
        print(f"the seeds in {seeds} are this warehouse's fit")
        return EXIT_OK
    for path in train.write_seeds(model, seeds):
        print(f"wrote {path}")
    print("rebuild (make build, or rwh build) to score every renewal with it")
    return EXIT_OK


def cmd_lookml(args) -> int:
    from renewal_warehouse.pipeline import build as rb
    from renewal_warehouse.readers import lookml

    progress = _progress(args.quiet)
    target_path = rb.target_dir()
    if not args.no_parse:
        progress("lookml: dbt parse (the manifests of the marts and of the semantic layer)")
        env = {**os.environ, "RWH_DEMO": os.environ.get("RWH_DEMO", "true")}
        done = rb.run_child([*rb._dbt_launcher(), "parse", "--quiet", "--project-dir", str(rb.ROOT),
                             "--profiles-dir", str(rb.ROOT), "--target-path", str(target_path)], env, capture=True)
        if done.returncode != 0:
            print(f"rwh lookml: dbt parse failed:\n{(done.stdout + done.stderr)[-2000:]}", file=sys.stderr)
            return EXIT_FAILED
    try:
        written = lookml.write_lookml(Path(args.out), target_path, connection=args.connection, schema=args.schema)
    except lookml.LookmlError as exc:
        print(f"rwh lookml: {exc}", file=sys.stderr)
        return EXIT_FAILED
    views = sum(1 for p in written if p.name.endswith(".view.lkml"))
    print(f"rwh lookml: wrote {views} views and {written[-1].name} into {args.out} (connection {args.connection!r}, "
          f"schema {args.schema}); add them to your Looker project")
    return EXIT_OK


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows each option's default, except a flag that is off and an option whose absence means
    none (its help says what happens then)."""

    def _get_help_string(self, action):
        if action.default in (None, False) or "%(default)" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("renewal-warehouse")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


def _volume_drop_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accept-volume-drop", action="append", metavar="TABLE",
                        help="accept that TABLE (e.g. product.usage_daily) lost rows against the baseline beyond its "
                             "tolerance, and lower the baseline to it (repeatable; needs --reason)")
    parser.add_argument("--reason", help="why the volume drop is accepted (recorded in the baseline)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rwh", description="Renewal & retention warehouse tools.")
    parser.add_argument("--version", action="version", version=f"rwh {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", formatter_class=_HelpFormatter,
                       help="write a synthetic raw extract (Parquet) for any size")
    g.add_argument("--out", required=True, help="directory to write <system>/<table>.parquet into")
    g.add_argument("--accounts", type=_positive_int, default=400, help="number of customer accounts")
    g.add_argument("--years", type=_years, default=4.0, help="years of history before the as-of date")
    g.add_argument("--as-of", type=_date, default=date(2026, 9, 30), help="as-of date of the extract")
    g.add_argument("--seed", type=int, default=42, help="random seed: the same seed and options give the same extract")
    g.add_argument("--fiscal-year-start-month", type=int, choices=range(1, 13), default=1, metavar="1-12",
                   help="first month of the fiscal year the simulated targets and forecasts follow")
    g.add_argument("--clean", action="store_true", help="do not inject the corrupted rows staging must quarantine")
    g.add_argument("--format", default="", metavar="SYSTEM=VENDOR,...",
                   help="write these systems as their vendor's loader lands them, e.g. billing=stripe (Fivetran's "
                        "tables under <out>/<vendor>/; build with the same value in RWH_SOURCE_FORMATS; "
                        "docs/sources/)")
    g.add_argument("--quiet", action="store_true")
    g.set_defaults(func=cmd_generate)

    q = sub.add_parser("gate", formatter_class=_HelpFormatter,
                       help="validate the raw tables with Great Expectations before building")
    q.add_argument("--engine", choices=("duckdb", "postgres"), default="duckdb",
                   help="where the raw tables are: Parquet files (duckdb) or the raw schemas (postgres)")
    q.add_argument("--raw-dir", default="data/raw", help="Parquet extract (duckdb engine)")
    q.add_argument("--baseline", help="JSON of the last accepted row counts, rewritten when the gate passes (a table "
                   "that lost rows beyond its tolerance fails; the counts only move up)")
    q.add_argument("--reference-time", help="UTC time freshness is measured against (default: the snapshot time "
                   "the extract's _manifest.json declares, else the time of the run)")
    q.add_argument("--manifest", help="_manifest.json declaring the extract's snapshot time (extracted_at); "
                   "default RAW_DIR/_manifest.json on duckdb, none on postgres")
    q.add_argument("--max-bad-share", type=float, default=0.05,
                   help="share of bad rows per check tolerated before the problem counts as systemic")
    _volume_drop_options(q)
    q.add_argument("--quiet", action="store_true")
    q.set_defaults(func=cmd_gate)

    lp = sub.add_parser("load-postgres", formatter_class=_HelpFormatter,
                       help="load the Parquet extract into PostgreSQL (RWH_PG_* env vars)")
    lp.add_argument("--raw-dir", default="data/raw", help="Parquet extract to load")
    lp.add_argument("--quiet", action="store_true")
    lp.set_defaults(func=cmd_load_postgres)

    b = sub.add_parser("build", formatter_class=_HelpFormatter,
                       help="gate, dbt build into a new file or shadow schemas, publish only if all passed")
    b.add_argument("--target", choices=("duckdb", "postgres", "spark", "spark_connect"), default="duckdb",
                   help="spark: a local Spark on RWH_SPARK_WAREHOUSE_DIR; spark_connect: the Spark Connect server "
                        "SPARK_REMOTE names (docs/spark.md)")
    b.add_argument("--raw-dir", default="data/raw",
                   help="Parquet extract (duckdb and spark targets; its _manifest.json gives the reference time)")
    b.add_argument("--warehouse", default="target/warehouse.duckdb", help="the published DuckDB file (duckdb)")
    b.add_argument("--baseline", help="gate baseline of the last accepted row counts, rewritten when the build is "
                   "published (default: beside the published warehouse, e.g. target/warehouse.gate-baseline.json; "
                   "meta.gate_baseline on postgres)")
    b.add_argument("--manifest", help="_manifest.json declaring the extract's snapshot time (extracted_at); "
                   "default RAW_DIR/_manifest.json on duckdb and spark, none on postgres")
    b.add_argument("--reference-time", help="UTC time no raw row can have been loaded after: the gate measures "
                   "freshness against it, staging quarantines later loads as future_date (dbt var extract_time); "
                   "default: an extract_time given to dbt after --, else the manifest's extracted_at, else the "
                   "time of the run")
    b.add_argument("--skip-gate", action="store_true", help="do not run the gate first")
    _volume_drop_options(b)
    b.add_argument("--quiet", action="store_true", help="dbt and the gate print only problems")
    b.add_argument("--incremental", action="store_true",
                   help="the daily run: build on the published warehouse, rebuilding only the days and weeks that "
                        "new loads change (docs/incremental.md); default: a full build")
    b.add_argument("dbt_args", nargs=argparse.REMAINDER, help="after --: extra dbt build arguments (--select ...)")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("sources", formatter_class=_HelpFormatter,
                       help="write the dbt source YAML from the raw data contract")
    s.add_argument("--check", action="store_true", help="fail if the committed YAML is out of date")
    s.set_defaults(func=cmd_sources)

    lk = sub.add_parser("lookml", formatter_class=_HelpFormatter,
                       help="write LookML views and explores for the marts (docs/bi-tools.md)")
    lk.add_argument("--out", default="target/lookml", help="directory for views/ and the model file")
    lk.add_argument("--connection", default="renewal_warehouse", help="the Looker connection name to the warehouse")
    lk.add_argument("--schema", default="marts", help="schema of the marts as Looker's connection sees it")
    lk.add_argument("--no-parse", action="store_true", help="use target/manifest.json as it is (no dbt parse)")
    lk.add_argument("--quiet", action="store_true")
    lk.set_defaults(func=cmd_lookml)

    d = sub.add_parser("dashboards", formatter_class=_HelpFormatter,
                       help="render the dashboards of docs/metrics.md section 9 as static HTML pages")
    d.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb", help="the warehouse to read")
    d.add_argument("--warehouse", default="target/warehouse.duckdb", help="the published DuckDB file (duckdb)")
    d.add_argument("--out", default="target/dashboards", help="directory for index.html and the pages")
    d.add_argument("--quiet", action="store_true", help="no progress bar")
    d.set_defaults(func=cmd_dashboards)

    t = sub.add_parser("train", formatter_class=_HelpFormatter,
                       help="fit the renewal likelihood model, write it as seeds (docs/renewal-likelihood.md)")
    t.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb", help="the warehouse to read")
    t.add_argument("--warehouse", default="target/warehouse.duckdb", help="the published DuckDB file (duckdb)")
    t.add_argument("--held-out-quarters", type=_positive_int, default=4,
                   help="the latest quarters with decided renewals kept out of training")
    t.add_argument("--seeds-dir", default=str(_project_root() / "seeds"), help="where the two seeds are written")
    t.add_argument("--check", action="store_true", help="fail if the seeds on disk are not this warehouse's fit")
    t.set_defaults(func=cmd_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    from renewal_warehouse.pipeline import contract as rc

    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(argv) if argv is not None else sys.argv[1:]
    if args.command in ("gate", "load-postgres", "build"):
        from renewal_warehouse.pipeline import vendors as rv

        try:
            rc.declared_systems()
            rv.declared_formats()
        except (rc.SourceSystemsError, rv.SourceFormatsError) as exc:
            print(f"rwh {args.command}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return args.func(args)


def console_main() -> None:
    """Entry point of the `rwh` script."""
    args = sys.argv[1:]
    code = main(args)
    if args[:1] in (["gate"], ["build"]):
        # GX and duckdb-engine keep DuckDB objects alive until interpreter teardown, where DuckDB's
        # bindings print spurious leak warnings. The gate has cleaned up already: leave without teardown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
