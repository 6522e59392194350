"""The gate at the door: Great Expectations validates every raw table before dbt builds on it.

Suites are built in code from the raw data contract (``contract.py``): columns present with the right
types, keys present and unique, enums known, values in range, a plausible row volume and fresh data.

Two kinds of problems, two responses:

* **Row-level** problems (a null key, a duplicate, an unknown enum value) are tolerated up to a small share
  of the table (``max_bad_share``, default 5 %, or 10 rows in a small table): staging quarantines those rows
  with a reason. Above that share the problem is systemic and the gate fails.
* **Dataset-level** problems fail the gate outright: a missing column or file, a wrong column type, a table
  emptier than its floor, data older than the freshness limit, and a table that lost rows against the last
  accepted extract beyond its tolerance (the volume check below).

**Volume against the last accepted extract.** Raw extracts are cumulative: an append-only table (usage,
tickets, activities, contracts ...) never shrinks between two extracts unless rows were deleted at the source
or the extract is partial, so it may lose nothing (``VOLUME_DROP_TOLERANCE``: 0); a registry table reloaded
whole (accounts, users, ownership, products: ``REGISTRY_TABLES``) may lose up to 2 % to deletions in its
source system. A larger drop fails in one line naming the table, both row counts, the share lost and the
command that accepts it deliberately (``--accept-volume-drop TABLE --reason WHY``, recorded in the
baseline). The baseline (the row counts of the last accepted extract, ``baseline_path`` or a
``BaselineStore``) only moves up: a table that shrank within its tolerance keeps its previous count, and
only an accepted drop lowers it. ``rwh build`` keeps it beside the published warehouse (``default_baseline``)
and writes it only when the build was published.

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

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline import vendors as rv

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
    # the baseline document to keep if this extract is accepted (counts only move up; accepted drops recorded)
    baseline: dict = field(default_factory=dict)

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


# ------------------------------------------------------------------------------------------ volume
# Registry tables: the source reloads them whole with every extract, and a row deleted in the source system
# (a merged account, a user removed, a retired product) is gone from the next extract. Every other raw table
# is append-only in an extract: it may only grow.
REGISTRY_TABLES = ("crm.accounts", "crm.users", "crm.account_ownership", "billing.products")
# Share of its rows a table may lose against the last accepted extract before the gate fails.
VOLUME_DROP_TOLERANCE = {"append-only": 0.0, "registry": 0.02}
ACCEPTED_DROPS_KEY = "accepted_volume_drops"


def volume_kind(table: str) -> str:
    return "registry" if table in REGISTRY_TABLES else "append-only"


def baseline_counts(document: dict) -> dict[str, int]:
    """The row counts of a baseline document (its other keys record accepted drops)."""
    return {k: v for k, v in document.items() if isinstance(v, int) and not isinstance(v, bool)}


def check_volume(report: GateReport, counts: dict[str, int], previous_document: dict, source: str,
                 accept: dict[str, str], accept_command: str) -> None:
    """Compare each table's rows with the last accepted extract's; add failures and notes to `report` and set
    `report.baseline`: every count moves up, a drop within the tolerance keeps the previous count, an accepted
    drop lowers it and is recorded."""
    previous = baseline_counts(previous_document)
    after = {**previous}
    accepted = list(previous_document.get(ACCEPTED_DROPS_KEY) or [])
    for table, rows in counts.items():
        before = previous.get(table)
        after[table] = rows if before is None else max(before, rows)
        if before is None or rows >= before:
            if table in accept:
                last = f"{before:,} in the last accepted extract" if before is not None else "no accepted extract"
                report.notes.append(f"{table}: --accept-volume-drop given, but it lost no rows ({rows:,} against "
                                    f"{last}): nothing to accept")
            continue
        lost, share = before - rows, (before - rows) / before
        kind = volume_kind(table)
        tolerance = VOLUME_DROP_TOLERANCE[kind]
        against = f"{rows:,} rows against {before:,} in the last accepted extract"
        lost_said = f"{lost:,} rows ({share * 100:.1f} %) lost"
        if table in accept:
            after[table] = rows
            accepted.append({"table": table, "previous_rows": before, "rows": rows, "share_lost": round(share, 6),
                             "reason": accept[table],
                             "accepted_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()})
            report.notes.append(f"{table}: {against}: {lost_said}, accepted with --accept-volume-drop "
                                f"({accept[table]!r}); the baseline moves down to {rows:,}")
        elif share <= tolerance:
            report.notes.append(f"{table}: {against}: {lost_said}, within the {tolerance * 100:g} % a {kind} table "
                                f"may lose; the baseline stays at {before:,}")
        else:
            kind_said = "an append-only table" if kind == "append-only" else "a registry table"
            why = ("extracts are cumulative, so rows were deleted at the source or the extract is partial"
                   if kind == "append-only" else "more than deletions in the source system explain")
            report.failures.append(Failure(
                table, "volume", f"{against} ({source}): {lost_said}, above the tolerance of {tolerance * 100:g} % "
                f"for {kind_said} ({why}). Fix the extract, or accept the drop deliberately: "
                f"{accept_command} --accept-volume-drop {table} --reason '<why>'", "dataset"))
    if accepted:
        after[ACCEPTED_DROPS_KEY] = accepted
    report.baseline = after


class BaselineStore:
    """Where the baseline of a published warehouse lives: load() the document ({} when none), save() it."""

    def load(self) -> dict:
        raise NotImplementedError

    def save(self, document: dict) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class FileBaseline(BaselineStore):
    """A JSON file: {"<system>.<table>": rows, ..., "accepted_volume_drops": [...]}."""

    def __init__(self, path: Path, earlier: Path | None = None):
        self.path = Path(path)
        self.earlier = Path(earlier) if earlier is not None else None  # read while `path` does not exist yet

    def load(self) -> dict:
        for path in (self.path, self.earlier):
            if path is not None and path.exists():
                return json.loads(path.read_text())
        return {}

    def save(self, document: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, self.path)

    def describe(self) -> str:
        return str(self.path)


class PostgresBaseline(BaselineStore):
    """The document in meta.gate_baseline of the database the build publishes to (one row)."""

    def __init__(self, pg):
        self.pg = pg

    def load(self) -> dict:
        con = self.pg.connect()
        try:
            with con.cursor() as cur:
                cur.execute("select to_regclass('meta.gate_baseline') is not null")
                if not cur.fetchone()[0]:
                    return {}
                cur.execute("select document from meta.gate_baseline")
                row = cur.fetchone()
            return json.loads(row[0]) if row else {}
        finally:
            con.close()

    def save(self, document: dict) -> None:
        con = self.pg.connect()
        try:
            with con.cursor() as cur:
                cur.execute("create schema if not exists meta")
                cur.execute("create table if not exists meta.gate_baseline (document text not null, "
                            "updated_at timestamp not null)")
                cur.execute("delete from meta.gate_baseline")
                cur.execute("insert into meta.gate_baseline (document, updated_at) values (%s, %s)",
                            (json.dumps(document, sort_keys=True),
                             datetime.now(UTC).replace(tzinfo=None, microsecond=0)))
            con.commit()
        finally:
            con.close()

    def describe(self) -> str:
        return f"meta.gate_baseline of postgresql://{self.pg.host}:{self.pg.port}/{self.pg.database}"


def default_baseline(target: str, warehouse: Path | None = None, pg=None, root: Path | None = None) -> BaselineStore:
    """The baseline `rwh build` keeps beside the warehouse it publishes when --baseline is not given:
    ``<warehouse stem>.gate-baseline.json`` beside the DuckDB file (target/warehouse.gate-baseline.json),
    meta.gate_baseline in the PostgreSQL database, ``warehouse.gate-baseline.json`` beside the local Spark
    warehouse directory (RWH_SPARK_WAREHOUSE_DIR), target/gate-baseline-spark_connect.json for Spark Connect."""
    root = Path(root) if root is not None else Path.cwd()
    if target == "duckdb":
        warehouse = Path(warehouse)
        # `make build` kept the baseline of target/warehouse.duckdb in target/gate-baseline.json before
        earlier = warehouse.with_name("gate-baseline.json") if warehouse.name == "warehouse.duckdb" else None
        return FileBaseline(warehouse.with_name(f"{warehouse.stem}.gate-baseline.json"), earlier)
    if target == "postgres":
        return PostgresBaseline(pg)
    if target == "spark":
        spark_dir = Path(os.environ.get("RWH_SPARK_WAREHOUSE_DIR") or root / "target" / "spark" / "warehouse")
        spark_dir = spark_dir if spark_dir.is_absolute() else root / spark_dir
        return FileBaseline(spark_dir.with_name(f"{spark_dir.name}.gate-baseline.json"))
    return FileBaseline(root / "target" / f"gate-baseline-{target}.json")


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


def check_vendor_tables(report: GateReport, vendor: rv.Vendor, conn, inspector, schema: str,
                        reference_time: datetime, counts: dict[str, int]) -> None:
    """The pre-check of a vendor's tables as its loader landed them (``vendors/<vendor>.py``): every table the
    adapter reads exists with every required column (named when missing); a table is not empty while its
    parent has rows (a loader that skipped a stream on a permission error lands it empty, silently); the
    newest row synced (the loader's sync column) is within the vendor's freshness limits. Row counts join the
    volume check as ``<vendor>.<table>``."""
    import sqlalchemy as sa

    where = f"{vendor.loader}, {rv.FORMATS_ENV} names {vendor.system}={vendor.name}; docs/sources/{vendor.name}.md"
    for vt in vendor.tables:
        name = f"{vendor.name}.{vt.name}"
        if not inspector.has_table(vt.name, schema=schema):
            report.failures.append(Failure(name, "table exists", f"table or file is missing ({where})", "dataset"))
            continue
        present = {c["name"].lower() for c in inspector.get_columns(vt.name, schema=schema)}
        missing = [c.name for c in vt.columns if c.required and c.name.lower() not in present]
        for column in missing:
            report.failures.append(Failure(name, "column exists", f"{column} is missing ({vt.name}: "
                                                                  f"{vt.column(column).description})", "dataset"))
        counts[name] = conn.execute(sa.text(f'select count(*) from "{schema}"."{vt.name}"')).scalar_one()
        report.tables_checked += 1
        if missing or vendor.synced_column not in present or not counts[name] or not vt.fresh:
            continue
        newest = conn.execute(sa.text(f'select max("{vendor.synced_column}") from "{schema}"."{vt.name}" '
                                      f'where "{vendor.synced_column}" <= :ref'), {"ref": reference_time}).scalar()
        if newest is None:
            continue
        age_hours = (reference_time - newest).total_seconds() / 3600
        if age_hours > vendor.freshness_error_hours:
            report.failures.append(Failure(name, "fresh", f"stale: newest row synced {_age(age_hours)} before "
                                           f"{reference_time:%Y-%m-%d %H:%M} UTC (limit "
                                           f"{_age(vendor.freshness_error_hours)})", "dataset"))
        elif age_hours > vendor.freshness_warn_hours:
            report.notes.append(f"{name}: newest row synced {_age(age_hours)} before the reference (warning above "
                                f"{_age(vendor.freshness_warn_hours)})")
    for vt in vendor.tables:
        name, parent = f"{vendor.name}.{vt.name}", f"{vendor.name}.{vt.parent}"
        if vt.parent and counts.get(name) == 0 and counts.get(parent):
            report.failures.append(Failure(
                name, "not empty", f"no rows while {parent} has {counts[parent]:,}: a loader that could not read "
                f"the stream (a permission, a disabled table) lands it empty; every {vt.parent} row needs it",
                "dataset"))


def run_gate(engine: str, raw_dir: Path | None = None, pg=None, reference_time: datetime | None = None,
             baseline_path: Path | None = None, max_bad_share: float = 0.05, progress=print,
             manifest_path: Path | None = None, systems: tuple[str, ...] | None = None,
             reference_source: str | None = None, baseline: BaselineStore | None = None,
             accept_volume_drops: dict[str, str] | None = None, accept_command: str = "rwh build") -> GateReport:
    """Validate every raw table; returns the report (``report.ok`` says whether the build may go on).

    Volume: each table's rows are compared with the last accepted extract's, read from ``baseline_path`` (a
    JSON file, rewritten here when the gate passes) or ``baseline`` (a store the caller saves
    ``report.baseline`` to once the build is published). A drop beyond the table's tolerance fails unless
    ``accept_volume_drops`` names the table (with the reason, recorded); ``accept_command`` is the command the
    failure tells the user to run again with --accept-volume-drop.

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
    tables = rv.contract_tables(systems)
    declared_vendors = rv.declared_vendors(systems)
    report = GateReport(systems=systems)
    reference_time, report.reference_source = decide_reference_time(reference_time, manifest_path, raw_dir)
    if reference_source is not None:
        report.reference_source = reference_source
    report.reference_time = reference_time
    if baseline is None and baseline_path is not None:
        baseline = FileBaseline(baseline_path)
    previous_baseline = baseline.load() if baseline is not None else {}
    scratch = None
    if engine == "duckdb":
        import duckdb

        from renewal_warehouse.pipeline.loader import parquet_path

        apply_duckdb_persisted_connection_fix()
        scratch = tempfile.TemporaryDirectory(prefix="rwh_gate_")
        db = Path(scratch.name) / "gate.duckdb"
        con = duckdb.connect(str(db))
        for t in tables:
            path = parquet_path(raw_dir, t)
            con.execute(f'create schema if not exists "raw_{t.system}"')
            if path.exists():
                con.execute(f"create view \"raw_{t.system}\".\"{t.name}\" as select * from read_parquet('{path}')")
        for vendor in declared_vendors:  # the loader's tables as files: <raw dir>/<vendor>/<table>.parquet
            con.execute(f'create schema if not exists "{vendor.name}"')
            for vt in vendor.tables:
                path = Path(raw_dir) / vendor.name / f"{vt.name}.parquet"
                if path.exists():
                    con.execute(f"create view \"{vendor.name}\".\"{vt.name}\" as select * from read_parquet('{path}')")
        con.close()
        url = f"duckdb:///{db}"
        schema_of = lambda t: f"raw_{t.system}"  # noqa: E731
        vendor_schema = lambda v: v.name  # noqa: E731
    elif engine == "postgres":
        url = sa.engine.URL.create("postgresql+psycopg2", username=pg.user, password=pg.password or None,
                                   host=pg.host, port=pg.port, database=pg.database).render_as_string(
            hide_password=False)
        schema_of = lambda t: f"{pg.raw_schema_prefix}{t.system}"  # noqa: E731
        vendor_schema = lambda v: v.schema()  # noqa: E731
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
            for vendor in declared_vendors:
                check_vendor_tables(report, vendor, conn, inspector, vendor_schema(vendor), reference_time, counts)
        report.row_counts = counts
        if baseline is not None:
            check_volume(report, counts, previous_baseline, baseline.describe(), accept_volume_drops or {},
                         accept_command)
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
            # the volume against the last accepted extract is check_volume's (one sentence per table)
            suite = _suite(t, rows, present[t.qualified], reference_time, t.min_rows, max_bad_share)
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
            baseline.save(report.baseline)
        sa_engine.dispose()
    finally:
        if scratch is not None:
            scratch.cleanup()
    return report
