"""The renewal likelihood model (issue 14, docs/renewal-likelihood.md): scored in SQL exactly as the library
predicts, from features that know nothing after T-90, with an evaluation mart that agrees with an independent
computation, and the planted effects of the simulation recovered with the right sign."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import timedelta

import duckdb
import numpy as np
import pytest

from conftest import ROOT, run_dbt
from renewal_warehouse.readers import dashboards, train

SIGNALS = {  # raw table: (date column, what a later row is)
    "product/usage_daily": "usage_date",
    "support/tickets": "created_at",
    "cs_platform/survey_responses": "responded_at",
    "crm/value_reviews": "scheduled_date",
    "crm/sponsor_changes": "changed_date",
    "cs_platform/risk_flags": "flagged_date",
    "crm/activities": "occurred_at",
}


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    fetch, close = dashboards.duckdb_fetch(demo_warehouse["db"])
    yield fetch
    close()


def _seeded_model(fetch) -> train.Model:
    """The model the warehouse scored with, read back from its seeds."""
    _, rows = fetch("select feature, feature_mean, feature_scale, coefficient "
                    "from reference.ref_renewal_model_coefficients")
    by_feature = {r[0]: [float(v) for v in r[1:]] for r in rows}
    data = train.load(fetch)
    _, training = fetch("select held_out_from_date, training_renewal_rate, training_gross_renewed_ratio, "
                        "training_late_signing_share from reference.ref_renewal_model_training")
    features = data.features
    return train.Model(features, np.array([by_feature[f][0] for f in features]),
                       np.array([by_feature[f][1] for f in features]),
                       np.array([by_feature[f][2] for f in features]), by_feature["intercept"][2],
                       training[0][0], 0, float(training[0][1]), 0, "seed",
                       training_gross_renewed_ratio=float(training[0][2]),
                       training_late_signing_share=float(training[0][3]))


def test_the_sql_score_equals_the_librarys_prediction(demo):
    """scikit-learn's LogisticRegression, given the seed's coefficients, predicts every renewal's probability
    from the same features as the SQL model does (to its 9 decimals)."""
    from sklearn.linear_model import LogisticRegression

    model = _seeded_model(demo)
    columns, rows = demo("select f.*, l.renewal_probability, l.likelihood_score "
                         "from intermediate.int_renewal_model_features as f "
                         "inner join intermediate.int_renewal_likelihood as l using (renewal_event_id) "
                         "order by renewal_event_id")
    index = {c: i for i, c in enumerate(columns)}
    x = np.array([[np.nan if r[index["x_" + f]] is None else float(r[index["x_" + f]]) for f in model.features]
                  for r in rows])
    regression = LogisticRegression()
    regression.classes_ = np.array([0.0, 1.0])
    regression.coef_ = model.coefficients.reshape(1, -1)
    regression.intercept_ = np.array([model.intercept])
    library = regression.predict_proba(model.standardise(x))[:, 1]
    sql = np.array([float(r[index["renewal_probability"]]) for r in rows])
    assert len(rows) > 400 and np.isnan(x).any(), "the demo has missing features: imputation is exercised"
    assert np.max(np.abs(library - sql)) < 1e-8
    assert np.max(np.abs(model.score(x) - np.array([float(r[index["likelihood_score"]]) for r in rows]))) < 1e-8


def test_the_committed_seeds_are_the_demo_fit(demo_warehouse):
    """`rwh train --check` refits on the demo warehouse and finds the committed seeds; a changed coefficient
    is reported."""
    args = [sys.executable, "-m", "renewal_warehouse", "train", "--warehouse", str(demo_warehouse["db"])]
    done = subprocess.run([*args, "--check"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "AUC" in done.stdout and "held out" in done.stdout
    seeds = demo_warehouse["work"] / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    path = seeds / train.COEFFICIENTS_SEED
    lines = path.read_text().splitlines()
    name, mean, scale, coefficient = lines[3].split(",")
    lines[3] = ",".join([name, mean, scale, str(float(coefficient) + 0.001)])
    path.write_text("\n".join(lines) + "\n")
    done = subprocess.run([*args, "--check", "--seeds-dir", str(seeds)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1 and f"coefficient of {name}" in done.stderr


def test_the_evaluation_mart_agrees_with_the_library(demo):
    """Brier score, AUC (scikit-learn's roc_auc_score) and base rates of the held-out and training renewals,
    computed in Python from the scored rows, equal the SQL mart's all_time rows; the reliability table
    partitions the same renewals."""
    from sklearn.metrics import roc_auc_score

    _, rows = demo("select is_held_out, is_renewed, renewal_probability from intermediate.int_renewal_likelihood "
                   "where is_evaluated")
    _, training = demo("select training_renewal_rate from reference.ref_renewal_model_training")
    rate = float(training[0][0])
    columns, marts = demo("select * from marts.renewal_model_evaluation "
                          "where period_type = 'all_time' and segment_type = 'all'")
    assert {m[columns.index("breakdown_value")] for m in marts} == {"training", "held_out"}
    for mart in marts:
        row = dict(zip(columns, mart, strict=True))
        chosen = [r for r in rows if r[0] == (row["breakdown_value"] == "held_out")]
        y = np.array([1.0 if r[1] else 0.0 for r in chosen])
        p = np.array([float(r[2]) for r in chosen])
        assert row["renewal_count"] == len(chosen) and row["renewed_count"] == y.sum()
        assert float(row["observed_renewal_rate"]) == pytest.approx(y.mean(), abs=1e-6)
        assert float(row["brier_score"]) == pytest.approx(np.mean((p - y) ** 2), abs=1e-6)
        assert float(row["base_rate_brier_score"]) == pytest.approx(np.mean((rate - y) ** 2), abs=1e-6)
        assert float(row["auc"]) == pytest.approx(roc_auc_score(y, p), abs=1e-6)
    evaluated = {dict(zip(columns, m, strict=True))["breakdown_value"]: dict(zip(columns, m, strict=True))
                 for m in marts}
    _, bands = demo("select breakdown_value, sum(renewal_count), sum(renewed_count) "
                    "from marts.renewal_model_reliability where period_type = 'all_time' group by 1")
    assert {b[0]: (b[1], b[2]) for b in bands} == {
        k: (v["renewal_count"], v["renewed_count"]) for k, v in evaluated.items()}


def test_the_model_forecast_agrees_with_an_independent_computation(demo):
    """Every quarter and horizon of the model's forecast in marts.forecast_accuracy, recomputed in Python
    (train.forecast_figures) from the features, the renewal events and the seeded model, with what each
    forecast day knew (signed, lapsed, late, scored, not yet scored): equal to the cent; and the team's
    forecasts are not all within 10 % of the actual (the simulated CSMs do not know the outcome)."""
    _, marts = demo("select period_start_date, horizon, forecast_renewed_arr, actual_renewed_arr "
                    "from marts.forecast_accuracy where is_model and is_actual_final")
    mart = {(r[0].isoformat(), r[1]): (float(r[2]), float(r[3])) for r in marts}
    quarters = train.forecast_figures(demo, _seeded_model(demo))["quarters"]
    assert len(quarters) >= 20 and {(q["period_start_date"], q["horizon"]) for q in quarters} <= set(mart)
    for q in quarters:
        forecast, actual = mart[(q["period_start_date"], q["horizon"])]
        assert (q["forecast"], q["actual"]) == pytest.approx((forecast, actual), abs=0.01), q
    assert max(abs(1 - q["team_accuracy"]) for q in quarters if q["horizon"] == "quarter_start") > 0.10


def test_every_renewal_has_three_factors_in_words(demo):
    columns, rows = demo("select factor_1, factor_2, factor_3, factor_1_contribution, factor_2_contribution, "
                         "factor_3_contribution from marts.renewal_likelihood")
    assert rows and all(r[0] and r[1] and r[2] for r in rows)
    assert all(abs(r[3]) >= abs(r[4]) >= abs(r[5]) for r in rows)
    phrases = {p for r in rows for p in r[:3]}
    assert any(p.startswith("usage down ") and p.endswith(" % in 60 days") for p in phrases)
    assert "no value review" in phrases and any(p.startswith("risk flag open (") for p in phrases)


def test_the_planted_effects_are_recovered_with_the_right_sign(demo, demo_warehouse):
    """The fitted coefficients point the way the simulation's effects do (effects.py): a larger segment renews
    more, a value review helps, an open risk flag and the signs of low health (usage falling, poor CSAT) hurt;
    and the model's probabilities rank renewals as the simulation's own probabilities do."""
    model = train.fit(train.load(demo))
    coefficient = dict(zip(model.features, model.coefficients, strict=True))
    assert coefficient["is_enterprise"] > 0 and coefficient["is_value_review_done"] > 0
    assert coefficient["is_at_risk_t90"] < 0
    assert coefficient["usage_change_60d"] > 0 and coefficient["csat_60d"] > 0
    truth = demo_warehouse["raw"] / "_truth" / "renewal_events.parquet"
    _, pairs = demo("select l.renewal_probability, t.renewal_probability from marts.renewal_likelihood l "
                    f"inner join read_parquet('{truth}') t on t.contract_id = l.renewal_event_id "
                    "where t.renewal_probability is not null")
    model_p, truth_p = np.array(pairs, dtype=float).T
    assert np.corrcoef(model_p, truth_p)[0, 1] > 0.3


def _move_after(raw, cutoffs: dict[str, object], shift_days: int) -> int:
    """Delete every signal row of the given accounts dated after its cutoff (+ shift_days) and move the
    resolution of risk flags resolved after it later; returns the rows touched."""
    con = duckdb.connect()
    con.execute("create table cutoffs (account_id varchar, cutoff date)")
    con.executemany("insert into cutoffs values (?, ?)",
                    [(a, c + timedelta(days=shift_days)) for a, c in cutoffs.items()])
    touched = 0
    for table, column in SIGNALS.items():
        path = raw / f"{table}.parquet"
        con.execute(f"create or replace table t as select * from read_parquet('{path}')")
        before = con.execute("select count(*) from t").fetchone()[0]
        con.execute(f"delete from t using cutoffs where t.account_id = cutoffs.account_id "
                    f"and cast(t.{column} as date) > cutoffs.cutoff")
        if table == "cs_platform/risk_flags":
            touched += con.execute("update t set resolved_date = resolved_date + 30 from cutoffs "
                                   "where t.account_id = cutoffs.account_id "
                                   "and t.resolved_date > cutoffs.cutoff").fetchone()[0]
        touched += before - con.execute("select count(*) from t").fetchone()[0]
        con.execute(f"copy t to '{path}' (format parquet)")
    return touched


def _scores(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0]: r[1:] for r in con.execute(
            "select renewal_event_id, renewal_probability, factor_1, factor_2, factor_3, "
            "x_health_score_t90 from intermediate.int_renewal_likelihood "
            "inner join intermediate.int_renewal_model_features using (renewal_event_id)").fetchall()}
    finally:
        con.close()


def test_no_feature_uses_data_after_t90(warehouse, tmp_path):
    """Every signal row dated after an account's latest scored T-90 is deleted (usage, tickets, surveys,
    reviews, sponsor changes, risk flags raised later, activities) and later flag resolutions are moved a
    month on, for every other account: no score, factor or feature of theirs changes. The same change made
    30 days earlier (reaching before T-90) does change scores: the test can fail."""
    base = _scores(warehouse["db"])
    con = duckdb.connect(str(warehouse["db"]), read_only=True)
    latest = dict(con.execute("select account_id, max(t90_date) from intermediate.int_renewal_model_features "
                              "group by 1 order by 1").fetchall())
    con.close()
    chosen = {a: c for i, (a, c) in enumerate(sorted(latest.items())) if i % 2 == 0}
    chosen_events = {e for e, in duckdb.connect(str(warehouse["db"]), read_only=True).execute(
        "select renewal_event_id from intermediate.int_renewal_model_features where account_id in "
        f"({', '.join(repr(a) for a in chosen)})").fetchall()}
    assert len(chosen_events) >= 10
    results = {}
    for name, shift in (("after_t90", 0), ("before_t90", -30)):
        raw = tmp_path / name / "raw"
        shutil.copytree(warehouse["raw"], raw)
        assert _move_after(raw, chosen, shift) > 100
        db = tmp_path / name / "warehouse.duckdb"
        result = run_dbt(["build", "--select", "+int_renewal_likelihood", "--indirect-selection", "cautious"],
                         raw, db, tmp_path / name)
        assert result.success, result.exception or result.result
        results[name] = _scores(db)
    after = results["after_t90"]
    assert {e: after.get(e) for e in chosen_events} == {e: base[e] for e in chosen_events}
    before = results["before_t90"]
    assert sum(before.get(e) != base[e] for e in chosen_events) >= 3


def test_the_bench_figures_are_the_marts(demo, demo_warehouse):
    """`make bench` reports train.held_out_figures: on the demo (whose committed seeds are its own fit) they
    equal the evaluation and reliability marts; the simulation's AUC is read from _truth."""
    figures = train.held_out_figures(demo, demo_warehouse["raw"] / "_truth" / "renewal_events.parquet")
    columns, rows = demo("select renewal_count, observed_renewal_rate, brier_score, base_rate_brier_score, auc "
                         "from marts.renewal_model_evaluation where period_type = 'all_time' "
                         "and segment_type = 'all' and breakdown_value = 'held_out'")
    count, rate, brier, base_brier, auc = rows[0]
    assert figures["renewals"] == count
    assert (figures["base_rate"], figures["brier"], figures["base_rate_brier"], figures["auc"]) == pytest.approx(
        (float(rate), float(brier), float(base_brier), float(auc)), abs=2e-6)
    _, bands = demo("select probability_band, renewal_count, is_within_interval from marts.renewal_model_reliability "
                    "where period_type = 'all_time' and breakdown_value = 'held_out' order by band_order")
    assert [(b["band"], b["renewals"], b["within_interval"]) for b in figures["bands"]] == [tuple(b) for b in bands]
    assert 0.5 < figures["simulation_auc"] < 1 and figures["simulation_auc_renewals"] == count
    _, accuracy = demo("select m.period_start_date, m.horizon, m.forecast_accuracy_rate, t.forecast_accuracy_rate "
                       "from marts.forecast_accuracy as m inner join marts.forecast_accuracy as t "
                       "using (period_start_date, horizon) where m.is_model and t.is_team and t.segment_type = 'all' "
                       "and t.is_actual_final and horizon in ('quarter_start', 'thirty_days_before_end')")
    held_out_from = figures["held_out_from"]
    for horizon in ("quarter_start", "thirty_days_before_end"):
        for scope in ("all", "held_out"):
            chosen = [(float(m), float(t)) for q, h, m, t in accuracy
                      if h == horizon and (scope == "all" or q.isoformat() >= held_out_from)]
            reported = figures["forecast"][f"{horizon}_{scope}"]
            assert reported["quarters"] == len(chosen) > 0
            assert reported["model_points"] == pytest.approx(100 * np.mean([abs(1 - m) for m, _ in chosen]), abs=0.01)
            assert reported["team_points"] == pytest.approx(100 * np.mean([abs(1 - t) for _, t in chosen]), abs=0.01)
            assert reported["model_closer"] == sum(abs(1 - m) < abs(1 - t) for m, t in chosen)
