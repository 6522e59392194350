"""The Makefile with RAW_DIR pointing at a real extract: it never generates the demo there, and the demo is
recognised however its path is spelled."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests_root import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def make(*args: str) -> subprocess.CompletedProcess:
    """`make` in the project, with RWH_DEMO left to the Makefile (pytest's environment sets it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("RWH_DEMO", "MAKEFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True,
                          env=env, timeout=300)


def _listing(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_a_real_extract_without_a_manifest_is_used_as_it_is_not_overwritten_by_the_demo(small_raw, tmp_path):
    """A real extract has no _manifest.json: `make data` (which `make build` runs first) leaves it as it is,
    says freshness is then measured against the clock, and lets the build go on."""
    real = tmp_path / "extract"
    shutil.copytree(small_raw, real, ignore=shutil.ignore_patterns("_manifest.json", "_truth"))
    before = _listing(real)
    done = make("data", f"RAW_DIR={real}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _listing(real) == before  # nothing generated, nothing written
    assert "generating the demo" not in done.stdout
    assert f"no {real}/_manifest.json" in done.stdout and "the clock" in done.stdout


@pytest.mark.parametrize("state", ["missing", "empty", "no parquet"])
def test_a_raw_dir_without_an_extract_stops_in_one_sentence(tmp_path, state):
    """RAW_DIR naming a directory that does not exist, is empty or holds no Parquet files: `make data` says
    what is missing and stops; it does not generate the demo there."""
    raw = tmp_path / "extract"
    if state != "missing":
        raw.mkdir()
    if state == "no parquet":
        (raw / "notes.txt").write_text("not an extract")
    before = _listing(raw) if raw.exists() else None
    done = make("data", f"RAW_DIR={raw}")
    assert done.returncode != 0
    assert "generating the demo" not in done.stdout
    said = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("make data:")]
    assert len(said) == 1, done.stdout + done.stderr
    assert str(raw) in said[0] and "<system>/<table>.parquet" in said[0] and "RAW_DIR" in said[0]
    assert (_listing(raw) if raw.exists() else None) == before


def _demo_mode(raw_dir: str) -> str:
    done = make("--eval", "rwh-show-demo: ; @echo RWH_DEMO=$(RWH_DEMO)", "rwh-show-demo", f"RAW_DIR={raw_dir}")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_demo_is_the_demo_however_its_path_is_spelled(tmp_path):
    link = tmp_path / "raw-link"
    (ROOT / "data" / "raw").mkdir(parents=True, exist_ok=True)
    link.symlink_to(ROOT / "data" / "raw")
    for spelling in ("data/raw", "./data/raw", "data/raw/", str(ROOT / "data" / "raw"), str(link)):
        assert _demo_mode(spelling) == "RWH_DEMO=true", spelling
    assert _demo_mode(str(tmp_path)) == "RWH_DEMO=false"
    assert _demo_mode("data/raw-copy") == "RWH_DEMO=false"
