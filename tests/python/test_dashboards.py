"""The dashboards (issue 13): every number a page shows is a value of the marts, and each page renders in
headless Chromium with its titles and charts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from renewal_warehouse.pipeline import build as rb
from renewal_warehouse.readers import dashboards
from test_docs_site import CHROMIUM, FLAGS, _png_colours

RECORD = ("a1b2c3d4-build", "incremental", "1.11.16", datetime(2026, 10, 1, 6, 0), datetime(2026, 10, 1, 6, 4),
          datetime(2026, 10, 1, 6, 5))


@pytest.fixture(scope="module")
def rendered(demo_warehouse, tmp_path_factory) -> tuple[Path, list[Path], dict]:
    """The demo warehouse, published with a build record as `rwh build` writes it, rendered."""
    out = tmp_path_factory.mktemp("dashboards")
    db = tmp_path_factory.mktemp("published") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse["db"], db)
    con = duckdb.connect(str(db))
    rb._write_build_record(con, RECORD, "?")
    con.close()
    fetch, close = dashboards.duckdb_fetch(db)
    said: list[str] = []
    try:
        specs = {p.name: p for p in dashboards.all_pages(fetch)}
        written = dashboards.render(fetch, out, str(db), progress=said.append)
    finally:
        close()
    assert len(specs) > len(dashboards.PAGES) + 5  # the team pages and a page per CSM
    assert len(said) == len(specs) and said[-1].endswith(list(specs)[-1])  # the progress bar
    return db, written, specs


def test_every_number_on_a_page_is_a_mart_value(rendered):
    db, written, specs = rendered
    fetch, close = dashboards.duckdb_fetch(db)
    rows_of: dict[str, int] = {}
    try:
        for page in written[1:]:
            panels = dashboards.embedded_panels(page.read_text())
            assert [p["panel"] for p in panels] == [p.id for p in specs[page.stem].panels]
            for p in panels:
                rows_of[p["panel"]] = rows_of.get(p["panel"], 0) + len(p["rows"])
            if not page.stem.startswith("csm_"):
                assert all(p["rows"] for p in panels), [p["panel"] for p in panels if not p["rows"]]
            assert dashboards.differences(panels, fetch) == []
            # and the comparison sees one moved number
            first = panels[0]
            column = next(c for c in first["columns"] if c.endswith(("_arr", "_rate", "_share")) or c == "arr")
            first["rows"][0][first["columns"].index(column)] = "0.123"
            assert len(dashboards.differences(panels, fetch)) == 1
    finally:
        close()
    # every panel shows rows on some page (a CSM may have no at-risk renewal; the team has)
    assert all(rows_of.values()), rows_of


def test_the_shown_numbers_are_the_embedded_ones(rendered):
    """The tiles show the embedded value, formatted (the executive page's renewed ARR)."""
    _, written, _ = rendered
    page = next(p for p in written if p.stem == "executive").read_text()
    panel = next(p for p in dashboards.embedded_panels(page) if p["panel"] == "renewal_headline")
    renewed = panel["rows"][0][panel["columns"].index("renewed_arr")]
    assert dashboards.show(renewed, "usd") in page


def test_each_page_renders_with_its_titles_and_charts(rendered, tmp_path):
    assert CHROMIUM, "chromium is missing: scripts/ensure-chromium.sh (run by `make test`) installs it"
    _, written, specs = rendered
    for page in written[1:6]:  # the four team pages and the first CSM's
        spec = specs[page.stem]
        dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'dom'}", "--dump-dom",
                              f"file://{page}"], capture_output=True, text=True, timeout=120).stdout
        shown = re.sub(r"<script.*?</script>", "", dom, flags=re.S)
        for panel in spec.panels:
            assert panel.title in shown, panel.title
        charts = sum(p.chart in ("line", "bar") for p in spec.panels)
        assert shown.count('class="main-svg"') >= charts > 0  # Plotly drew every chart (offline)
        shot = tmp_path / f"{page.stem}.png"
        subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'shot'}", "--window-size=1400,1700",
                        f"--screenshot={shot}", f"file://{page}"], capture_output=True, timeout=120)
        assert _png_colours(shot) > 50, f"{page.name} looks blank"
    index = written[0].read_text()
    assert all(f'href="{name}.html"' in index for name in specs)


def test_the_index_names_the_as_of_date_and_the_build(rendered):
    db, written, _ = rendered
    index = written[0].read_text()
    con = duckdb.connect(str(db), read_only=True)
    as_of = con.execute("select max(snapshot_date) from marts.account_health").fetchall()[0][0]
    con.close()
    assert f"As of {as_of}" in index
    assert "build a1b2c3d4-build (incremental, published 2026-10-01 06:05:00 UTC)" in index
    # every page says it too
    assert all("a1b2c3d4-build" in page.read_text() for page in written[1:])


def test_each_dashboard_is_an_exposure_reading_exactly_its_marts(demo_warehouse):
    """The exposures (models/marts/<room>/_<room>__exposures.yml) are the pages' contract: a page reads the marts its
    exposure depends on, all of them and no other, and the exposure's url is the page."""
    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    pages = (*dashboards.PAGES, dashboards.csm_page("U0001"))
    assert {p.exposure for p in pages} == set(exposures)
    for page in pages:
        exposure = exposures[page.exposure]
        declared = {"marts." + node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
        assert page.relations() == declared, (page.name, page.relations() ^ declared)
        expected = "index.html" if page.name.startswith("csm_") else f"{page.name}.html"
        assert exposure["url"] == f"target/dashboards/{expected}"


def test_each_saved_query_answers_real_dashboard_panels(demo_warehouse):
    """A saved query per dashboard panel group (models/marts/<room>/_<room>__semantic.yml): its meta names the
    panels it answers as page.panel, every one a panel of a page, and each panel is answered by one query at most.
    That the queries run and equal the marts is semantic_checks.py's."""
    manifest = json.loads((demo_warehouse["work"] / "target" / "manifest.json").read_text())
    queries = list(manifest["saved_queries"].values())
    assert len(queries) >= 8
    panels = {f"{page.name}.{panel.id}" for page in dashboards.PAGES for panel in page.panels}
    named = [panel for query in queries for panel in query["config"]["meta"]["panels"]]
    assert set(named) <= panels, set(named) - panels
    assert len(named) == len(set(named))
    for query in queries:
        assert query["query_params"]["metrics"], query["name"]
