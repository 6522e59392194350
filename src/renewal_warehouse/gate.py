"""The gate at the door: Great Expectations validates every raw table before dbt builds on it.

Suites are built in code from the raw data contract (``contract.py``): columns present with the right
types, keys present and unique, enums known, values in range, a plausible row volume and fresh data.

Two kinds of problems, two responses:

* **Row-level** problems (a null key, a duplicate, an unknown enum value) are tolerated up to a small share
  of the table (``max_bad_share``, default 5 %, or 10 rows in a small table): staging quarantines those rows
  with a reason. Above that share the problem is systemic and the gate fails.
* **Dataset-level** problems fail the gate outright: a missing column or file, a wrong column type, a table
  emptier than its floor or than half of the last accepted load, data older than the freshness limit.

On DuckDB the gate reads the Parquet files through views in a scratch database; on PostgreSQL it reads the
raw schemas the loader wrote.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from renewal_warehouse import contract as rc

# Type names as SQLAlchemy reflects them (generic names on DuckDB, dialect names on PostgreSQL).
TYPE_NAMES = {
    "string": ["String", "VARCHAR", "TEXT", "Text"],
    "int": ["BigInteger", "BIGINT", "Integer", "INTEGER"],
    "float": ["Float", "DOUBLE", "DOUBLE_PRECISION"],
    "bool": ["Boolean", "BOOLEAN"],
    "date": ["Date", "DATE"],
    "timestamp": ["DateTime", "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE"],
}


def type_names(type_: str) -> list[str]:
    if type_.startswith("decimal("):
        precision, scale = type_[len("decimal("):-1].split(",")
        return ["Numeric", "NUMERIC", "DECIMAL", f"NUMERIC({precision}, {scale})", f"DECIMAL({precision}, {scale})"]
    return TYPE_NAMES[type_]


def apply_duckdb_persisted_connection_fix() -> None:
    """GX 1.24 reads SQL results after returning the connection to its pool; with DuckDB the result is
    gone by then ("list index out of range"). Registering DuckDB as a persisted-connection dialect keeps
    one connection. Touches a private name: GX is pinned and tests/python/test_gate.py guards this."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as gx_sa

    class _DuckDBDialect(str):
        value = "duckdb"

    if not any(getattr(d, "value", d) == "duckdb" for d in gx_sa._PERSISTED_CONNECTION_DIALECTS):
        gx_sa._PERSISTED_CONNECTION_DIALECTS = (*gx_sa._PERSISTED_CONNECTION_DIALECTS, _DuckDBDialect("duckdb"))


@dataclass
class Failure:
    table: str
    check: str
    detail: str
    level: str  # dataset | systemic


@dataclass
class GateReport:
    tables_checked: int = 0
    expectations_run: int = 0
    failures: list[Failure] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    reference_time: datetime | None = None
    reference_source: str = ""
    notes: list[str] = field(default_factory=list)
    systems: tuple[str, ...] = rc.SYSTEMS_DEFAULT

    @property
    def ok(self) -> bool:
        return not self.failures

    def render(self) -> str:
        lines = [f"gate: {self.tables_checked} raw tables of {', '.join(self.systems)}, "
                 f"{self.expectations_run} expectations"]
        if self.reference_time is not None:
            lines.append(f"gate: freshness measured against {self.reference_time:%Y-%m-%d %H:%M} UTC "
                         f"({self.reference_source})")
        lines.extend(f"gate: note: {n}" for n in self.notes)
        if self.ok:
            lines.append("gate: PASSED - every raw table is fit to build on")
            return "\n".join(lines)
        lines.append(f"gate: FAILED - {len(self.failures)} problem(s); the build stops here")
        width = max(len(f.table) for f in self.failures)
        for f in self.failures:
            lines.append(f"  {f.table:<{width}}  [{f.level}] {f.check}: {f.detail}")
        lines.append("Fix the extract (or raise the limits deliberately) and run the gate again.")
        return "\n".join(lines)


def declared_snapshot_time(manifest_path: Path | None) -> datetime | None:
    """The snapshot time an extract declares in its ``_manifest.json`` (``extracted_at``, UTC), if any."""
    if manifest_path is None or not Path(manifest_path).is_file():
        return None
    try:
        declared = json.loads(Path(manifest_path).read_text()).get("extracted_at")
        return datetime.fromisoformat(declared).replace(tzinfo=None) if declared else None
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{manifest_path}: extracted_at is not an ISO timestamp") from None


def decide_reference_time(reference_time: datetime | None = None, manifest_path: Path | None = None,
                          raw_dir: Path | None = None) -> tuple[datetime, str]:
    """The time no raw row can have been loaded after, and where it came from: ``reference_time`` when given,
    else the snapshot time the extract declares in its manifest (``manifest_path``, by default
    ``raw_dir/_manifest.json``), else the clock (UTC now). The gate measures freshness against it and
    ``rwh build`` gives it to staging as dbt var ``extract_time`` (rows loaded after it are future_date)."""
    if reference_time is not None:
        return reference_time, "given with --reference-time"
    if manifest_path is None and raw_dir is not None:
        manifest_path = Path(raw_dir) / "_manifest.json"
    declared = declared_snapshot_time(manifest_path)
    if declared is not None:
        return declared, f"the snapshot time the extract declares in {manifest_path}"
    return datetime.now(UTC).replace(tzinfo=None), "the time of this run: the extract declares no snapshot time"


def _age(hours: float) -> str:
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.0f} hours"


def _suite(t: rc.Table, rows: int, columns_present: dict[str, str], reference_time: datetime,
           floor: int, max_bad_share: float):
    import great_expectations as gx
    import great_expectations.expectations as gxe

    suite = gx.ExpectationSuite(name=f"raw__{t.system}__{t.name}")
    mostly = max(0.0, 1.0 - max(max_bad_share, 10 / max(rows, 1)))
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=floor))
    for c in t.columns:
        if c.name not in columns_present:
            continue  # reported as a missing column before GX runs
        suite.add_expectation(gxe.ExpectColumnValuesToBeInTypeList(column=c.name, type_list=type_names(c.type)))
        if not c.nullable:
            suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column=c.name, mostly=mostly))
        if c.enum:
            suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column=c.name, value_set=list(c.enum),
                                                                  mostly=mostly))
        if c.min is not None or c.max is not None:
            suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column=c.name, min_value=c.min,
                                                                    max_value=c.max, mostly=mostly))
    if len(t.primary_key) == 1:
        suite.add_expectation(gxe.ExpectColumnValuesToBeUnique(column=t.primary_key[0], mostly=mostly))
    else:
        suite.add_expectation(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(t.primary_key), mostly=mostly))
    # No row can have been loaded after the reference time: such rows are row-level problems (staging
    # quarantines them as future_date), systemic above the tolerated share.
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="_loaded_at", max_value=reference_time,
                                                            mostly=mostly))
    return suite


def _describe(result) -> str:
    cfg = result.expectation_config
    kwargs = {k: v for k, v in cfg.kwargs.items() if k not in ("batch_id",)}
    res = result.result or {}
    bits = []
    if "unexpected_percent" in res and res.get("unexpected_percent") is not None:
        bits.append(f"{res['unexpected_percent']:.2f}% of rows unexpected ({res.get('unexpected_count')})")
    if "observed_value" in res:
        bits.append(f"observed {res['observed_value']}")
    if result.exception_info and result.exception_info.get("raised_exception"):
        bits.append("error: " + str(result.exception_info.get("exception_message"))[:200])
    arg = kwargs.get("column") or kwargs.get("column_list") or ""
    return f"{arg} {'; '.join(bits)}".strip()


def run_gate(engine: str, raw_dir: Path | None = None, pg=None, reference_time: datetime | None = None,
             baseline_path: Path | None = None, max_bad_share: float = 0.05, progress=print,
             manifest_path: Path | None = None, systems: tuple[str, ...] | None = None,
             reference_source: str | None = None) -> GateReport:
    """Validate every raw table; returns the report (``report.ok`` says whether the build may go on).

    Freshness is measured against ``reference_time`` when given, else the snapshot time the extract
    declares in its manifest (``manifest_path``, by default ``raw_dir/_manifest.json``), else the clock
    (UTC now): ``decide_reference_time``; ``reference_source`` says where a given ``reference_time`` came
    from. A table whose newest row is older than its freshness limit stops the build; rows loaded
    after the reference are named per table and left to staging's ``future_date`` quarantine.

    Only the tables of the declared source ``systems`` (default: RWH_SOURCE_SYSTEMS, else all five) are
    checked; a declared system's missing table fails, an undeclared system's tables are ignored (and said).
    """
    os.environ.setdefault("TQDM_DISABLE", "1")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    import sqlalchemy as sa

    systems = rc.declared_systems() if systems is None else systems
    tables = rc.tables_of(systems)
    report = GateReport(systems=systems)
    reference_time, report.reference_source = decide_reference_time(reference_time, manifest_path, raw_dir)
    if reference_source is not None:
        report.reference_source = reference_source
    report.reference_time = reference_time
    baseline = {}
    if baseline_path is not None and Path(baseline_path).exists():
        baseline = json.loads(Path(baseline_path).read_text())
    scratch = None
    if engine == "duckdb":
        import duckdb

        from renewal_warehouse.loader import parquet_path

        apply_duckdb_persisted_connection_fix()
        scratch = tempfile.TemporaryDirectory(prefix="rwh_gate_")
        db = Path(scratch.name) / "gate.duckdb"
        con = duckdb.connect(str(db))
        for t in tables:
            path = parquet_path(raw_dir, t)
            con.execute(f'create schema if not exists "raw_{t.system}"')
            if path.exists():
                con.execute(f"create view \"raw_{t.system}\".\"{t.name}\" as select * from read_parquet('{path}')")
        con.close()
        url = f"duckdb:///{db}"
        schema_of = lambda t: f"raw_{t.system}"  # noqa: E731
    elif engine == "postgres":
        url = sa.engine.URL.create("postgresql+psycopg2", username=pg.user, password=pg.password or None,
                                   host=pg.host, port=pg.port, database=pg.database).render_as_string(
            hide_password=False)
        schema_of = lambda t: f"{pg.raw_schema_prefix}{t.system}"  # noqa: E731
    else:
        raise ValueError(f"unknown engine {engine!r}: use duckdb or postgres")
    try:
        sa_engine = sa.create_engine(url)
        inspector = sa.inspect(sa_engine)
        # an undeclared system's files (DuckDB) or raw schema (PostgreSQL) are there: said, never read
        in_extract = ((lambda s: (Path(raw_dir) / s).is_dir()) if engine == "duckdb"
                      else (lambda s: inspector.has_schema(f"{pg.raw_schema_prefix}{s}")))
        for system in (s for s in rc.SYSTEMS_DEFAULT if s not in systems and in_extract(s)):
            report.notes.append(f"{system}: present in the extract but not declared in {rc.SOURCE_SYSTEMS_ENV} "
                                f"({','.join(systems)}): not checked and not built")
        with sa_engine.connect() as conn:
            counts = {}
            present: dict[str, dict[str, str]] = {}
            for t in tables:
                schema = schema_of(t)
                if not inspector.has_table(t.name, schema=schema):
                    report.failures.append(Failure(
                        t.qualified, "table exists", f"table or file is missing, yet {t.system} is declared in "
                        f"{rc.SOURCE_SYSTEMS_ENV} (leave {t.system} out if this company does not have it)", "dataset"))
                    continue
                cols = {c["name"]: str(c["type"]) for c in inspector.get_columns(t.name, schema=schema)}
                present[t.qualified] = cols
                for c in t.columns:
                    if c.name not in cols:
                        report.failures.append(Failure(t.qualified, "column exists", f"{c.name} is missing",
                                                       "dataset"))
                extra = sorted(set(cols) - {c.name for c in t.columns})
                if extra:  # schema drift: staging reads the contract's columns only
                    report.notes.append(f"{t.qualified}: column(s) not in the contract (staging keeps the "
                                        f"contract's columns only): {', '.join(extra)}")
                counts[t.qualified] = conn.execute(
                    sa.text(f'select count(*) from "{schema}"."{t.name}"')).scalar_one()
            for t in tables:
                if "_loaded_at" not in present.get(t.qualified, {}):
                    continue
                newest, ahead = conn.execute(sa.text(
                    f'select max(case when "_loaded_at" <= :ref then "_loaded_at" end), '
                    f'count(case when "_loaded_at" > :ref then 1 end) from "{schema_of(t)}"."{t.name}"'),
                    {"ref": reference_time}).one()
                if ahead:
                    report.notes.append(
                        f"{t.qualified}: {ahead:,} row(s) loaded after {reference_time:%Y-%m-%d %H:%M} UTC; "
                        "staging quarantines them as future_date")
                if newest is None:
                    continue  # an empty table fails its row-count floor
                age_hours = (reference_time - newest).total_seconds() / 3600
                if age_hours > t.freshness_error_hours:
                    report.failures.append(Failure(
                        t.qualified, "fresh", f"stale: newest row loaded {_age(age_hours)} before "
                        f"{reference_time:%Y-%m-%d %H:%M} UTC (limit {_age(t.freshness_error_hours)})", "dataset"))
                elif age_hours > t.freshness_warn_hours:
                    report.notes.append(f"{t.qualified}: newest row loaded {_age(age_hours)} before the reference "
                                        f"(warning above {_age(t.freshness_warn_hours)}, stale above "
                                        f"{_age(t.freshness_error_hours)})")
        report.row_counts = counts
        for system in systems:  # a declared system with no table at all: one line, not one per table
            missing = [f for f in report.failures if f.check == "table exists" and f.table.startswith(system + ".")]
            if missing and len(missing) == sum(t.system == system for t in tables):
                report.failures = [f for f in report.failures if f not in missing]
                report.failures.append(Failure(
                    f"{system}.*", "system present", f"none of its {len(missing)} tables exists, yet {system} is "
                    f"declared in {rc.SOURCE_SYSTEMS_ENV} (leave {system} out if this company does not have it)",
                    "dataset"))
        context = gx.get_context(mode="ephemeral")
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        datasource = context.data_sources.add_sql(name=f"raw_{engine}", connection_string=url)
        for t in tables:
            if t.qualified not in present:
                continue
            report.tables_checked += 1
            rows = counts[t.qualified]
            floor = max(t.min_rows, int(0.5 * baseline.get(t.qualified, 0)))
            suite = _suite(t, rows, present[t.qualified], reference_time, floor, max_bad_share)
            asset = datasource.add_table_asset(name=f"{t.system}__{t.name}", table_name=t.name,
                                               schema_name=schema_of(t))
            batch = asset.add_batch_definition_whole_table("whole_table").get_batch()
            result = batch.validate(suite)
            report.expectations_run += len(result.results)
            for r in result.results:
                if r.success:
                    continue
                etype = r.expectation_config.type
                level = "systemic" if "mostly" in r.expectation_config.kwargs else "dataset"
                report.failures.append(Failure(t.qualified, etype, _describe(r), level))
            progress(f"gate: {t.qualified:<36} {rows:>12,} rows  "
                     f"{'ok' if result.success else 'FAILED'}")
        if report.ok and baseline_path is not None:
            Path(baseline_path).parent.mkdir(parents=True, exist_ok=True)
            Path(baseline_path).write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n")
        sa_engine.dispose()
    finally:
        if scratch is not None:
            scratch.cleanup()
    return report
