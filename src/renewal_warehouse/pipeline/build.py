"""Build the warehouse and publish it only when every test passed.

``rwh build`` runs the gate, then ``dbt build`` into a place no reader looks at, and publishes the result in
one atomic step only when every model and test passed:

* **DuckDB**: dbt builds ``<warehouse>.building`` beside the published file (a fresh file; a copy of the
  published one when dbt arguments select part of the project, or for an incremental run); on success the
  new file is
  renamed over ``<warehouse>`` (``os.replace``: atomic on one file system). A reader holding the published
  file open keeps reading the previous build, unblocked, until it reconnects. On failure the published file
  is not touched (byte for byte) and the failed build is kept as ``<warehouse>.failed`` for inspection.
* **Spark**: dbt builds into the slot that is not published (``marts__blue`` or ``marts__green`` ...); on
  success the published layers' views are pointed at it (Spark can neither rename a database nor move a
  table between databases; macros/spark/rwh_spark_publish_slot.sql). A failed build changes no view.
* **PostgreSQL**: dbt builds the layer schemas with a suffix (``marts__building`` ...); on success one
  transaction renames the published schemas to ``__previous`` and the new ones into place, then the
  previous ones are dropped. Readers see the old schemas or the new ones, never a mix or a half-built one.
  An incremental run first copies the published tables of the incremental models into the shadow schemas.

``incremental=True`` (``rwh build --incremental``, the daily run) keeps the published incremental models
and rebuilds only the days and weeks that new loads change (docs/incremental.md); without it every build is
a full build from nothing.

A run lock makes a second build exit at once with one line naming the running one: a file lock beside the
warehouse, or in dbt's target directory for a server (``target/.rwh-build.lock``), and, on PostgreSQL, an advisory
lock in the database.

A dbt child never outlives its build: on Linux it gets the parent-death signal (``prctl(PR_SET_PDEATHSIG)``,
SIGKILL), so a ``kill -9`` of ``rwh build`` takes its dbt with it. Where there is no such signal, the lock file
also names the running dbt child, and the next build refuses to run while that child is still alive (it
would write ``target/`` and the building file beside the new build).

Failing tests are reported at the end in plain sentences: the model, the rule, how many rows, an example; warnings
are said the same way, whether the build passed or not (dbt's own "Got 1 result, configured to warn" names nothing).

Publishing also writes ``meta.published_build`` (one row, in the same step as the layers on PostgreSQL and
inside the published file on DuckDB): the dbt invocation that built what readers see, when it ran and when
it was published, and whether it was a full or an incremental build. The dashboards name it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def target_dir() -> Path:
    """Where dbt writes its artifacts (manifest, run results, compiled SQL) for a build: RWH_TARGET_PATH, else
    target/ of the project (the test suite gives each parallel worker its own)."""
    return Path(os.environ.get("RWH_TARGET_PATH") or ROOT / "target")
LAYER_SCHEMAS = ("staging", "intermediate", "marts", "reference")
BUILDING_SUFFIX = "__building"
PREVIOUS_SUFFIX = "__previous"
# Any 64-bit number, the same for every build of this project against one database.
ADVISORY_LOCK_KEY = 7_412_250_311


class BuildLocked(Exception):
    """Another build holds the run lock."""


@dataclass
class BuildResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    message: str = ""
    warnings: list[str] = field(default_factory=list)  # the build's warnings in sentences, passed or not


class RunLock:
    """An exclusive, non-blocking file lock; its file names the holder (pid, start time, command) and, while
    one runs, the holder's dbt child (pid, process start, command).

    The kernel frees the lock when its holder dies, even by `kill -9`; the file's lines stay. A dbt child named
    there that is still alive (it outlived a killed build) keeps the next build out, with one line naming it.
    """

    active: RunLock | None = None  # the lock this process holds: run_child records its children in it

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fh = None
        self._holder = ""

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held for the whole build
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = "; ".join(line.strip() for line in fh.read().splitlines() if line.strip()) or "unknown"
            fh.close()
            raise BuildLocked(f"another build is running ({holder}); wait for it to finish or stop it") from None
        fh.seek(0)
        survivor = surviving_child(fh.read())
        if survivor:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            fh.close()
            raise BuildLocked(survivor)
        self._holder = (f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: "
                        f"{' '.join(sys.argv[1:]) or 'rwh build'}")
        self._fh = fh
        self._write()
        RunLock.active = self
        return self

    def _write(self, child: str = "") -> None:
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"{self._holder}\n{child}")
        self._fh.flush()

    def record_child(self, pid: int, command: str) -> None:
        """Name the dbt child now running (until forget_child)."""
        if self._fh is not None:
            self._write(f"dbt child pid {pid} (process start {_process_start(pid) or 'unknown'}): {command}\n")

    def forget_child(self) -> None:
        if self._fh is not None:
            self._write()

    def __exit__(self, *exc) -> None:
        if RunLock.active is self:
            RunLock.active = None
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


_CHILD_LINE = re.compile(r"^dbt child pid (\d+) \(process start (\w+)\): (.*)$", re.MULTILINE)


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state, parent pid, ...), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _process_start(pid: int) -> str | None:
    """When the process started (clock ticks after boot, /proc/<pid>/stat field 22): with the pid, it names one
    process, never a later one that was given the same pid."""
    stat = _proc_stat(pid)
    return stat[19] if stat and len(stat) > 19 else None


def _is_running_dbt(pid: int, start: str) -> bool:
    """Whether `pid` is still the recorded dbt process and alive (a zombie has ended: nobody reaped it yet)."""
    if Path("/proc/self/stat").exists():
        stat = _proc_stat(pid)
        if stat is None or stat[0] in ("Z", "X"):
            return False
        if start != "unknown" and stat[19] != start:
            return False  # the pid was given to another process since
        try:
            return b"dbt" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
    try:  # no /proc: the pid alone
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def surviving_child(lock_text: str) -> str | None:
    """One line naming a dbt child, recorded in a run lock's text, that is still running after its build
    ended (a build killed where no parent-death signal took its child with it); None when there is none."""
    holder = next((line.strip() for line in lock_text.splitlines() if line.strip()), "")
    for match in _CHILD_LINE.finditer(lock_text):
        pid, start, command = int(match.group(1)), match.group(2), match.group(3).strip()
        if pid != os.getpid() and _is_running_dbt(pid, start):
            return (f"a dbt process of an earlier build is still running (pid {pid}: {command}; its build, "
                    f"{holder or 'unknown'}, has ended) and would write target/ beside this build: wait for it "
                    f"to finish or stop it (kill {pid}), then build again")
    return None


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that has the kernel kill the child when this process dies (Linux's parent-death signal),
    so a `kill -9` of rwh build takes its dbt with it; None where there is no such signal (the run lock's
    record of the child is then the only defence). The signal follows the thread that starts the child: the
    callers wait for their child in that thread."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent, sigkill = os.getpid(), int(signal.SIGKILL)

    def preexec() -> None:  # runs in the child between fork and exec: nothing that could take a lock
        prctl(_PR_SET_PDEATHSIG, sigkill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)

    return preexec


def _describe_command(cmd: list[str]) -> str:
    """`dbt <subcommand and its arguments>`, without the launcher and the project's paths, for the lock file."""
    args = cmd[len(_dbt_launcher()):] if cmd[:len(_dbt_launcher())] == _dbt_launcher() else cmd
    if "--project-dir" in args:
        args = args[:args.index("--project-dir")]
    text = "dbt " + " ".join(args)
    return text if len(text) <= 160 else text[:157] + "..."


def run_child(cmd: list[str], env: dict[str, str], capture: bool = False,
              check: bool = False) -> subprocess.CompletedProcess:
    """A dbt command in a child process that dies with this one (die_with_parent) and is named in the run
    lock this process holds while it runs. `capture`: its output as text, else it streams to ours."""
    pipe = subprocess.PIPE if capture else None
    with subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=pipe, stderr=pipe, text=capture or None,
                          preexec_fn=die_with_parent()) as proc:  # noqa: PLW1509 - see die_with_parent
        lock = RunLock.active
        if lock is not None:
            lock.record_child(proc.pid, _describe_command(cmd))
        try:
            stdout, stderr = proc.communicate()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            if lock is not None:
                lock.forget_child()
    done = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if check:
        done.check_returncode()
    return done


def _dbt_launcher() -> list[str]:
    """The dbt of this Python environment (its script, or the module when there is none)."""
    script = Path(sys.executable).with_name("dbt")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]


def _run_dbt(args: list[str], env: dict[str, str], target_path: Path, quiet: bool) -> int:
    """dbt in a child process, its output streamed as it comes (progress on a long build)."""
    cmd = [*_dbt_launcher(), *args, "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
           "--target-path", str(target_path)]
    if quiet:
        cmd.append("--quiet")
    return run_child(cmd, env).returncode


# ------------------------------------------------------------------------------------ the PII salt
_TRUE = ("true", "1", "yes")  # what macros/staging/rwh_pii_hash.sql takes for allow_empty_pii_salt


def _cli_vars(dbt_args: list[str]) -> dict | None:
    """The --vars among extra dbt arguments as dbt reads them (the last one given), {} without any, None when
    they are not a YAML mapping (dbt says what is wrong with them)."""
    import yaml

    text = None
    for i, arg in enumerate(dbt_args):
        if arg == "--vars" and i + 1 < len(dbt_args):
            text = dbt_args[i + 1]
        elif arg.startswith("--vars="):
            text = arg.split("=", 1)[1]
    if text is None:
        return {}
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return parsed if isinstance(parsed, dict) else None


def empty_pii_salt(dbt_args: list[str], environ=os.environ) -> str | None:
    """The sentence refusing a build whose PII salt would be empty outside the synthetic demo, or None.

    The same rule as the dbt side (macros/staging/rwh_pii_hash.sql) on the values dbt would use: vars pii_salt
    (default RWH_PII_SALT) and allow_empty_pii_salt (default RWH_DEMO), --vars after -- overriding both, so a
    real extract is refused before the gate and dbt run rather than after them. A null salt counts as empty;
    a value dbt would render with Jinja is left to dbt's check."""
    cli_vars = _cli_vars(dbt_args)
    if cli_vars is None:
        return None
    salt = cli_vars.get("pii_salt", environ.get("RWH_PII_SALT", ""))
    allow = cli_vars.get("allow_empty_pii_salt", environ.get("RWH_DEMO", "false"))
    if "{{" in str(salt) or "{{" in str(allow) or str(allow).strip().lower() in _TRUE:
        return None
    if salt is not None and str(salt).strip():
        return None
    where = "--vars sets pii_salt empty" if "pii_salt" in cli_vars else "RWH_PII_SALT is empty or unset"
    return (f"{where}: names and emails would be hashed without a salt, which makes them guessable; set "
            "RWH_PII_SALT to a secret of this deployment (export RWH_PII_SALT=...) and build again "
            "(RWH_DEMO=true is only for the synthetic demo, whose people are made up)")


# ------------------------------------------------------------------------------ dbt vars of a build
EXTRACT_TIME_VAR = "extract_time"


def _vars_options(dbt_args: list[str]) -> list[tuple[int, int, str]]:
    """(first index, count of arguments, YAML) of each --vars in the dbt arguments."""
    found = []
    for i, a in enumerate(dbt_args):
        if a == "--vars":
            if i + 1 >= len(dbt_args):
                raise ValueError("--vars after -- needs a YAML dictionary")
            found.append((i, 2, dbt_args[i + 1]))
        elif a.startswith("--vars="):
            found.append((i, 1, a.split("=", 1)[1]))
    return found


def dbt_vars(dbt_args: list[str]) -> dict:
    """The vars the dbt arguments set (``--vars YAML`` or ``--vars=YAML``; a later one wins, as in dbt)."""
    import yaml

    merged: dict = {}
    for _, _, text in _vars_options(dbt_args):
        try:
            given = yaml.safe_load(text)
        except yaml.YAMLError:
            raise ValueError(f"--vars after -- is not YAML: {text!r}") from None
        if not isinstance(given, dict):
            raise ValueError(f"--vars after -- is not a YAML dictionary: {text!r}")
        merged.update(given)
    return merged


def with_dbt_vars(dbt_args: list[str], extra: dict) -> list[str]:
    """The dbt arguments with one --vars holding the user's vars and ``extra`` (``extra`` wins), in the place
    of the user's first --vars (at the end when there is none); every other argument kept as it was."""
    import yaml

    options = _vars_options(dbt_args)
    text = yaml.safe_dump({**dbt_vars(dbt_args), **extra}, default_flow_style=True, width=10_000).strip()
    dropped = {i + k for i, n, _ in options for k in range(n)}
    at = options[0][0] if options else len(dbt_args)
    kept = [a for i, a in enumerate(dbt_args) if i not in dropped and i < at]
    return [*kept, "--vars", text, *(a for i, a in enumerate(dbt_args) if i not in dropped and i >= at)]


def timestamp_literal(moment: datetime) -> str:
    """A UTC timestamp as dbt var extract_time takes it ('2026-10-01 02:00:00')."""
    return moment.isoformat(sep=" ")


# ------------------------------------------------------------------------------ readable failures
def _describe_row(columns: list[str], row: tuple, limit: int = 6) -> str:
    parts = [f"{c}={v}" for c, v in zip(columns, row, strict=False) if v is not None][:limit]
    return ", ".join(parts)


def marts_not_built(target_path: Path) -> list[str]:
    """One sentence per mart the declared source systems leave out (from the last dbt manifest)."""
    from renewal_warehouse.pipeline import contract as rc

    manifest_path = target_path / "manifest.json"
    if not manifest_path.exists():
        return []
    declared = rc.declared_systems()
    sentences = []
    for versions in json.loads(manifest_path.read_text()).get("disabled", {}).values():
        node = versions[0]
        if node.get("resource_type") != "model" or "marts" not in node.get("fqn", [])[:2]:
            continue
        needs = [s for s in (node.get("config", {}).get("meta", {}).get("requires_systems") or [])
                 if s not in declared]
        why = f"needs {', '.join(needs)}" if needs else "disabled in its configuration"
        sentences.append(f"{node['name']} ({why})")
    return sorted(sentences)


def _error_line(message: str | None) -> str:
    """The line of a dbt error message that says what went wrong (not its "Parsing Error in ..." header)."""
    lines = [line.strip() for line in (message or "").strip().splitlines() if line.strip()]
    told = [line for line in lines if not line.endswith(")") or " Error in " not in line]
    return (told or lines or ["error"])[0]


Examples = Callable[[str], tuple[list[str], list[tuple]] | None]
EXAMPLE_ROWS = 20  # rows of a failing or warning test read for its sentences


def _problem_rows(columns: list[str], rows: list[tuple], status: str) -> list[tuple]:
    """The rows that tell a test's result: for a tolerance test (a level column: one row per tolerance
    breached), the rows of the level the test ended at, error for a failure and warn for a warning."""
    level = next((c for c in ("level", "tolerance_level") if c in columns), None)
    if level is None:
        return rows
    wanted = "error" if status == "fail" else "warn"
    return [r for r in rows if r[columns.index(level)] == wanted] or rows


def node_sentences(target_path: Path, fetch_examples: Examples, statuses: tuple[str, ...] = ("fail", "error")
                   ) -> list[str]:
    """One plain sentence per node of the last dbt run whose status is one of `statuses` (failures, or the
    warnings with ("warn",)): model, rule, count, an example row, or the test's own sentence (its `problem`
    column). `fetch_examples(sql)` runs a test's compiled SQL and returns (columns, its first rows), or None."""
    results_path = target_path / "run_results.json"
    manifest_path = target_path / "manifest.json"
    if not results_path.exists():
        return ["dbt did not run (no run_results.json): see its output above"] if "fail" in statuses else []
    results = json.loads(results_path.read_text())["results"]
    nodes = json.loads(manifest_path.read_text())["nodes"] if manifest_path.exists() else {}
    verb = "warned" if statuses == ("warn",) else "failed"
    sentences = []
    for r in results:
        if r["status"] not in statuses:
            continue
        node = nodes.get(r["unique_id"], {})
        kind = node.get("resource_type") or r["unique_id"].split(".")[0]
        name = node.get("name") or r["unique_id"].split(".")[-1]
        if kind == "unit_test":
            model = r["unique_id"].split(".")[-2]
            if r["status"] == "error":
                sentences.append(f"{model}: unit test {name} could not run: {_error_line(r.get('message'))}")
            else:
                sentences.append(f"{model}: unit test {name} failed: the model's output differs from the expected "
                                 "rows (dbt printed the difference above)")
            continue
        if kind != "test":
            sentences.append(f"{name}: the {kind} could not be built: {_error_line(r.get('message'))}")
            continue
        meta = node.get("test_metadata") or {}
        rule = meta.get("name") or name
        models = [d.split(".")[-1] for d in node.get("depends_on", {}).get("nodes", []) if d.startswith("model.")]
        where = models[0] if models else name
        column = node.get("column_name")
        on = f" on {column}" if column else ""
        if r["status"] == "error":
            message = (r.get("message") or "").strip().splitlines()
            sentences.append(f"{where}: test {rule}{on} could not run: {message[0] if message else 'error'}")
            continue
        count = r.get("failures")
        examples = None
        compiled = node.get("compiled_code") or r.get("compiled_code")
        if compiled:
            try:
                examples = fetch_examples(compiled)
            except Exception:  # an example is a courtesy: never hide the failure behind it
                examples = None
        if examples and examples[1]:
            columns, rows = examples[0], _problem_rows(examples[0], examples[1], r["status"])
            problems = [row[columns.index("problem")] for row in rows if "problem" in columns]
            problems = [p for p in problems if p]
            if problems:
                # the test says what is wrong in a sentence of its own (a singular test's names its table: the
                # model it happens to read first would mislead); one per row, the first few
                more = f" (and {len(problems) - 3} more like it)" if len(problems) > 3 else ""
                prefix = f"{where}: " if meta else ""
                sentences.extend(f"{prefix}{p} (rule {rule})" for p in problems[:3])
                if more:
                    sentences[-1] += more
                continue
            tail = f", e.g. {_describe_row(columns, rows[0])}"
        else:
            tail = ""
        sentences.append(f"{where}: rule {rule}{on} {verb} for {count} row(s){tail}")
    return sentences


def failure_sentences(target_path: Path, fetch_examples: Examples) -> list[str]:
    """One plain sentence per failing node of the last dbt run: model, rule, count, an example row."""
    return node_sentences(target_path, fetch_examples, ("fail", "error"))


def warning_sentences(target_path: Path, fetch_examples: Examples) -> list[str]:
    """One plain sentence per warning of the last dbt run, as failures are said (dbt's own line, "Got 1
    result, configured to warn if >= 1", names no table, rule, rows or ARR)."""
    return node_sentences(target_path, fetch_examples, ("warn",))


# ---------------------------------------------------------------------------------------- DuckDB
def engine_fault(target_path: Path) -> str | None:
    """The first line of a DuckDB internal error that stopped the last dbt run, if one did (not a failing
    test or a model's own error: a fault of the engine, which invalidates the database for that process)."""
    results_path = target_path / "run_results.json"
    if not results_path.exists():
        return None
    for r in json.loads(results_path.read_text())["results"]:
        if r["status"] == "error":
            for line in (r.get("message") or "").splitlines():
                if "INTERNAL Error:" in line:
                    return line.strip()[line.strip().index("INTERNAL Error:"):]
    return None


def _is_partial(dbt_args: list[str]) -> bool:
    """Whether the dbt arguments build part of the models: a selection, or an exclusion of anything but whole
    resource types (`--exclude resource_type:test` still builds every model)."""
    for i, arg in enumerate(dbt_args):
        if arg in ("--select", "-s", "--selector", "--models", "-m") or arg.startswith(
                ("--select=", "--selector=", "--models=")):
            return True
        if arg == "--exclude" or arg.startswith("--exclude="):
            if "=" in arg:
                values = arg.split("=", 1)[1].split()
            else:
                values = []
                for value in dbt_args[i + 1:]:
                    if value.startswith("-"):
                        break
                    values += value.split()
            if not values or any(not v.startswith("resource_type:") for v in values):
                return True
    return False


PARTIAL_REFUSED = ("rwh build --target {target} builds and publishes the whole warehouse (a selection would publish "
                   "layers holding only the selected models); to build part of it, run dbt build --target {target} "
                   "against {where} of your own")


def _build_kind(dbt_args: list[str], incremental: bool) -> str:
    return "partial" if _is_partial(dbt_args) else "incremental" if incremental else "full"


def build_duckdb(warehouse: Path, raw_dir: Path, dbt_args: list[str], quiet: bool = False,
                 progress: Callable[[str], None] = print, incremental: bool = False) -> BuildResult:
    warehouse = Path(warehouse).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    building = warehouse.with_name(warehouse.name + ".building")
    failed = warehouse.with_name(warehouse.name + ".failed")
    for p in (building, Path(f"{building}.wal")):
        p.unlink(missing_ok=True)
    if warehouse.exists() and (_is_partial(dbt_args) or incremental):
        # A selected or incremental build changes part of the warehouse: it starts from a copy of the
        # published one.
        progress(f"build: copying the published {warehouse.name} to start from it")
        shutil.copyfile(warehouse, building)
    elif incremental:
        progress(f"build: no published {warehouse.name} yet, so this incremental run is a full build")
    env = {**os.environ, "RWH_TARGET": "duckdb", "RWH_DUCKDB_PATH": str(building),
           "RWH_RAW_DIR": str(Path(raw_dir).resolve())}
    target_path = target_dir()
    progress(f"build: dbt build into {building.name} (the published {warehouse.name} stays as it is meanwhile)")
    t0 = time.perf_counter()
    code = _run_dbt(["build", "--target", "duckdb", *dbt_args], env, target_path, quiet)
    fault = engine_fault(target_path) if code != 0 else None
    if fault:
        # DuckDB 2.0.0 at 100,000 accounts, now and then: "dict-surviving cache: global dictionary column ...
        # changed identity" (docs/bench/README.md). The process's database is invalidated, the file keeps
        # every committed model, and the same nodes pass in a new process.
        progress(f"build: DuckDB stopped on an internal error ({fault[:160]}); retrying the failed and "
                 "skipped nodes once in a new process (dbt retry)")
        code = _run_dbt(["retry"], env, target_path, quiet)
    import duckdb

    def fetch_examples(sql: str):
        con = duckdb.connect(str(building), read_only=True)
        try:
            rel = con.sql(f"select * from ({sql}) as failing limit {EXAMPLE_ROWS}")
            return rel.columns, rel.fetchall()
        finally:
            con.close()

    warnings = warning_sentences(target_path, fetch_examples) if building.exists() else []
    if code == 0:
        con = duckdb.connect(str(building))
        _write_build_record(con, build_record(target_path, _build_kind(dbt_args, incremental)), "?")
        con.execute("checkpoint")  # fold the WAL in: the published file is one self-contained file
        con.close()
        Path(f"{warehouse}.wal").unlink(missing_ok=True)
        os.replace(building, warehouse)
        for p in (failed, Path(f"{failed}.wal")):
            p.unlink(missing_ok=True)
        return BuildResult(True, message=f"published {warehouse} "
                           f"({time.perf_counter() - t0:.0f} s)", warnings=warnings)

    problems = failure_sentences(target_path, fetch_examples) if building.exists() else []
    if building.exists():
        for p in (failed, Path(f"{failed}.wal")):
            p.unlink(missing_ok=True)
        os.replace(building, failed)
        if Path(f"{building}.wal").exists():
            os.replace(f"{building}.wal", f"{failed}.wal")
    kept = f"; the failed build is kept in {failed}" if failed.exists() else ""
    unchanged = (f"the published {warehouse} is unchanged" if warehouse.exists()
                 else f"nothing was published to {warehouse}")
    return BuildResult(False, problems, f"dbt build failed (exit {code}): {unchanged}{kept}", warnings)


# --------------------------------------------------------------------------------- the build record
META_SCHEMA = "meta"
BUILD_RECORD_COLUMNS = ("build_id", "build_kind", "dbt_version", "dbt_started_at", "dbt_finished_at",
                        "published_at")


def build_record(target_path: Path, kind: str) -> tuple:
    """The row of meta.published_build for the dbt build whose artifacts are in target_path: the dbt
    invocation id, full or incremental, the dbt version, when dbt started and finished, and now (UTC).
    Artifacts without their metadata (another dbt version, a stand-in) give 'unknown' and the publish time:
    a build that passed is never held back by its record."""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    path = target_path / "run_results.json"
    run = json.loads(path.read_text()) if path.exists() else {}
    meta = run.get("metadata") or {}

    def parsed(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None) if text else None

    finished = parsed(meta.get("generated_at")) or now
    started = parsed(meta.get("invocation_started_at")) or (
        finished - timedelta(seconds=float(run.get("elapsed_time") or 0)))
    return (meta.get("invocation_id") or "unknown", kind, meta.get("dbt_version") or "unknown",
            started.replace(microsecond=0), finished.replace(microsecond=0), now)


def _write_build_record(cur, record: tuple, placeholder: str) -> None:
    """Replace meta.published_build with the one row `record` (any DB-API cursor; `placeholder` is its
    parameter marker)."""
    cur.execute(f"create schema if not exists {META_SCHEMA}")
    cur.execute(f"create table if not exists {META_SCHEMA}.published_build (build_id varchar(64), "
                "build_kind varchar(16), dbt_version varchar(32), dbt_started_at timestamp, "
                "dbt_finished_at timestamp, published_at timestamp)")
    cur.execute(f"delete from {META_SCHEMA}.published_build")
    marks = ", ".join([placeholder] * len(record))
    cur.execute(f"insert into {META_SCHEMA}.published_build ({', '.join(BUILD_RECORD_COLUMNS)}) "
                f"values ({marks})", record)


# ------------------------------------------------------------------------------------ PostgreSQL
READER_SCHEMAS = ("marts",)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class ReaderRoleError(Exception):
    """The reader role cannot be created or granted (a bad name, or a build user without CREATEROLE)."""


def check_reader_role(role: str) -> None:
    if role and not _ROLE_NAME.match(role):
        raise ReaderRoleError(f"RWH_PG_READER_ROLE={role!r} is not a plain PostgreSQL role name "
                              "(lowercase letters, digits and _, at most 63, not starting with a digit)")


def _pg_grant_reader(cur, role: str, schemas: tuple[str, ...]) -> None:
    """The reader role (created when missing, without login: people and BI tools log in as members of it)
    may read the tables of `schemas` and nothing else: usage on those schemas, select on their tables."""
    check_reader_role(role)
    cur.execute("select 1 from pg_roles where rolname = %s", (role,))
    if cur.fetchone() is None:
        cur.execute("select rolcreaterole or rolsuper from pg_roles where rolname = current_user")
        if not cur.fetchone()[0]:
            raise ReaderRoleError(
                f"the reader role {role} does not exist and the build user may not create roles: create it once "
                f"(create role {role} nologin) or grant the build user CREATEROLE; RWH_PG_READER_ROLE names it")
        cur.execute(f'create role "{role}" nologin')
    for schema in schemas:
        cur.execute(f'grant usage on schema "{schema}" to "{role}"')
        cur.execute(f'grant select on all tables in schema "{schema}" to "{role}"')


def _pg_swap(con, schemas: tuple[str, ...], reader_role: str = "", record: tuple | None = None) -> None:
    """One transaction: published -> __previous, __building -> published, the reader role granted the new
    marts, meta.published_build replaced by `record`. Then drop __previous."""
    with con.cursor() as cur:
        if record is not None:
            _write_build_record(cur, record, "%s")
        cur.execute("select nspname from pg_namespace")
        existing = {r[0] for r in cur.fetchall()}
        for s in schemas:
            if s + PREVIOUS_SUFFIX in existing:
                cur.execute(f'drop schema "{s}{PREVIOUS_SUFFIX}" cascade')
            if s in existing:
                cur.execute(f'alter schema "{s}" rename to "{s}{PREVIOUS_SUFFIX}"')
            cur.execute(f'alter schema "{s}{BUILDING_SUFFIX}" rename to "{s}"')
        if reader_role:
            # the marts, and the record of the build they came from (what dashboards and BI tools show)
            _pg_grant_reader(cur, reader_role, tuple(s for s in READER_SCHEMAS if s in schemas)
                             + ((META_SCHEMA,) if record is not None else ()))
    con.commit()
    with con.cursor() as cur:
        # Readers still inside a query of the previous build keep their locks; do not wait long for them
        # (a __previous schema left behind is dropped by the next publication).
        cur.execute("set lock_timeout = '30s'")
        try:
            for s in schemas:
                cur.execute(f'drop schema if exists "{s}{PREVIOUS_SUFFIX}" cascade')
            con.commit()
        except Exception:
            con.rollback()


def incremental_models(target_path: Path, env: dict[str, str], target: str) -> list[tuple[str, str]]:
    """(schema, table) of every enabled incremental model, from `dbt ls` (the schemas without a suffix)."""
    env = {k: v for k, v in env.items() if k != "RWH_SCHEMA_SUFFIX"}
    out = run_child([*_dbt_launcher(), "ls", "--target", target, "--resource-type", "model", "--select",
                     "config.materialized:incremental", "--output", "json",
                     "--quiet", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
                     "--target-path", str(target_path)], env, capture=True, check=True).stdout
    models = []
    for line in out.splitlines():
        if line.startswith("{"):
            node = json.loads(line)
            models.append((node["config"]["schema"], node["alias"] or node["name"]))
    return models


def _pg_seed_incremental(con, models: list[tuple[str, str]], progress: Callable[[str], None]) -> None:
    """Copy the published tables of the incremental models into the shadow schemas."""
    with con.cursor() as cur:
        for schema, table in models:
            cur.execute("select 1 from information_schema.tables where table_schema = %s and table_name = %s",
                        (schema, table))
            if cur.fetchone() is None:
                progress(f"build: {schema}.{table} is not published yet: built in full")
                continue
            cur.execute(f'create schema if not exists "{schema}{BUILDING_SUFFIX}"')
            cur.execute(f'create table "{schema}{BUILDING_SUFFIX}"."{table}" as table "{schema}"."{table}"')
            progress(f"build: {schema}.{table} copied to {schema}{BUILDING_SUFFIX} to build on incrementally")
    con.commit()


def build_postgres(pg, dbt_args: list[str], quiet: bool = False,
                   progress: Callable[[str], None] = print, incremental: bool = False) -> BuildResult:
    if _is_partial(dbt_args):
        # The build fills empty shadow schemas and swaps them in whole: a selection would publish schemas
        # holding only the selected models, every other table gone for the readers.
        return BuildResult(False, [PARTIAL_REFUSED.format(target="postgres", where="a database (RWH_PG_DATABASE)")],
                           "nothing was built")
    try:
        check_reader_role(pg.reader_role)
    except ReaderRoleError as e:
        return BuildResult(False, [str(e)], "nothing was built")
    con = pg.connect()
    con.autocommit = False
    try:
        with con.cursor() as cur:
            cur.execute("select pg_try_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
            if not cur.fetchone()[0]:
                cur.execute("select pid, backend_start, client_addr from pg_stat_activity where pid in "
                            "(select pid from pg_locks where locktype = 'advisory' and objid = %s)",
                            (ADVISORY_LOCK_KEY & 0xFFFFFFFF,))
                who = cur.fetchone()
                raise BuildLocked("another build is running against postgresql://"
                                  f"{pg.host}:{pg.port}/{pg.database}"
                                  + (f" (server pid {who[0]}, connected {who[1]:%Y-%m-%d %H:%M:%S})" if who else ""))
            for s in LAYER_SCHEMAS:  # leftovers of a killed build
                cur.execute(f'drop schema if exists "{s}{BUILDING_SUFFIX}" cascade')
        con.commit()
        env = {**os.environ, "RWH_TARGET": "postgres", "RWH_SCHEMA_SUFFIX": BUILDING_SUFFIX}
        target_path = target_dir()
        if incremental:
            _pg_seed_incremental(con, incremental_models(target_path, env, "postgres"), progress)
        progress(f"build: dbt build into the {BUILDING_SUFFIX} schemas (the published schemas stay as they are)")
        t0 = time.perf_counter()
        code = _run_dbt(["build", "--target", "postgres", *dbt_args], env, target_path, quiet)

        def fetch_examples(sql: str):
            with con.cursor() as cur:
                cur.execute(f"select * from ({sql}) as failing limit {EXAMPLE_ROWS}")
                rows = cur.fetchall()
                columns = [d[0] for d in cur.description]
            con.rollback()
            return columns, rows

        # read while the tests' SQL still names the schemas they ran on (the __building ones)
        warnings = warning_sentences(target_path, fetch_examples)
        if code == 0:
            try:
                _pg_swap(con, LAYER_SCHEMAS, pg.reader_role,
                         build_record(target_path, _build_kind(dbt_args, incremental)))
            except ReaderRoleError as e:
                con.rollback()
                return BuildResult(False, [str(e)], "the build passed but was not published: the published schemas "
                                   f"are unchanged; the new build is kept in the {BUILDING_SUFFIX} schemas",
                                   warnings)
            reader = f"; role {pg.reader_role} reads the marts" if pg.reader_role else ""
            return BuildResult(True, message=f"published schemas {', '.join(LAYER_SCHEMAS)} of {pg.database} "
                               f"({time.perf_counter() - t0:.0f} s){reader}", warnings=warnings)

        problems = failure_sentences(target_path, fetch_examples)
        return BuildResult(False, problems,
                           f"dbt build failed (exit {code}): the published schemas are unchanged; the failed build "
                           f"is kept in the {BUILDING_SUFFIX} schemas until the next build", warnings)
    finally:
        try:
            con.rollback()
            with con.cursor() as cur:
                cur.execute("select pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
            con.commit()
        finally:
            con.close()


# ----------------------------------------------------------------------------------------- Spark
SPARK_SLOT_LINE = re.compile(r"rwh (build|published) slot: (blue|green|none)")


SPARK_TARGETS = ("spark", "spark_connect")


def _spark_operation(macro: str, args: dict, env: dict[str, str], target_path: Path) -> tuple[int, str]:
    """`dbt run-operation` of a publishing macro (macros/spark/rwh_spark_publish_slot.sql) on Spark: its exit code
    and its output (the slot lines)."""
    cmd = [*_dbt_launcher(), "run-operation", macro, "--args", json.dumps(args), "--target", env["RWH_TARGET"],
           "--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--target-path", str(target_path)]
    out = run_child(cmd, env, capture=True)
    # pyspark prints its errors as long JSON lines: keep dbt's own lines
    said = "\n".join(line for line in (out.stdout + out.stderr).splitlines() if len(line) < 500)
    return out.returncode, said


def _operation_error(said: str) -> str:
    """What a failed run-operation said, without pyspark's and pandas' warnings."""
    noise = ("Warning", "warnings.warn", "require_minimum_pandas_version", "WARN ")
    lines = [line for line in said.splitlines() if line.strip() and not any(n in line for n in noise)]
    return "\n".join(lines[-15:])


def _spark_slot(said: str, kind: str) -> str | None:
    found = [m.group(2) for m in SPARK_SLOT_LINE.finditer(said) if m.group(1) == kind]
    return None if not found or found[-1] == "none" else found[-1]


def spark_published_slot(env: dict[str, str] | None = None, target: str = "spark") -> str | None:
    """The slot whose tables the published Spark layers show ('blue', 'green'; None before the first
    publication), read from the metastore of the target (RWH_SPARK_WAREHOUSE_DIR's for `spark`)."""
    env = {**os.environ, **(env or {}), "RWH_TARGET": target}
    code, said = _spark_operation("rwh_spark_show_published_slot", {}, env, target_dir())
    if code != 0:
        raise RuntimeError(f"could not read the published slot:\n{_operation_error(said)}")
    return _spark_slot(said, "published")


def build_spark(raw_dir: Path, dbt_args: list[str], quiet: bool = False,
                progress: Callable[[str], None] = print, incremental: bool = False,
                target: str = "spark") -> BuildResult:
    """dbt build into the slot that is not published, then point the published layers' views at it only if
    every model and test passed (macros/spark/rwh_spark_publish_slot.sql). The warehouse is the one the target
    names: `spark`, RWH_SPARK_WAREHOUSE_DIR and its metastore; `spark_connect`, the Spark Connect server
    SPARK_REMOTE names (docs/spark.md)."""
    if _is_partial(dbt_args):
        where = "a warehouse (RWH_SPARK_WAREHOUSE_DIR)"
        return BuildResult(False, [PARTIAL_REFUSED.format(target=target, where=where)], "nothing was built")
    env = {**os.environ, "RWH_TARGET": target, "RWH_RAW_DIR": str(Path(raw_dir).resolve())}
    env.pop("RWH_SCHEMA_SUFFIX", None)
    target_path = target_dir()
    tables = [f"{schema}.{table}" for schema, table in incremental_models(target_path, env, target)] \
        if incremental else []
    progress("build: preparing the Spark slot that is not published"
             + (f" (copying the {len(tables)} published incremental tables into it)" if tables else ""))
    code, said = _spark_operation("rwh_spark_prepare_slot", {"incremental_tables": tables}, env, target_path)
    slot = _spark_slot(said, "build")
    if code != 0 or slot is None:
        return BuildResult(False, [f"preparing the build slot failed:\n{_operation_error(said)}"],
                           "nothing was built; the published layers are unchanged")
    for line in said.splitlines():
        if "rwh: " in line:
            progress("build: " + line.split("rwh: ", 1)[1])
    suffix = f"__{slot}"
    progress(f"build: dbt build into the {suffix} schemas (the published layers stay as they are meanwhile)")
    t0 = time.perf_counter()
    code = _run_dbt(["build", "--target", target, *dbt_args], {**env, "RWH_SCHEMA_SUFFIX": suffix},
                    target_path, quiet)
    # No SQL is run for examples on Spark (each would start a session): the sentences name the test and counts.
    warnings = warning_sentences(target_path, lambda _sql: None)
    if code != 0:
        problems = failure_sentences(target_path, lambda _sql: None)
        return BuildResult(False, problems,
                           f"dbt build failed (exit {code}): the published layers are unchanged; the failed build "
                           f"is kept in the {suffix} schemas until the next build", warnings)
    code, said = _spark_operation("rwh_spark_publish_slot", {"slot": slot}, env, target_path)
    if code != 0 or _spark_slot(said, "published") != slot:
        return BuildResult(False, [f"publishing the {slot} slot failed:\n{_operation_error(said)}"],
                           f"the build passed but was not published; it is kept in the {suffix} schemas")
    where = (env.get("SPARK_REMOTE", "sc://localhost:15002") if target == "spark_connect"
             else env.get("RWH_SPARK_WAREHOUSE_DIR", "target/spark/warehouse"))
    return BuildResult(True, message=f"published the {slot} slot of {where}: the layers' views read the {suffix} "
                       f"schemas ({time.perf_counter() - t0:.0f} s)", warnings=warnings)


def lock_path(warehouse: Path | None) -> Path:
    """The run lock's file: beside a DuckDB warehouse file; for a server (PostgreSQL, Spark), in the directory dbt
    writes its artifacts to (``target_dir()``), so builds with target directories of their own (the test suite's
    parallel processes, each against a database of its own) do not wait for each other; the database's advisory
    lock still keeps two builds off one PostgreSQL database."""
    return (Path(warehouse).resolve().parent if warehouse else target_dir().resolve()) / ".rwh-build.lock"

