"""`rwh lookml`: LookML views and explores for the marts, parsed with lkml (Looker's grammar), whose measures
give the marts' figures when their SQL runs on the demo warehouse."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal

import duckdb
import lkml
import pytest

from renewal_warehouse.readers import lookml as rl


@pytest.fixture(scope="module")
def looker(demo_warehouse, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("lookml")
    target = demo_warehouse["work"] / "target"
    rl.write_lookml(out, target, connection="rwh_postgres")
    views = {}
    for path in sorted((out / "views").glob("*.view.lkml")):
        parsed = lkml.load(path.read_text())
        assert len(parsed["views"]) == 1, path
        views[parsed["views"][0]["name"]] = parsed["views"][0]
    model = lkml.load((out / "renewal_warehouse.model.lkml").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    return {"views": views, "model": model, "marts": {n["name"]: n for n in rl.marts_of(manifest)}}


def test_every_mart_has_a_view_with_every_column(looker):
    assert set(looker["views"]) == set(looker["marts"]) and len(looker["marts"]) >= 15
    for name, view in looker["views"].items():
        assert view["sql_table_name"] == f"marts.{name}"
        fields = {d["sql"].split(".")[-1] for d in view.get("dimensions", []) + view.get("dimension_groups", [])}
        assert fields == set(looker["marts"][name]["columns"]), name
        assert sum(d.get("primary_key") == "yes" for d in view.get("dimensions", [])) == 1, name
        for dimension in view.get("dimensions", []):
            column = looker["marts"][name]["columns"][dimension["name"]]
            assert dimension["description"] == column["description"]
            expected = {"boolean": "yesno", "bigint": "number", "varchar": "string"}.get(
                column["data_type"], "number")
            assert dimension["type"] == expected, (name, dimension["name"])


def test_aggregated_marts_open_on_one_slice(looker):
    """An explore on an aggregated mart filters one period type and segment type by default (no double count)."""
    explores = {e["name"]: e for e in looker["model"]["explores"]}
    assert looker["model"]["connection"] == "rwh_postgres"
    assert set(explores) == set(looker["marts"])
    for name, node in looker["marts"].items():
        groups = explores[name].get("always_filter", {}).get("filters__all", [])
        filters = {key for group in groups for item in group for key in item}
        if "segment_type" in node["columns"]:
            assert {f"{name}.period_type", f"{name}.segment_type"} <= filters, name
        else:
            assert not filters, name


def _measure_sql(view: dict, name: str, alias: str) -> str:
    """A LookML measure as SQL: sums of their expressions, numbers over other measures."""
    measure = next(m for m in view["measures"] if m["name"] == name)
    sql = measure["sql"].replace("${TABLE}", alias)
    if measure["type"] == "sum":
        return f"sum({sql})"
    return re.sub(r"\$\{(\w+)\}", lambda m: "(" + _measure_sql(view, m.group(1), alias) + ")", sql)


def test_an_explore_whose_measures_leave_roll_ups_out_opens_on_base_rows(looker):
    """pipeline_coverage's semantic measures count the size rows (its 'all' rows are roll-ups): its explore opens
    on segment_type size, where they add up to the whole book, not on 'all', where they would be zero."""
    explores = {e["name"]: e for e in looker["model"]["explores"]}
    groups = explores["pipeline_coverage"]["always_filter"]["filters__all"]
    filters = {key: value for group in groups for item in group for key, value in item.items()}
    assert filters["pipeline_coverage.segment_type"] == "size"
    groups = explores["retention"]["always_filter"]["filters__all"]
    assert {key: value for group in groups for item in group for key, value in item.items()}[
        "retention.segment_type"] == "all"


def test_the_measures_give_the_marts_figures(looker, demo_warehouse):
    con = duckdb.connect(str(demo_warehouse["db"]), read_only=True)
    try:
        renewals = looker["views"]["renewals"]
        looker_rates = dict(con.execute(
            f"select fiscal_quarter_label, {_measure_sql(renewals, 'logo_renewal_rate', 'r')} "
            "from marts.renewals as r group by 1").fetchall())
        mart_rates = con.execute("select period_label, logo_renewal_rate from marts.renewals_by_quarter "
                                 "where segment_type = 'all' and breakdown_value = 'all'").fetchall()
        assert len(mart_rates) > 10
        for label, rate in mart_rates:
            if rate is not None:
                assert abs(Decimal(str(looker_rates[label])) - rate) <= Decimal("0.0000005"), label
        # NRR on the atomic account_retention: each measure counts one period type, so no filter is needed.
        accounts = looker["views"]["account_retention"]
        looker_nrr = dict(con.execute(
            f"select period_label, {_measure_sql(accounts, 'quarterly_net_revenue_retention_rate', 't')} "
            "from marts.account_retention as t group by 1").fetchall())
        mart_nrr = con.execute("select period_label, net_revenue_retention_rate from marts.retention "
                               "where period_type = 'fiscal_quarter' and segment_type = 'all'").fetchall()
        compared = 0
        for label, rate in mart_nrr:
            if rate is not None:
                assert abs(Decimal(str(looker_nrr[label])) - rate) <= Decimal("0.0000005"), label
                compared += 1
        assert compared > 10
    finally:
        con.close()


def test_the_command_parses_the_project_and_writes_lookml(tmp_path):
    done = subprocess.run([sys.executable, "-m", "renewal_warehouse", "lookml", "--out", str(tmp_path / "lookml"),
                           "--connection", "bi"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "wrote " in done.stdout and "connection 'bi'" in done.stdout
    views = list((tmp_path / "lookml" / "views").glob("*.view.lkml"))
    assert len(views) >= 15
    assert lkml.load((tmp_path / "lookml" / "renewal_warehouse.model.lkml").read_text())["connection"] == "bi"


def test_a_missing_manifest_is_explained(tmp_path):
    with pytest.raises(rl.LookmlError, match="run `dbt parse`"):
        rl.write_lookml(tmp_path / "out", tmp_path / "no-target")
