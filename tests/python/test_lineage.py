"""Marts are built from the intermediate layer (issue 11): no mart reads another mart, and no mart reads a
source. BI tools and the semantic layer read marts; the marts' logic lives where other models can reuse it."""

from __future__ import annotations

import json


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
