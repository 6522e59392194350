"""Each vendor's page (docs/sources/<vendor>.md) lists every table and column its adapter reads, from the spec in
src/renewal_warehouse/pipeline/vendors/, each column under its table with its type, and no other table."""

from __future__ import annotations

import pytest

from conftest import ROOT
from renewal_warehouse.pipeline.vendors import vendors


@pytest.mark.parametrize("name", sorted(vendors()))
def test_the_vendor_page_lists_every_table_and_column_read(name):
    vendor = vendors()[name]
    text = (ROOT / "docs" / "sources" / f"{name}.md").read_text()
    listed = text.split("## Tables and columns read")[1]
    sections = {part.split("`")[0]: part for part in listed.split("### `")[1:]}
    assert set(sections) == {t.name for t in vendor.tables}
    for t in vendor.tables:
        for c in t.columns:
            assert f"| `{c.name}` | {c.type} |" in sections[t.name], (t.name, c.name)
        if t.parent:
            assert f"Must not be empty while `{t.parent}` has rows." in sections[t.name], t.name
        assert ("Not checked for freshness" in sections[t.name]) == (not t.fresh), t.name


def test_the_sources_index_links_every_vendor_page():
    index = (ROOT / "docs" / "sources" / "README.md").read_text()
    for name in vendors():
        assert f"({name}.md)" in index, name
