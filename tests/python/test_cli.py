"""The rwh command line: clear errors and exit codes on bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from renewal_warehouse import sourcegen
from renewal_warehouse.cli import main
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
    assert sourcegen.drift(ROOT) == []


def test_source_yaml_drift_is_detected(tmp_path):
    sourcegen.write(tmp_path)
    assert sourcegen.drift(tmp_path) == []
    path = sourcegen.source_path(tmp_path, "crm")
    path.write_text(path.read_text().replace("CRM account key.", "Something else."))
    assert sourcegen.drift(tmp_path) == [path]


def test_gate_exit_codes(small_raw):
    ok = rwh("gate", "--raw-dir", str(small_raw), "--quiet")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PASSED" in ok.stdout
    stale = rwh("gate", "--raw-dir", str(small_raw), "--quiet", "--reference-time", "2027-06-01T00:00:00")
    assert stale.returncode == 1
    assert "FAILED" in stale.stdout and "stale" in stale.stdout
    assert "nanobind" not in stale.stderr


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
