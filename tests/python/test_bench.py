"""The benchmark's report: tiers are checked, and the chart draws what results.json holds."""

from __future__ import annotations

import pytest

from renewal_warehouse.devtools import bench


def _tier(wall: float, cpu_per_1000: float, ratios: tuple[float | None, ...]) -> dict:
    models = ["base_product__usage_daily", "int_usage_account_days", "int_usage_user_blocks"]
    return {"full_build": {"wall_seconds": wall}, "cpu_seconds_per_1000_account_years": cpu_per_1000,
            "usage_models": {m: {"ratio": r} for m, r in zip(models, ratios, strict=True)}}


def test_the_chart_shows_every_tier_and_ratio():
    results = {"machine": "2 cores, 24 GB", "measured_at": "2026-11-30T00:00:00Z",
               "tiers": {"S": _tier(120, 9.5, (1.2, 1.4, 1.1)), "M": _tier(600, 11.25, (1.5, None, 1.3))}}
    svg = bench.svg_chart(results)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert ">2<" in svg and ">10<" in svg  # wall minutes of S and M
    assert "9.5" in svg and "11.25" in svg
    assert "1.5x" in svg and "n/a" in svg  # a missing ratio is said, not drawn as zero
    assert svg.count("<rect") == 1 + 2 + 2 + 5  # background, 2 wall bars, 2 CPU bars, 5 known ratios
    assert "S +1 day" in svg  # no incremental figures: said as n/a, not drawn


def test_the_chart_draws_the_one_day_incremental_run():
    tier = _tier(600, 11.25, (1.5, 1.2, 1.3)) | {"incremental_one_day": {"returncode": 0, "wall_seconds": 30}}
    svg = bench.svg_chart({"machine": "2 cores, 24 GB", "measured_at": "2026-11-30T00:00:00Z", "tiers": {"M": tier}})
    assert svg.count("<rect") == 1 + 2 + 1 + 3
    assert ">0.5<" in svg and "M +1 day" in svg


def test_the_table_has_a_row_per_tier_with_its_figures():
    tier = _tier(3600, 12.0, (1.1, 1.2, None)) | {
        "accounts": 100_000, "years": 5.0,
        "generation": {"usage_rows": 474_000_000, "wall_seconds": 540, "peak_rss_mb": 2048}}
    tier["full_build"] |= {"cpu_seconds": 5400, "peak_rss_mb": 5632, "peak_spill_mb": 10240, "failed": []}
    table = bench.markdown_table({"machine": "2 cores, 24 GB", "measured_at": "2026-11-30T00:00:00Z",
                                  "tiers": {"L": tier}})
    row = table.strip().splitlines()[-1]
    assert row == ("| L | 100,000 x 5 | 474,000,000 | 9.0 min, 2.0 GB | 60.0 min | 90.0 min | 5.5 GB | 10.0 GB | "
                   "12.0 | 1.1x, 1.2x, n/a | not measured | not measured |")
    tier["incremental_one_day"] = {"returncode": 0, "wall_seconds": 90.4, "share_of_full_build": 0.0251,
                                   "peak_rss_mb": 3072}
    tier["incremental_no_change"] = {"returncode": 1, "failed": ["a", "b"]}
    table = bench.markdown_table({"machine": "2 cores, 24 GB", "measured_at": "2026-11-30T00:00:00Z",
                                  "tiers": {"L": tier}})
    assert table.strip().endswith("| 90 s (3% of the full build), 3.0 GB | failed (2 nodes) |")
    tier["incremental_no_change"] = {"returncode": 0, "wall_seconds": 60, "share_of_full_build": 0.0167,
                                     "peak_rss_mb": 2048, "retried_after": "INTERNAL Error: dict-surviving cache"}
    table = bench.markdown_table({"machine": "2 cores, 24 GB", "measured_at": "2026-11-30T00:00:00Z",
                                  "tiers": {"L": tier}})
    assert table.strip().endswith("| 60 s (2% of the full build), 2.0 GB (with one retry after a DuckDB fault) |")


def test_the_marginal_cpu_is_the_extra_cost_over_the_extra_account_years():
    def tier(accounts: int, cpu: float) -> dict:
        return {"accounts": accounts, "years": 5.0, "full_build": {"cpu_seconds": cpu}}

    results = {"tiers": {"S": tier(1_000, 40.0), "M": tier(10_000, 130.0), "L": tier(100_000, 1030.0)}}
    # M: 90 s more over 45,000 more account-years; L: 900 s more over 450,000 more
    assert bench.marginal_cpu(results) == {"M": 2.0, "L": 2.0}
    assert bench.marginal_cpu({"tiers": {"S": tier(1_000, 40.0), "L": tier(100_000, 535.0)}}) == {"L": 1.0}


def test_an_unknown_tier_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--tiers", "S,XL"])
    assert exc.value.code == 2
    assert "unknown tier(s) XL" in capsys.readouterr().err


def test_the_renewal_model_line_says_its_held_out_figures():
    model = {"renewals": 3677, "held_out_from": "2025-10-01", "training_renewals": 10781, "base_rate": 0.7756,
             "brier": 0.16700, "base_rate_brier": 0.17407, "auc": 0.6428, "simulation_auc": 0.7084,
             "bands": [{"within_interval": True}] * 4 + [{"within_interval": False}], "bands_within_interval": 4}
    table = bench.renewal_model_table({"tiers": {"S": {}, "M": {"renewal_model": model}}})
    assert table.strip().splitlines()[-1] == (
        "| M | 3,677 from 2025-10-01 (10,781) | 77.6% | 0.1670 (0.1741) | 0.643 (0.708) | 4 of 5 |")
    assert bench.renewal_model_table({"tiers": {"S": {}}}) == ""
    failed = bench.renewal_model_table({"tiers": {"S": {"renewal_model": {"error": "no renewal to learn from"}}}})
    assert "| S | no renewal to learn from |" in failed


def test_the_renewal_model_forecast_line_says_model_against_team():
    def horizon(quarters, model, team, closer):
        return {"quarters": quarters, "model_points": model, "team_points": team, "model_closer": closer}

    model = {"renewals": 3677, "held_out_from": "2025-10-01", "training_renewals": 10781, "base_rate": 0.7756,
             "brier": 0.16700, "base_rate_brier": 0.17407, "auc": 0.6428, "simulation_auc": 0.7084,
             "bands": [{"within_interval": True}] * 5, "bands_within_interval": 5,
             "forecast": {"quarter_start_held_out": horizon(3, 5.82, 5.21, 1),
                          "quarter_start_all": horizon(20, 4.26, 5.29, 15),
                          "thirty_days_before_end_held_out": horizon(0, None, None, 0),
                          "thirty_days_before_end_all": horizon(20, 4.38, 0.74, 0)}}
    lines = bench.renewal_model_table({"tiers": {"M": {"renewal_model": model}}}).strip().splitlines()
    assert lines[-2] == "| M | quarter start | 5.8 / 5.2, 1 of 3 | 4.3 / 5.3, 15 of 20 |"
    assert lines[-1] == "| M | thirty days before end | none | 4.4 / 0.7, 0 of 20 |"
