"""What the semantic layer must give on any engine: `mf query` (MetricFlow, models/marts/<room>/_<room>__semantic.yml)
returns the marts' own figures. Used by test_semantic_layer.py (DuckDB) and test_semantic_layer_postgres.py."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
# The marts round rates to 6 decimals; MetricFlow divides unrounded sums.
TOLERANCE = Decimal("0.0000005")


class SemanticLayer:
    """`dbt parse` for one target (MetricFlow reads target/semantic_manifest.json), then `mf query` there."""

    def __init__(self, env: dict[str, str], work: Path):
        self.env = {**os.environ, **env}
        self.work = work
        parsed = subprocess.run([str(BIN / "dbt"), "parse", "--quiet"], cwd=ROOT, env=self.env,
                                capture_output=True, text=True)
        assert parsed.returncode == 0, parsed.stdout[-2000:] + parsed.stderr[-2000:]
        self.queries = 0
        self.saved_used: set[str] = set()

    def query(self, metrics: list[str], group_by: list[str], where: str | None = None) -> list[dict[str, str]]:
        args = ["--metrics", ",".join(metrics), "--group-by", ",".join(group_by)]
        return self._mf_query([*args, "--where", where] if where else args)

    def saved_queries(self) -> list[str]:
        manifest = json.loads((ROOT / "target" / "semantic_manifest.json").read_text())
        return sorted(q["name"] for q in manifest.get("saved_queries", []))

    def saved(self, name: str) -> list[dict[str, str]]:
        """A saved query's rows (models/marts/<room>/_<room>__semantic.yml), recorded as checked."""
        self.saved_used.add(name)
        return self._mf_query(["--saved-query", name])

    def _mf_query(self, args: list[str]) -> list[dict[str, str]]:
        self.queries += 1
        out = self.work / f"mf_{self.queries}.csv"
        done = subprocess.run([str(BIN / "mf"), "query", *args, "--csv", str(out)], cwd=ROOT, env=self.env,
                              capture_output=True, text=True)
        assert done.returncode == 0 and out.exists(), done.stdout[-3000:] + done.stderr[-2000:]
        with out.open() as f:
            return list(csv.DictReader(f))


def _dim(name: str) -> str:
    return "{{ Dimension('" + name + "') }}"


def _close(label: str, mf_value: str, mart_value) -> None:
    if mart_value is None:
        assert mf_value in ("", None), (label, mf_value)
        return
    assert abs(Decimal(mf_value) - Decimal(str(mart_value))) <= TOLERANCE, (label, mf_value, mart_value)


def check_all(mf: SemanticLayer, mart_rows: Callable[[str], list[tuple]]) -> dict[str, int]:
    """Every check; `mart_rows(sql)` runs SQL on the engine mf queries. Returns the values compared per metric.
    Where a dashboard panel group's saved query asks what a check needs, the check runs the saved query, and
    every saved query is checked so."""
    compared: dict[str, int] = {}

    # Logo renewal rate and gross dollar retention per fiscal quarter = renewals_by_quarter (the whole book).
    by_quarter = {r["renewal_event__fiscal_quarter_label"]: r for r in mf.saved("renewals_by_quarter")}
    for label, logo, gdr in mart_rows("select period_label, logo_renewal_rate, gross_dollar_retention_rate "
                                      "from marts.renewals_by_quarter "
                                      "where segment_type = 'all' and breakdown_value = 'all'"):
        if logo is None:
            continue
        _close(label, by_quarter[label]["logo_renewal_rate"], logo)
        _close(label, by_quarter[label]["gross_dollar_retention_rate"], gdr)
        compared["logo_renewal_rate"] = compared.get("logo_renewal_rate", 0) + 1

    # NRR, GRR and logo churn on the atomic account_retention, one metric per period type: the whole book per
    # period (no where: no roll-up row to leave out, no other period type to mix in) = the mart's 'all' rows, and
    # each size segment (grouped by the account's size) = the mart's size rows.
    prefixes = {"trailing_twelve_months": "", "fiscal_quarter": "quarterly_", "fiscal_year": "annual_",
                "month": "monthly_"}
    names = {period_type: [f"{prefix}net_revenue_retention_rate", f"{prefix}gross_revenue_retention_rate",
                           f"{prefix}logo_churn_rate"] for period_type, prefix in prefixes.items()}
    every = [name for group in names.values() for name in group]
    # Period labels are unique across period types: one query answers all four (the others' metrics are empty).
    whole = {r["account_period__period_label"]: r for r in mf.query(every, ["account_period__period_label"])}
    by_size = {(r["account_period__period_label"], r["account_period__size_segment"]): r for r in mf.query(
        every, ["account_period__period_label", "account_period__size_segment"])}
    for period_type, label, segment_type, value, nrr, grr, churn in mart_rows(
            "select period_type, period_label, segment_type, segment_value, net_revenue_retention_rate, "
            "gross_revenue_retention_rate, logo_churn_rate from marts.retention where segment_type in ('all', 'size')"):
        if nrr is None:
            continue
        row = whole[label] if segment_type == "all" else by_size[(label, value)]
        _close(label, row[names[period_type][0]], nrr)
        _close(label, row[names[period_type][1]], grr)
        _close(label, row[names[period_type][2]], churn)
        compared["net_revenue_retention_rate"] = compared.get("net_revenue_retention_rate", 0) + 1

    # The MRR movements per month = the retention mart's monthly totals.
    months = {r["metric_time__month"][:10]: r for r in mf.query(
        ["new_mrr", "expansion_mrr", "contraction_mrr", "churn_mrr", "reactivation_mrr"], ["metric_time__month"])}
    for start, new, expansion, contraction, churn, reactivation in mart_rows(
            "select cast(period_start_date as varchar(10)), new_mrr, expansion_mrr, contraction_mrr, churn_mrr, "
            "reactivation_mrr from marts.retention where period_type = 'month' and segment_type = 'all'"):
        row = months.get(start, {})
        for name, value in (("new_mrr", new), ("expansion_mrr", expansion), ("contraction_mrr", contraction),
                            ("churn_mrr", churn), ("reactivation_mrr", reactivation)):
            assert abs(Decimal(row.get(name) or "0") - Decimal(str(value))) <= Decimal("0.000001"), (start, name)
        compared["mrr_movements"] = compared.get("mrr_movements", 0) + 1

    # Save rate by ARR per fiscal quarter = save_rate (whole book, every renewal).
    saves = {r["renewal_event__fiscal_quarter_label"]: r for r in mf.saved("saves_by_quarter")}
    for label, rate in mart_rows("select period_label, arr_save_rate from marts.save_rate where period_type = "
                                 "'fiscal_quarter' and segment_type = 'all' and breakdown = 'all'"):
        if rate is not None:
            _close(label, saves[label]["arr_save_rate"], rate)
            compared["arr_save_rate"] = compared.get("arr_save_rate", 0) + 1

    # Cohort ARR retention, gross and net, and logo retention: one slice (quarterly cohorts, four quarters on).
    cohorts = {r["cohort_row__period_label"]: r for r in mf.saved("cohort_retention_four_quarters_on")}
    for label, gross, net, logo in mart_rows(
            "select period_label, gross_arr_retention_rate, net_arr_retention_rate, logo_retention_rate "
            "from marts.cohort_retention where period_type = 'fiscal_quarter' and periods_since_acquisition = 4"):
        _close(label, cohorts[label]["cohort_gross_arr_retention_rate"], gross)
        _close(label, cohorts[label]["cohort_net_arr_retention_rate"], net)
        _close(label, cohorts[label]["cohort_logo_retention_rate"], logo)
        compared["cohort_arr_retention_rate"] = compared.get("cohort_arr_retention_rate", 0) + 1

    # The team's forecast accuracy at both horizons = forecast_accuracy's team rows: MetricFlow sums the CSMs'
    # rows (the team's rows are left out as roll-ups), with no where.
    accuracy = {r["forecast_row__period_label"]: r for r in mf.saved("team_forecast_accuracy")}
    for label, horizon, rate in mart_rows(
            "select period_label, horizon, forecast_accuracy_rate from marts.forecast_accuracy "
            "where horizon in ('quarter_start', 'thirty_days_before_end') and is_team"):
        if rate is not None:
            metric = "forecast_accuracy_rate" + ("" if horizon == "quarter_start" else "_30_days_before_end")
            _close(label, accuracy[label][metric], rate)
            compared["forecast_accuracy_rate"] = compared.get("forecast_accuracy_rate", 0) + 1

    # Each CSM's accuracy at quarter start = their own row.
    csm = {(r["forecast_row__csm_user_id"], r["forecast_row__period_label"]): r
           for r in mf.saved("csm_forecast_accuracy")}
    for user, label, rate in mart_rows(
            "select csm_user_id, period_label, forecast_accuracy_rate from marts.forecast_accuracy "
            "where horizon = 'quarter_start' and not is_rollup"):
        if rate is not None:
            _close(f"{user} {label}", csm[(user, label)]["forecast_accuracy_rate"], rate)
            compared["csm_forecast_accuracy_rate"] = compared.get("csm_forecast_accuracy_rate", 0) + 1

    # The renewal likelihood model's accuracy at quarter start = its rows (with all five systems).
    model_rows = mart_rows("select period_label, forecast_accuracy_rate from marts.forecast_accuracy "
                           "where horizon = 'quarter_start' and is_model")
    model = {r["forecast_row__period_label"]: r for r in mf.saved("model_against_team_forecast")}
    for label, rate in model_rows:
        if rate is not None:
            _close(label, model[label]["model_forecast_accuracy_rate"], rate)
            compared["model_forecast_accuracy_rate"] = compared.get("model_forecast_accuracy_rate", 0) + 1

    # Weighted pipeline coverage with no where and no week: the latest weekly snapshot (non-additive over weeks),
    # the size rows summed (the 'all' rows are roll-ups) = the mart's 'all' row of the latest week per quarter.
    coverage = {r["pipeline_coverage_row__period_label"]: r for r in mf.saved("pipeline_coverage_latest_week")}
    for label, rate, weighted in mart_rows(
            "select period_label, coverage_rate, weighted_pipeline_arr from marts.pipeline_coverage "
            "where segment_type = 'all' "
            "and week_start_date = (select max(week_start_date) from marts.pipeline_coverage)"):
        _close(label, coverage[label]["pipeline_weighted_arr"], weighted)
        if rate is not None:
            _close(label, coverage[label]["weighted_pipeline_coverage_rate"], rate)
        compared["weighted_pipeline_coverage_rate"] = compared.get("weighted_pipeline_coverage_rate", 0) + 1

    # The executive retention panels' saved query = the retention mart's quarterly whole-book rows.
    quarters = {r["account_period__period_label"]: r for r in mf.saved("retention_by_quarter")}
    for label, nrr, grr in mart_rows("select period_label, net_revenue_retention_rate, gross_revenue_retention_rate "
                                     "from marts.retention where period_type = 'fiscal_quarter' "
                                     "and segment_type = 'all'"):
        if nrr is not None:
            _close(label, quarters[label]["quarterly_net_revenue_retention_rate"], nrr)
            _close(label, quarters[label]["quarterly_gross_revenue_retention_rate"], grr)

    # Every saved query (one per dashboard panel group) was run by a check above and equalled the marts.
    assert mf.saved_used == set(mf.saved_queries()), set(mf.saved_queries()) ^ mf.saved_used
    compared["saved_queries"] = len(mf.saved_used)
    return compared
