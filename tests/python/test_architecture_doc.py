"""docs/architecture.md names every folder git tracks, and only those (issue 26): its tree is the map of the
repository, so a folder added, moved or removed must be added to or removed from it in the same change."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess

import pytest

from tests_root import ROOT

DOC = ROOT / "docs" / "architecture.md"
HEADING = "## Every folder and what goes in it"
# A tree line: a folder path ending in "/", then an em dash (or "--") and what goes in it.
LINE = re.compile(r"^(?P<path>[^\s—]+/)\s+(?:—|--)\s+(?P<what>\S.*)$")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def documented_folders(text: str) -> dict[str, str]:
    """The folders of the tree under HEADING (its first fenced block), each with what goes in it."""
    assert HEADING in text, f"docs/architecture.md has no section {HEADING!r}"
    section = text.split(HEADING, 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block, f"docs/architecture.md: no fenced block under {HEADING!r}"
    folders = {}
    for number, line in enumerate(block.group(1).splitlines(), 1):
        if not line.strip():
            continue
        match = LINE.match(line.strip())
        assert match, (f"docs/architecture.md, tree line {number}: {line!r} is not `path/  — what goes in it` "
                       "(a folder path ending in '/', an em dash, and what must go in the folder)")
        path = match.group("path").rstrip("/")
        assert path not in folders, f"docs/architecture.md names {path}/ twice"
        folders[path] = match.group("what")
    return folders


def tracked_folders(env: dict[str, str] | None = None) -> set[str]:
    """Every folder holding a file git tracks (or will: added to the index), and every folder above one."""
    files = subprocess.run(["git", "ls-files", "--cached", "-z"], cwd=ROOT, capture_output=True, check=True,
                           text=True, env=env).stdout.split("\0")
    folders = set()
    for file in filter(None, files):
        folder = posixpath.dirname(file)
        while folder:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return folders


def folder_differences(documented: set[str], tracked: set[str]) -> str:
    """'' when the two agree, else a message naming exactly the folders to add to and remove from the tree."""
    missing, stale = sorted(tracked - documented), sorted(documented - tracked)
    lines = []
    if missing:
        lines.append("add to the tree of docs/architecture.md (git tracks them): "
                     + ", ".join(f"{folder}/" for folder in missing))
    if stale:
        lines.append("remove from the tree of docs/architecture.md (git tracks no file in them): "
                     + ", ".join(f"{folder}/" for folder in stale))
    return "\n".join(lines)


def test_the_architecture_tree_names_every_tracked_folder_and_no_other():
    documented = documented_folders(DOC.read_text())
    assert all(what.strip() for what in documented.values())
    problems = folder_differences(set(documented), tracked_folders())
    assert not problems, problems


def test_the_check_names_the_folders_to_add_and_to_remove():
    """The check can fail: a new tracked folder is reported as one to add, a folder gone as one to remove."""
    tracked = tracked_folders()
    assert folder_differences(tracked, tracked) == ""
    assert folder_differences(tracked, tracked | {"models/staging/_a_new_folder"}) == (
        "add to the tree of docs/architecture.md (git tracks them): models/staging/_a_new_folder/")
    assert folder_differences(tracked, tracked - {"docs/bench"}) == (
        "remove from the tree of docs/architecture.md (git tracks no file in them): docs/bench/")


def test_a_folder_added_to_git_fails_the_check(tmp_path):
    """End to end, on a copy of git's index: a file added in a new folder makes the tree incomplete."""
    git_index = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-path", "index"], cwd=ROOT,
                               capture_output=True, check=True, text=True).stdout.strip()
    index = tmp_path / "index"
    shutil.copy(git_index, index)
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    probe = ROOT / "src" / "renewal_warehouse" / "_architecture_probe"
    probe.mkdir()
    try:
        (probe / "probe.py").write_text("")
        subprocess.run(["git", "add", "-f", "src/renewal_warehouse/_architecture_probe/probe.py"], cwd=ROOT,
                       check=True, env=env)
        tracked = tracked_folders(env)
    finally:
        shutil.rmtree(probe)
    assert "add to the tree of docs/architecture.md (git tracks them): src/renewal_warehouse/_architecture_probe/" in (
        folder_differences(set(documented_folders(DOC.read_text())), tracked))
