"""Marts are built from the intermediate layer (issue 11): no mart reads another mart, and no mart reads a
source. BI tools and the semantic layer read marts; the marts' logic lives where other models can reuse it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from renewal_warehouse.pipeline.vendors import vendors


def test_no_mart_reads_another_mart_or_a_source(demo_warehouse):
    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    nodes = manifest["nodes"]
    marts = {uid for uid, n in nodes.items()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")}
    assert len(marts) >= 15
    offenders = []
    for uid in marts:
        for parent in nodes[uid]["depends_on"]["nodes"]:
            if parent in marts or parent.startswith("source."):
                offenders.append(f"{nodes[uid]['name']} reads {parent}")
    assert offenders == []


STAGING_EDGES = Path(__file__).resolve().parents[1] / "staging_edges.csv"


def _vendor_edge(parent: str, child: str) -> bool:
    """A vendor adapter's own chain (models/staging/<system>/<vendor>/): the vendor's tables into its base_ and
    adapt_ models, those into each other, and adapt_<vendor>__<table> into what the contract table it makes feeds
    (the adapter is that raw table): its base model, and for usage its staged view and ledger. An adapter may also
    read the contract-format tables of its own system that it does not replace (they arrive beside the vendor's:
    Salesforce's opportunities stay visible while a CRM activity names them)."""
    for vendor in vendors().values():
        own = (f"base_{vendor.name}__", f"adapt_{vendor.name}__")
        if (parent.startswith(f"{vendor.name}.") or parent.startswith(own)) and child.startswith(own):
            return True
        if parent.startswith(f"{vendor.system}.") and parent.split(".")[1] not in vendor.replaces \
                and child.startswith(own):
            return True
        if parent.startswith(f"adapt_{vendor.name}__"):
            table = parent[len(f"adapt_{vendor.name}__"):]
            if table in vendor.replaces and child in (f"base_{vendor.system}__{table}",
                                                      f"stg_{vendor.system}__{table}",
                                                      f"base_{vendor.system}__{table}_ledger"):
                return True
    return False


def _own_table_edge(parent: str, child: str) -> bool:
    """The one chain a raw table's rows go through: source -> base -> integrity -> staged, and the base and
    integrity models into the quarantine. `parent` is a model name or a source's 'system.table'."""
    if _vendor_edge(parent, child):
        return True
    if "." in parent:  # a source: read by its own base model (and, for usage, its staged view and ledger)
        system, table = parent.split(".")
        return child.endswith(f"_{system}__{table}") or child == f"base_{system}__{table}_ledger"
    for prefix in ("base_", "integrity_"):
        if parent.startswith(prefix):
            table = parent[len(prefix):]
            if child in (f"integrity_{table}", f"stg_{table}", f"base_{table}_ledger"):
                return True
            if child in ("quarantined_rows", "quarantined_contract_lines"):
                return True
    return False


def staging_edge_problems(manifest: dict) -> list[str]:
    """What breaks the staging layer's lineage rules in a parsed project (manifest.json): an edge into a staging
    model neither within one raw table's chain (or a vendor adapter's) nor declared in tests/staging_edges.csv,
    a declared edge the project lacks, a base model reading anything but its own raw table."""
    nodes = manifest["nodes"]
    staging = {uid: n for uid, n in nodes.items()
               if n["resource_type"] == "model" and n["original_file_path"].startswith("models/staging/")}
    assert len(staging) >= 40
    edges = set()
    for node in staging.values():
        for parent in node["depends_on"]["nodes"]:
            if parent.startswith("source."):
                edges.add((parent.split(".", 2)[2], node["name"]))
            elif parent.startswith("model."):
                edges.add((nodes[parent]["name"], node["name"]))
    with STAGING_EDGES.open() as fh:
        declared = {(row["parent"], row["child"]) for row in csv.DictReader(fh)}
    problems = [f"undeclared staging edge {p} -> {c} (neither within one raw table's chain nor in "
                "tests/staging_edges.csv)" for p, c in sorted(e for e in edges if not _own_table_edge(*e)
                                                              and e not in declared)]
    problems += [f"declared in tests/staging_edges.csv but not in the project: {p} -> {c}"
                 for p, c in sorted(declared - edges)]
    problems += [f"base model {c} reads {p}, not only its own raw table" for p, c in sorted(edges)
                 if c.startswith("base_") and not c.endswith("_ledger") and not _vendor_edge(p, c)
                 and p != c.replace("base_", "").replace("__", ".", 1) and (p, c) not in declared]
    return problems


def test_staging_reads_only_its_own_source_and_the_declared_edges(demo_warehouse):
    """Base models read only their own raw table; every other edge into a staging model (another table's
    staged rows, an integrity lookup, the FX rates) is declared, with its reason, in tests/staging_edges.csv,
    and every declared edge exists (issue 26). A vendor adapter's edges: test_vendors.py."""
    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    assert staging_edge_problems(manifest) == []


def test_the_integrity_tables_are_the_integrity_models(demo_warehouse):
    """rwh_integrity_tables() (what the quarantine and the conservation test read) names exactly the
    integrity models of models/staging/_integrity/."""
    macro = (Path(__file__).resolve().parents[2] / "macros" / "staging" / "rwh_integrity_tables.sql").read_text()
    listed = set(re.findall(r"^\s+'(\w+)\.(\w+)': \[", macro, flags=re.M))
    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    models = {tuple(n["name"].removeprefix("integrity_").split("__")) for n in manifest["nodes"].values()
              if n["resource_type"] == "model" and n["name"].startswith("integrity_")}
    assert len(models) >= 15
    assert listed == models
