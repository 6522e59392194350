"""The rooms of the warehouse (issue 26, docs/architecture.md "Rooms and their boundaries"): one set of domain
folders across intermediate and marts, each a dbt group with an owner; intermediate models private to their
room unless another room reads them; no cycle between rooms; and dbt itself refusing a ref() across a room's
boundary. Every test reads the manifest of a `dbt parse`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_dbt

ROOMS_LAYERS = ("intermediate", "marts")


@pytest.fixture(scope="module")
def manifest(demo_warehouse) -> dict:
    """The manifest of the session's `dbt parse` (conftest's demo_warehouse: inside `make test` a parse of the
    warehouse test-duckdb published)."""
    return json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())


def _models(manifest: dict) -> dict[str, dict]:
    return {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}


def _expected_group(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "seeds":
        return "reference"
    if parts[1] == "staging":
        return "staging"
    return parts[2]  # models/<layer>/<room>/...


def test_every_model_and_seed_has_its_rooms_group_and_the_group_an_owner(manifest):
    groups = {g["name"]: g for g in manifest["groups"].values()}
    assert {"staging", "reference", "core", "contracts", "likelihood"} <= set(groups)
    for name, group in groups.items():
        owner = group["owner"]
        assert owner.get("name") or owner.get("email"), f"group {name} has no owner"
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    assert len(nodes) >= 120
    wrong = [f"{n['original_file_path']}: group {n['group']!r}, expected {_expected_group(n['original_file_path'])!r}"
             for n in nodes if n["group"] != _expected_group(n["original_file_path"])]
    assert wrong == []
    # meta.owner (what tools that read only meta see, e.g. dbt-score) repeats the group's owner
    owners = {name: group["owner"].get("name") or group["owner"].get("email") for name, group in groups.items()}
    stale = [f"{n['name']}: meta.owner {n['config']['meta'].get('owner')!r}, group owner {owners[n['group']]!r}"
             for n in nodes if n["config"]["meta"].get("owner") != owners[n["group"]]]
    assert stale == []


def test_intermediate_and_marts_share_one_set_of_rooms():
    """Both layers name their folders from the one list of rooms in models/_groups.yml; core and contracts
    hold no marts (everything reads them), risk no intermediate model (it reads the renewals' facts)."""
    text = (ROOT / "models" / "_groups.yml").read_text()
    rooms = set(re.findall(r"^  - name: (\S+)", text, re.M)) - {"staging", "reference"}
    folders = {layer: {p.name for p in (ROOT / "models" / layer).iterdir() if p.is_dir()} for layer in ROOMS_LAYERS}
    assert folders["intermediate"] | folders["marts"] == rooms
    assert {"core", "likelihood"} <= folders["intermediate"]
    assert "likelihood" in folders["marts"]


def _ordering_only(node: dict) -> set[str]:
    """The models a node names only on a `-- depends_on:` line: an order of building, not data it reads."""
    code = node["raw_code"]
    named = set(re.findall(r"^-- depends_on: \{\{ ref\('(\w+)'\) \}\}$", code, re.M))
    body = re.sub(r"^-- depends_on: .*$", "", code, flags=re.M)
    return {name for name in named if f"ref('{name}')" not in body}


# The one declared exception: the ledger of raw usage (staging) is written after the health room's incremental
# usage models, which read the published ledger (docs/incremental.md); it reads nothing of theirs.
ORDERING_ONLY = {("int_usage_account_days", "base_product__usage_daily_ledger"),
                 ("int_usage_user_blocks", "base_product__usage_daily_ledger"),
                 ("int_usage_account_weeks", "base_product__usage_daily_ledger")}


def _room_graph(manifest: dict) -> dict[str, set[str]]:
    """Which room reads which: an edge from the room of each model read to the room of its reader."""
    models = _models(manifest)
    graph: dict[str, set[str]] = {}
    ordering = set()
    for node in models.values():
        only = _ordering_only(node)
        for parent in node["depends_on"]["nodes"]:
            if parent in models and models[parent]["group"] != node["group"]:
                if models[parent]["name"] in only:
                    ordering.add((models[parent]["name"], node["name"]))
                    continue
                graph.setdefault(models[parent]["group"], set()).add(node["group"])
    assert ordering == ORDERING_ONLY
    return graph


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(room: str) -> list[str] | None:
        state[room] = 1
        stack.append(room)
        for child in sorted(graph.get(room, ())):
            if state.get(child) == 1:
                return stack[stack.index(child):] + [child]
            if child not in state and (cycle := visit(child)):
                return cycle
        stack.pop()
        state[room] = 2
        return None

    for room in sorted(graph):
        if room not in state and (cycle := visit(room)):
            return cycle
    return None


def test_no_cycle_between_rooms(manifest):
    graph = _room_graph(manifest)
    assert _find_cycle(graph) is None, f"rooms read each other: {' -> '.join(_find_cycle(graph))}"
    # The order docs/architecture.md gives: every room reads only rooms before it.
    order = ["staging", "reference", "core", "contracts", "revenue", "retention", "health", "renewals", "risk",
             "likelihood", "pipeline", "csm"]
    backwards = [f"{reader} reads {room}" for room, readers in graph.items() for reader in readers
                 if order.index(reader) < order.index(room)]
    assert backwards == []
    # The check can fail: one edge back from revenue to contracts closes a cycle.
    assert _find_cycle({**graph, "revenue": graph["revenue"] | {"contracts"}}) is not None


def test_a_room_shows_exactly_what_other_rooms_read(manifest):
    """Marts are public; an intermediate model is `protected` (its room's interface) exactly when a model,
    test or analysis outside its room reads it, and private otherwise; a staging base or integrity model is
    private unless another room reads it."""
    models = _models(manifest)
    outside: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        for parent in node["depends_on"].get("nodes", []):
            target = models.get(parent)
            if target is None or node.get("attached_node") == parent:
                continue
            if node.get("group") != target["group"]:
                outside.setdefault(parent, set()).add(node["name"])
    problems = []
    for uid, node in models.items():
        path, access = node["original_file_path"], node["access"]
        if path.startswith("models/marts/"):
            expected = "public"
        elif path.startswith("models/intermediate/") or "/base/" in path or "/_integrity/" in path:
            expected = "protected" if uid in outside else "private"
        else:  # staged views and the quarantine: the staging layer's interface
            expected = "protected"
        if access != expected:
            problems.append(f"{node['name']}: {access}, expected {expected} (read by {sorted(outside.get(uid, []))})")
    assert problems == []
    private = [n["name"] for n in models.values() if n["access"] == "private"
               and n["original_file_path"].startswith("models/intermediate/")]
    assert len(private) >= 5


def _copy_project(dst: Path) -> Path:
    dst.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, dst / name)
    for name in ("models", "macros", "seeds", "analyses", "tests/dbt"):
        shutil.copytree(ROOT / name, dst / name)
    return dst


def test_a_ref_across_a_private_boundary_fails_to_parse(manifest, tmp_path):
    """Shown once: a CSM mart that reads the contracts room's private priced lines is refused by dbt. Inside
    the room the same ref parses: the project's own bridged lines read it (the manifest parsed)."""
    nodes = manifest["nodes"]
    priced = "model.renewal_warehouse.int_contract_lines_priced"
    assert nodes[priced]["access"] == "private" and nodes[priced]["group"] == "contracts"
    assert priced in nodes["model.renewal_warehouse.int_contract_lines_bridged"]["depends_on"]["nodes"]
    project = _copy_project(tmp_path / "project")
    probe = "select * from {{ ref('int_contract_lines_priced') }}\n"
    (project / "models" / "marts" / "csm" / "probe_across.sql").write_text(probe)
    refused = run_dbt(["parse", "--no-partial-parse"], tmp_path, tmp_path / "empty.duckdb", tmp_path,
                      project=project)
    assert not refused.success
    assert "private to the 'contracts' group" in str(refused.exception)


def test_a_thin_mart_names_the_model_that_holds_its_logic():
    """A mart file either holds its logic or says which model does: a mart that only publishes one model's
    rows (one ref, no join, no aggregation) names that model in its header."""
    thin = 0
    for path in sorted((ROOT / "models" / "marts").rglob("*.sql")):
        text = path.read_text()
        header = re.match(r"\{#-(.*?)-#\}", text, re.S)
        assert header, f"{path.name}: no header comment"
        body = text[header.end():]
        refs = set(re.findall(r"ref\('(\w+)'\)", body))
        if len(refs) == 1 and not re.search(r"\bjoin\b|\bgroup by\b", body, re.I):
            thin += 1
            (model,) = refs
            assert model in header.group(1), f"{path.name} publishes {model} but its header does not say so"
    assert thin >= 2
