"""rwh build: publish only what passed, never block a reader, one build at a time, readable failures."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from renewal_warehouse.devtools.compare import compare_duckdb
from renewal_warehouse.pipeline import build as rb

FAILING_VARS = ["--vars", "{quarantine_error_share: 0, quarantine_warn_share: 0, quarantine_min_rows: 0}"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def published(warehouse, tmp_path) -> Path:
    """A copy of the small warehouse as the published file, with a marker table only it has."""
    path = tmp_path / "pub" / "warehouse.duckdb"
    path.parent.mkdir()
    path.write_bytes(warehouse["db"].read_bytes())
    con = duckdb.connect(str(path))
    con.execute("create table marts.published_marker as select 1 as marker")
    con.execute("checkpoint")
    con.close()
    return path


@pytest.fixture(autouse=True)
def _demo_env(monkeypatch):
    monkeypatch.setenv("RWH_DEMO", "true")


def test_a_failed_build_leaves_the_published_file_byte_identical(published, warehouse):
    before = _sha(published)
    # staging and what it reads are enough to fail (the rest of the project would only add time)
    result = rb.build_duckdb(published, warehouse["raw"], ["--select", "+path:models/staging", *FAILING_VARS],
                             quiet=True, progress=lambda _m: None)
    assert not result.ok
    assert _sha(published) == before
    assert published.with_name("warehouse.duckdb.failed").exists()
    assert "unchanged" in result.message
    # one plain sentence per problem: table, rule, counts
    sentence = next(p for p in result.problems if p.startswith("stg_billing__contracts:"))
    assert "billing.contracts:" in sentence and "raw rows quarantined, above the error share" in sentence
    assert not any("Got 2 results" in p for p in result.problems)


def test_a_second_build_exits_at_once_naming_the_running_one(small_raw, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with rb.RunLock(rb.lock_path(warehouse)):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--raw-dir", str(small_raw),
                               "--warehouse", str(warehouse)], capture_output=True, text=True,
                              env={**os.environ, "RWH_DEMO": "true"})
        elapsed = time.perf_counter() - t0
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"rwh build: another build is running (pid {os.getpid()}, started ")
    assert elapsed < 15
    assert not warehouse.exists()


def test_a_failed_gate_builds_nothing(raw_copy, tmp_path):
    (raw_copy / "crm" / "accounts.parquet").unlink()
    warehouse = tmp_path / "warehouse.duckdb"
    proc = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--raw-dir", str(raw_copy),
                           "--warehouse", str(warehouse), "--quiet"], capture_output=True, text=True,
                          env={**os.environ, "RWH_DEMO": "true"})
    assert proc.returncode == 1
    assert "crm.accounts" in proc.stdout and "table or file is missing" in proc.stdout
    assert "nothing was built" in proc.stderr
    assert not warehouse.exists()


def test_a_killed_build_changes_nothing_and_a_reader_is_never_blocked_by_the_next_one(published, warehouse):
    """Kill a build half-way (the process and its dbt child): the published file is byte-identical, the lock is
    free at once. The next build clears the half-built file and publishes while a client holds the published
    file open (read-only) throughout: the client never errors, reads the previous build, and the next
    connection reads the new one (before: the build failed on the lock). One recovery build serves both."""
    import signal

    before = _sha(published)
    proc = subprocess.Popen([sys.executable, "-m", "renewal_warehouse", "build", "--skip-gate", "--quiet",
                             "--raw-dir", str(warehouse["raw"]), "--warehouse", str(published)],
                            env={**os.environ, "RWH_DEMO": "true"}, start_new_session=True)
    building = published.with_name("warehouse.duckdb.building")
    deadline = time.time() + 120
    while not building.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert building.exists(), "the build never started writing"
    time.sleep(3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _sha(published) == before
    with rb.RunLock(rb.lock_path(published)):
        pass  # the kernel released the dead build's lock

    reader = duckdb.connect(str(published), read_only=True)
    expected = reader.execute("select count(*) from marts.retention").fetchone()[0]
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault(
        "result", rb.build_duckdb(published, warehouse["raw"], [], quiet=True, progress=lambda _m: None)))
    thread.start()
    reads = 0
    while thread.is_alive():
        assert reader.execute("select count(*) from marts.retention").fetchone()[0] == expected
        assert reader.execute("select count(*) from marts.published_marker").fetchone()[0] == 1
        reads += 1
        time.sleep(0.2)
    thread.join()
    assert outcome["result"].ok, outcome["result"].problems
    assert reads > 10
    assert reader.execute("select count(*) from marts.published_marker").fetchone()[0] == 1  # still the old one
    reader.close()
    assert not building.exists()
    assert _sha(published) != before
    fresh = duckdb.connect(str(published), read_only=True)
    assert fresh.execute("select count(*) from information_schema.tables "
                         "where table_name = 'published_marker'").fetchone()[0] == 0
    assert fresh.execute("select count(*) from marts.retention").fetchone()[0] == expected
    # the published file names the dbt invocation that built it (the dashboards show it)
    build_id, kind, published_at = fresh.execute(
        "select build_id, build_kind, published_at from meta.published_build").fetchall()[0]
    fresh.close()
    run = json.loads((rb.target_dir() / "run_results.json").read_text())["metadata"]
    assert (build_id, kind) == (run["invocation_id"], "full")
    assert abs((datetime.now(UTC).replace(tzinfo=None) - published_at).total_seconds()) < 600


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first, then the parent pid), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _running(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")  # a zombie has died: nobody reaped it yet


def _dbt_child(parent: int, building: Path, timeout: float = 120) -> int:
    """The pid of the `dbt build` child of `parent`, once it writes the building file."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            pid = int(stat_file.parent.name)
            stat = _proc_stat(pid)
            if stat is None or int(stat[1]) != parent:
                continue
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(part.endswith(b"dbt") for part in cmdline) and b"build" in cmdline and building.exists():
                return pid
        time.sleep(0.2)
    raise AssertionError(f"no dbt build child of pid {parent} wrote {building} within {timeout} s")


def _start_build(raw: Path, warehouse: Path, code: str | None = None) -> subprocess.Popen:
    """`rwh build` on `raw` in a child process (its own, not the test's process group); `code` replaces
    `-m renewal_warehouse` by a script taking the same arguments."""
    launch = ["-c", code] if code else ["-m", "renewal_warehouse"]
    return subprocess.Popen([sys.executable, *launch, "build", "--skip-gate", "--quiet", "--raw-dir", str(raw),
                             "--warehouse", str(warehouse)], env={**os.environ, "RWH_DEMO": "true"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table in /proc")
def test_a_killed_build_takes_its_dbt_child_with_it(small_raw, tmp_path):
    """kill -9 of `rwh build` alone (not its process group): its dbt child dies with it, rather than going on
    writing target/ beside the next build; the child's record in the lock file does not hold the next one."""
    import signal

    warehouse = tmp_path / "warehouse.duckdb"
    proc = _start_build(small_raw, warehouse)
    child = _dbt_child(proc.pid, warehouse.with_name("warehouse.duckdb.building"))
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 10
        while _running(child) and time.time() < deadline:
            time.sleep(0.1)
        assert not _running(child), f"dbt (pid {child}) outlived the build that started it"
    finally:
        if _running(child):
            os.kill(child, signal.SIGKILL)
    with rb.RunLock(rb.lock_path(warehouse)):
        pass  # a dead child's record does not hold the next build


# What rwh build does where nothing ties the child to its parent (no parent-death signal off Linux).
_BUILD_WITHOUT_PARENT_DEATH_SIGNAL = (
    "import sys\n"
    "from renewal_warehouse import cli\n"
    "from renewal_warehouse.pipeline import build as rb\n"
    "rb.die_with_parent = lambda: None\n"
    "sys.exit(cli.main(sys.argv[1:]))\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table in /proc")
def test_the_next_build_refuses_to_run_beside_a_dbt_child_that_outlived_its_build(small_raw, tmp_path):
    """The second line of defence: a dbt child still running after its build was killed is named by the next
    build, which exits at once in one line instead of building beside it."""
    import signal

    warehouse = tmp_path / "warehouse.duckdb"
    proc = _start_build(small_raw, warehouse, _BUILD_WITHOUT_PARENT_DEATH_SIGNAL)
    child = _dbt_child(proc.pid, warehouse.with_name("warehouse.duckdb.building"))
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _running(child), "the stand-in build should leave its dbt child running"
        t0 = time.perf_counter()
        second = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--skip-gate", "--quiet",
                                 "--raw-dir", str(small_raw), "--warehouse", str(warehouse)],
                                capture_output=True, text=True, env={**os.environ, "RWH_DEMO": "true"}, timeout=900)
        elapsed = time.perf_counter() - t0
        still_running = _running(child)
    finally:
        if _running(child):
            os.kill(child, signal.SIGKILL)
    assert second.returncode == 1, second.stdout + second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert lines[0].startswith("rwh build: ") and f"pid {child}" in lines[0] and "dbt build" in lines[0]
    assert f"kill {child}" in lines[0]
    assert elapsed < 15
    assert still_running, "the orphan ended before the second build was checked"


@pytest.mark.parametrize(("dbt_args", "partial"), [
    ([], False), (["--vars", "{a: 1}"], False), (["--fail-fast"], False),
    (["--exclude", "resource_type:test", "resource_type:unit_test"], False),
    (["--exclude=resource_type:test"], False), (["--exclude", "resource_type:test", "--fail-fast"], False),
    (["--select", "retention"], True), (["--select=retention"], True), (["-s", "retention"], True),
    (["--selector", "daily"], True), (["--exclude", "retention"], True), (["--exclude=retention"], True),
    (["--exclude", "resource_type:test", "retention"], True), (["--exclude"], True),
])
def test_what_builds_part_of_the_models(dbt_args, partial):
    """A selection or an exclusion of models builds part of them (DuckDB starts it from a copy of the published
    file, PostgreSQL and Spark refuse it); leaving out whole resource types still builds every model."""
    assert rb._is_partial(dbt_args) is partial


def test_a_model_that_cannot_be_built_is_told_by_its_message_not_its_header(tmp_path):
    message = ("Compilation Error in model int_usage_account_days (models/intermediate/health/"
               "int_usage_account_days.sql)\n  intermediate.int_usage_account_days was built by an earlier version of "
               "the project: run a full build once (rwh build), then incremental runs again.\n  \n  > in macro x")
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "model.renewal_warehouse.int_usage_account_days", "status": "error", "message": message,
         "failures": None}]}))
    sentences = rb.failure_sentences(tmp_path, lambda _sql: None)
    assert sentences == ["int_usage_account_days: the model could not be built: intermediate.int_usage_account_days "
                         "was built by an earlier version of the project: run a full build once (rwh build), then "
                         "incremental runs again."]


def _fake_dbt(tmp_path, monkeypatch, first_status: str, first_message: str) -> list[str]:
    """dbt replaced by a stand-in: the build stops with `first_status`; a retry builds the file and passes."""
    monkeypatch.setattr(rb, "ROOT", tmp_path)
    calls: list[str] = []

    def run(args, env, target_path, quiet):
        calls.append(args[0])
        target_path.mkdir(parents=True, exist_ok=True)
        if len(calls) == 1:
            results = [{"unique_id": "model.renewal_warehouse.account_health", "status": first_status,
                        "message": first_message}]
            code = 1
        else:
            duckdb.connect(env["RWH_DUCKDB_PATH"]).close()
            results, code = [{"unique_id": "model.renewal_warehouse.account_health", "status": "success"}], 0
        (target_path / "run_results.json").write_text(json.dumps({"results": results}))
        return code

    monkeypatch.setattr(rb, "_run_dbt", run)
    return calls


def test_a_duckdb_internal_error_is_retried_once_in_a_new_process(tmp_path, monkeypatch):
    calls = _fake_dbt(tmp_path, monkeypatch, "error", (
        "Runtime Error in model account_health (models/marts/health/account_health.sql)\n"
        "  INTERNAL Error: dict-surviving cache: global dictionary column 46 changed identity after being seeded\n"
        "  Stack Trace:\n"))
    said: list[str] = []
    result = rb.build_duckdb(tmp_path / "warehouse.duckdb", tmp_path, [], quiet=True, progress=said.append)
    assert calls == ["build", "retry"]
    assert result.ok and (tmp_path / "warehouse.duckdb").exists()
    assert any("INTERNAL Error: dict-surviving cache" in s and "retrying" in s for s in said), said


def test_a_failing_test_or_model_error_is_not_retried(tmp_path, monkeypatch):
    for status, message in (("fail", "Got 3 results, configured to fail if != 0"),
                            ("error", "Runtime Error in model x\n  Binder Error: column y not found")):
        calls = _fake_dbt(tmp_path, monkeypatch, status, message)
        result = rb.build_duckdb(tmp_path / "warehouse.duckdb", tmp_path, [], quiet=True, progress=lambda _m: None)
        assert calls == ["build"] and not result.ok


def test_a_build_record_without_dbt_metadata_still_publishes(tmp_path):
    """Artifacts without their metadata (another dbt, a stand-in) give an 'unknown' build, never an error
    that would hold back a build that passed."""
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [], "elapsed_time": 12.0}))
    build_id, kind, dbt_version, started, finished, published_at = rb.build_record(tmp_path, "full")
    assert (build_id, kind, dbt_version) == ("unknown", "full", "unknown")
    assert (finished - started).total_seconds() == 12 and published_at >= finished
    build_id, *_ = rb.build_record(tmp_path / "missing", "incremental")
    assert build_id == "unknown"


def test_an_empty_pii_salt_is_refused_before_anything_runs(small_raw, tmp_path):
    """Outside the demo, rwh build refuses an empty salt at once, in one line saying how to set one, before
    the gate and dbt run (before: after the gate and 227 dbt nodes)."""
    warehouse = tmp_path / "warehouse.duckdb"
    env = {**os.environ, "RWH_DEMO": "false", "RWH_PII_SALT": ""}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--raw-dir", str(small_raw),
                           "--warehouse", str(warehouse)], capture_output=True, text=True, env=env, timeout=900)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("rwh build: ") and "RWH_PII_SALT" in lines[0] and "RWH_DEMO=true" in lines[0]
    assert proc.stdout == ""  # the gate did not run
    assert elapsed < 15
    assert not warehouse.exists() and not warehouse.with_name("warehouse.duckdb.building").exists()


@pytest.mark.parametrize(("environ", "dbt_args", "refused"), [
    ({"RWH_DEMO": "false", "RWH_PII_SALT": ""}, [], True),
    ({"RWH_DEMO": "false"}, [], True),  # unset
    ({"RWH_DEMO": "false", "RWH_PII_SALT": "   "}, [], True),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": "s3cret"}, [], False),
    ({"RWH_DEMO": "true", "RWH_PII_SALT": ""}, [], False),
    ({"RWH_DEMO": "TRUE"}, [], False),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": ""}, ["--vars", "{pii_salt: s3cret}"], False),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": ""}, ["--vars={pii_salt: s3cret, as_of_date: '2026-06-30'}"], False),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": "s3cret"}, ["--vars", "{pii_salt: ''}"], True),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": ""}, ["--vars", "{allow_empty_pii_salt: true}"], False),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": ""}, ["--vars", "{as_of_date: '2026-06-30'}"], True),
    ({"RWH_DEMO": "false", "RWH_PII_SALT": ""}, ["--vars", "{pii_salt: \"{{ env_var('MY_SALT') }}\"}"], False),
])
def test_the_salt_dbt_would_use_decides(environ, dbt_args, refused):
    """The salt and the demo switch as dbt would see them: the environment, overridden by --vars after --
    (a Jinja value is left for dbt to judge)."""
    problem = rb.empty_pii_salt(dbt_args, environ)
    assert (problem is not None) == refused, problem
    if refused:
        assert "RWH_PII_SALT" in problem and "\n" not in problem


def plant_activity_loaded_after_the_snapshot(raw: Path) -> tuple[str, datetime]:
    """Issue 25 B1: a new version of a real CRM activity, dated and loaded after the snapshot the manifest
    declares (extracted_at) but before the run starts (the machine's clock). Returns its key and load time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    snapshot = datetime.fromisoformat(json.loads((raw / "_manifest.json").read_text())["extracted_at"])
    now = datetime.now(UTC).replace(tzinfo=None)
    assert now - snapshot > timedelta(days=2), "the clock must be past the extract's snapshot for this case"
    loaded = snapshot + min(timedelta(days=45), (now - snapshot) / 2) + timedelta(hours=9)
    path = raw / "crm" / "activities.parquet"
    rows = pq.read_table(path)
    con = duckdb.connect()
    key = con.sql("select activity_id from rows where _loaded_at <= ? and occurred_at is not null "
                  "and activity_id not like '%-X%' order by activity_id limit 1",
                  params=[snapshot]).fetchall()[0][0]
    later = con.sql("select * replace (cast(? as timestamp) - interval 1 hour as occurred_at, "
                    "cast(? as timestamp) as _loaded_at) from rows where activity_id = ?",
                    params=[loaded, loaded, key]).to_arrow_table()
    con.close()
    pq.write_table(pa.concat_tables([rows, later.cast(rows.schema)]), path)
    return key, loaded


def test_a_row_loaded_after_the_declared_snapshot_cannot_move_the_as_of_date(raw_copy, warehouse, tmp_path):
    """Issue 25 B1: one CRM activity dated and loaded weeks after the extract's declared snapshot, before the
    run. `rwh build` measures it against one reference time, the gate and staging alike: the row is
    quarantined as future_date, and the as-of date and every mart stay those of the extract without it
    (before: staging measured against the run's start, the as-of date moved to the row's date, pending
    renewals turned into churn and NRR fell)."""
    key, loaded = plant_activity_loaded_after_the_snapshot(raw_copy)
    manifest = json.loads((raw_copy / "_manifest.json").read_text())
    db = tmp_path / "out" / "warehouse.duckdb"
    proc = subprocess.run([sys.executable, "-m", "renewal_warehouse", "build", "--raw-dir", str(raw_copy),
                           "--warehouse", str(db), "--quiet"], capture_output=True, text=True,
                          env={**os.environ, "RWH_DEMO": "true"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    as_of = con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    reasons = con.execute("select quarantine_reason from staging.quarantined_rows where source_table = 'activities' "
                          "and source_key = ? and _loaded_at = ?", [key, loaded]).fetchall()
    con.close()
    assert as_of.isoformat() == manifest["as_of"]
    assert reasons == [("future_date",)]
    differences = [r.line() for r in compare_duckdb(str(warehouse["db"]), str(db), ["marts"]) if not r.same]
    assert differences == []
    # the build says which reference time it used and where it came from
    snapshot = datetime.fromisoformat(manifest["extracted_at"])
    said = [line for line in proc.stdout.splitlines() if line.startswith("rwh build: reference time")]
    assert len(said) == 1 and f"{snapshot:%Y-%m-%d %H:%M:%S}" in said[0] and "_manifest.json" in said[0], said


def test_a_daily_run_checks_volume_against_the_baseline_stored_beside_the_warehouse(published, warehouse, raw_copy,
                                                                                   capsys):
    """`rwh build --incremental` as the README shows it, without --baseline: the build that publishes keeps
    the row counts beside the warehouse, and the next run compares with them, naming the rows deleted at the
    source (before: no volume check, then a conservation failure, "rows were lost or counted twice")."""
    from renewal_warehouse.cli import main
    from test_gate import _drop_rows

    daily = ["build", "--incremental", "--quiet", "--warehouse", str(published)]
    # the first run publishes (one model is enough: the gate's counts are kept whatever dbt builds)
    assert main([*daily, "--raw-dir", str(warehouse["raw"]), "--", "--select", "int_as_of_date"]) == 0
    stored = published.with_name("warehouse.gate-baseline.json")
    counts = json.loads(stored.read_text())
    usage = duckdb.sql(f"select count(*) from read_parquet('{warehouse['raw']}/product/usage_daily.parquet')")
    assert counts["product.usage_daily"] == usage.fetchall()[0][0]

    before = _sha(published)
    previous, current = _drop_rows(raw_copy, "product.usage_daily", share=0.3)
    capsys.readouterr()
    assert main([*daily, "--raw-dir", str(raw_copy)]) == 1
    said = capsys.readouterr()
    line = next(ln for ln in said.out.splitlines() if "product.usage_daily" in ln and "volume" in ln)
    assert f"{current:,} rows against {previous:,}" in line and "(30.0 %) lost" in line, line
    assert "deleted at the source" in line, line
    assert "rwh build --incremental" in line and "--accept-volume-drop product.usage_daily --reason" in line, line
    assert "counted twice" not in said.out + said.err
    assert _sha(published) == before
    assert json.loads(stored.read_text()) == counts
