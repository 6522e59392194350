"""The rwh command line: clear errors and exit codes on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from renewal_warehouse.cli import main
from renewal_warehouse.pipeline import sources
from tests_root import ROOT


def rwh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "renewal_warehouse", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.mark.parametrize(("args", "message"), [
    (["generate", "--out", "x", "--accounts", "0"], "must be positive"),
    (["generate", "--out", "x", "--as-of", "2026-13-01"], "not a date"),
    (["generate", "--out", "x", "--years", "99"], "between 0.5 and 20"),
    (["generate"], "--out"),
    (["frobnicate"], "invalid choice"),
    (["dashboards", "--warehouse", "no/such/warehouse.duckdb"], "no warehouse at no/such/warehouse.duckdb"),
    (["dashboards", "--target", "spark"], "invalid choice"),
])
def test_bad_arguments_exit_2_with_a_message(args, message):
    result = rwh(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_generate_refuses_a_foreign_directory(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    assert main(["generate", "--out", str(tmp_path), "--accounts", "10", "--quiet"]) == 2
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_gate_on_a_missing_directory(tmp_path, capsys):
    assert main(["gate", "--raw-dir", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_load_postgres_without_files(tmp_path, capsys):
    assert main(["load-postgres", "--raw-dir", str(tmp_path)]) == 2
    assert "raw file(s) missing" in capsys.readouterr().err


def test_load_postgres_without_a_server(small_raw, capsys, monkeypatch):
    monkeypatch.setenv("RWH_PG_PORT", "1")  # nothing listens there
    monkeypatch.setenv("RWH_PG_HOST", "127.0.0.1")
    assert main(["load-postgres", "--raw-dir", str(small_raw), "--quiet"]) == 1
    assert "cannot load into postgresql://" in capsys.readouterr().err


def test_generate_end_to_end(tmp_path):
    result = rwh("generate", "--out", str(tmp_path / "raw"), "--accounts", "15", "--years", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "raw extract:" in result.stdout
    assert (tmp_path / "raw" / "_manifest.json").exists()


def test_committed_source_yaml_matches_the_contract():
    assert sources.drift(ROOT) == []


def test_source_yaml_drift_is_detected(tmp_path):
    sources.write(tmp_path)
    assert sources.drift(tmp_path) == []
    path = sources.source_path(tmp_path, "crm")
    path.write_text(path.read_text().replace("CRM account key.", "Something else."))
    assert sources.drift(tmp_path) == [path]


def test_gate_exit_codes(small_raw):
    ok = rwh("gate", "--raw-dir", str(small_raw), "--quiet")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PASSED" in ok.stdout
    stale = rwh("gate", "--raw-dir", str(small_raw), "--quiet", "--reference-time", "2027-06-01T00:00:00")
    assert stale.returncode == 1
    assert "FAILED" in stale.stdout and "stale" in stale.stdout
    assert "nanobind" not in stale.stderr


def test_version_prints_the_installed_package_version():
    from importlib.metadata import version

    result = rwh("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"rwh {version('renewal-warehouse')}"


def _subcommands() -> dict:
    import argparse

    from renewal_warehouse.cli import build_parser

    parser = build_parser()
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_help_shows_the_default_of_every_option_that_has_one(command):
    """`rwh <command> --help` says what an option is when it is not given: every option with a default
    (not a flag that is off, not one whose absence means "none") shows it."""
    import argparse

    sub = _subcommands()[command]
    text = " ".join(sub.format_help().split())  # the help wraps lines at spaces
    shown = [a for a in sub._actions if a.option_strings and a.default not in (None, False, argparse.SUPPRESS)]
    for action in shown:
        assert f"default: {action.default})" in text, f"rwh {command} --help hides {action.option_strings[0]}'s default"
    assert "--help" in text


# ----------------------------------------------------------- one reference time for the gate and staging
@pytest.fixture()
def build_stand_ins(monkeypatch):
    """`rwh build` with the gate and the three builds replaced by stand-ins that record what they are given:
    the gate's reference time and the dbt arguments (issue 25 B1)."""
    from renewal_warehouse.pipeline import build as rb
    from renewal_warehouse.pipeline import gate

    seen: dict = {}

    def fake_gate(engine, **kwargs):
        seen["gate"] = kwargs.get("reference_time")
        return gate.GateReport(reference_time=kwargs.get("reference_time"), reference_source="stand-in")

    def fake_build(name):
        def run(*args, **kwargs):
            seen["build"], seen["incremental"] = name, kwargs.get("incremental")
            seen["dbt_args"] = next(a for a in args if isinstance(a, list))
            return rb.BuildResult(True, message="stand-in")
        return run

    monkeypatch.setattr(gate, "run_gate", fake_gate)
    for name in ("build_duckdb", "build_postgres", "build_spark"):
        monkeypatch.setattr(rb, name, fake_build(name))
    return seen


def _dbt_vars(dbt_args: list[str]) -> dict:
    import yaml

    given = [a for a in dbt_args if a == "--vars" or a.startswith("--vars=")]
    assert len(given) == 1, dbt_args
    i = dbt_args.index(given[0])
    return yaml.safe_load(dbt_args[i + 1] if given[0] == "--vars" else given[0].split("=", 1)[1])


def _snapshot(raw) -> datetime:
    return datetime.fromisoformat(json.loads((raw / "_manifest.json").read_text())["extracted_at"])


@pytest.mark.parametrize("target", ["duckdb", "spark"])
@pytest.mark.parametrize("incremental", [False, True])
def test_build_gives_the_gate_and_staging_the_declared_snapshot(small_raw, tmp_path, build_stand_ins, capsys,
                                                                target, incremental):
    """Without --reference-time the reference is the snapshot the manifest declares, for the gate and for dbt
    (var extract_time) alike; the build says which time and where it came from."""
    args = ["build", "--target", target, "--raw-dir", str(small_raw), "--warehouse", str(tmp_path / "w.duckdb")]
    assert main([*args, *(["--incremental"] if incremental else [])]) == 0
    snapshot = _snapshot(small_raw)
    assert build_stand_ins["gate"] == snapshot
    assert build_stand_ins["incremental"] is incremental
    assert _dbt_vars(build_stand_ins["dbt_args"]) == {"extract_time": f"{snapshot:%Y-%m-%d %H:%M:%S}"}
    out = capsys.readouterr().out
    assert f"rwh build: reference time {snapshot:%Y-%m-%d %H:%M:%S} UTC (the snapshot time the extract declares " \
           f"in {small_raw / '_manifest.json'})" in out


def test_build_on_postgres_takes_the_snapshot_from_its_manifest_else_the_clock(small_raw, build_stand_ins,
                                                                               capsys):
    assert main(["build", "--target", "postgres", "--manifest", str(small_raw / "_manifest.json")]) == 0
    snapshot = _snapshot(small_raw)
    assert build_stand_ins["gate"] == snapshot
    assert _dbt_vars(build_stand_ins["dbt_args"]) == {"extract_time": f"{snapshot:%Y-%m-%d %H:%M:%S}"}
    # no manifest: the clock at the start of the run, read once, the same for the gate and for dbt
    before = datetime.now(UTC).replace(tzinfo=None)
    assert main(["build", "--target", "postgres", "--incremental"]) == 0
    after = datetime.now(UTC).replace(tzinfo=None)
    clock = build_stand_ins["gate"]
    assert before <= clock <= after
    assert _dbt_vars(build_stand_ins["dbt_args"]) == {"extract_time": clock.isoformat(sep=" ")}
    assert "(the time of this run: the extract declares no snapshot time)" in capsys.readouterr().out


def test_build_reference_time_option_and_extract_time_var(small_raw, tmp_path, build_stand_ins, capsys):
    """--reference-time is the reference of both; an extract_time the user gives dbt after `--` is the
    gate's too, and the user's other vars and arguments are kept (merged into one --vars)."""
    base = ["build", "--raw-dir", str(small_raw), "--warehouse", str(tmp_path / "w.duckdb")]
    assert main([*base, "--reference-time", "2026-10-02T06:30:00"]) == 0
    assert build_stand_ins["gate"] == datetime(2026, 10, 2, 6, 30)
    assert _dbt_vars(build_stand_ins["dbt_args"]) == {"extract_time": "2026-10-02 06:30:00"}
    assert "(given with --reference-time)" in capsys.readouterr().out

    assert main([*base, "--", "--select", "retention+", "--vars",
                 "{as_of_date: 2026-06-30, extract_time: '2026-10-01 12:00:00'}"]) == 0
    assert build_stand_ins["gate"] == datetime(2026, 10, 1, 12)
    dbt_args = build_stand_ins["dbt_args"]
    assert dbt_args[:2] == ["--select", "retention+"]
    assert _dbt_vars(dbt_args) == {"as_of_date": date(2026, 6, 30), "extract_time": "2026-10-01 12:00:00"}
    assert "(set with --vars extract_time)" in capsys.readouterr().out

    # the user's other vars without an extract_time: merged with the declared snapshot's
    assert main([*base, "--skip-gate", "--", "--vars={renewal_grace_days: 45}"]) == 0
    assert _dbt_vars(build_stand_ins["dbt_args"]) == {
        "renewal_grace_days": 45, "extract_time": f"{_snapshot(small_raw):%Y-%m-%d %H:%M:%S}"}

    # two different reference times: refused before anything runs
    build_stand_ins.clear()
    assert main([*base, "--reference-time", "2026-10-02T06:30:00", "--", "--vars",
                 "{extract_time: '2026-10-01 12:00:00'}"]) == 2
    assert "extract_time" in capsys.readouterr().err and build_stand_ins == {}


@pytest.mark.parametrize(("args", "message"), [
    (["--accept-volume-drop", "product.usage_daily"], "needs --reason WHY"),
    (["--accept-volume-drop", "usage_daily", "--reason", "purged"], "not a raw table"),
    (["--reason", "purged"], "--reason goes with --accept-volume-drop TABLE"),
])
def test_accepting_a_volume_drop_needs_a_known_table_and_a_reason(small_raw, tmp_path, capsys, args, message):
    for command in (["gate", "--raw-dir", str(small_raw)],
                    ["build", "--raw-dir", str(small_raw), "--warehouse", str(tmp_path / "w.duckdb")]):
        assert main([*command, *args]) == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()
