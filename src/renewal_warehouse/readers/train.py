"""`rwh train`: fit the renewal likelihood model on the published warehouse and write it as reference seeds.

The model (docs/renewal-likelihood.md) is a logistic regression (scikit-learn) on the features of
intermediate.int_renewal_model_features, as known at T-90, standardised with the training rows' mean and
standard deviation (a missing value counts as the mean), L2-regularised with the strength a 5-fold
cross-validation on the training renewals finds best (Brier score). It learns from the renewals whose grace
window has closed (decided whatever the outcome), split by time: those of the latest `held_out_quarters`
fiscal quarters are held out; the model learns from the older ones.

It writes two seeds that dbt reads, so that DuckDB, PostgreSQL and Spark score every renewal in SQL:
- ref_renewal_model_coefficients: one row per feature (mean, scale, coefficient) and the intercept;
- ref_renewal_model_training: the split (first held-out quarter), the training base rate and what fitted it.
`--check` fits again and fails when the seeds on disk are not what this warehouse gives (the demo's CI check).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

Fetch = Callable[[str], tuple[list[str], list[tuple]]]
ROOT = Path(__file__).resolve().parents[3]

FEATURES_RELATION = "intermediate.int_renewal_model_features"
COEFFICIENTS_SEED = "ref_renewal_model_coefficients.csv"
TRAINING_SEED = "ref_renewal_model_training.csv"
INTERCEPT = "intercept"
#: What `rwh train` reads beside the x_<feature> columns.
REQUIRED_COLUMNS = ("renewal_event_id", "fiscal_quarter_start_date", "is_renewed", "is_signed_after_end",
                    "expiring_arr", "renewed_arr")
#: The inverse L2 strengths `rwh train` chooses from, by the Brier score of a 5-fold cross-validation on the
#: training renewals (folds in time order, not shuffled: the same data always gives the same model).
REGULARISATION_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
DEFAULT_HELD_OUT_QUARTERS = 4
#: Significant digits written to the seeds: the SQL score equals the library's to ~1e-12.
DIGITS = 15


@dataclass
class Dataset:
    features: list[str]
    ids: list[str]
    quarters: list  # fiscal quarter start date of each renewal
    x: np.ndarray  # rows x features, NaN where a feature is missing
    y: np.ndarray  # 1 renewed, 0 churned
    expiring_arr: np.ndarray
    renewed_arr: np.ndarray  # gross basis: capped at the expiring ARR, 0 when churned
    signed_after_end: np.ndarray  # 1 when the successor was signed after the end date


@dataclass
class Model:
    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    intercept: float
    held_out_from: object  # date: the first held-out fiscal quarter
    training_renewals: int
    training_renewal_rate: float
    held_out_renewals: int
    library: str
    regularisation_c: float = 1.0
    #: Σ renewed ARR / Σ expiring ARR of the training renewals that renewed (gross basis): what a renewal
    #: keeps of its expiring ARR when it renews, so the model forecasts renewed ARR, not expiring ARR.
    training_gross_renewed_ratio: float = 1.0
    #: Share of the training renewals that renewed signed after their end date: how likely a renewal still
    #: unsigned at its end date is to renew after all (the forecast's Bayes update).
    training_late_signing_share: float = 0.0

    def standardise(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        return np.where(np.isnan(z), 0.0, z)

    def score(self, x: np.ndarray) -> np.ndarray:
        return self.intercept + self.standardise(x) @ self.coefficients

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.score(x)))


def load(fetch: Fetch) -> Dataset:
    """The renewals whose grace window has closed, with their T-90 features (columns x_<feature>), from the
    published warehouse."""
    try:
        columns, rows = fetch(f"select * from {FEATURES_RELATION} where is_evaluated "
                              "order by fiscal_quarter_start_date, renewal_event_id")
    except Exception as e:  # noqa: BLE001 - the engines raise their own errors for a missing relation
        raise ValueError(f"cannot read {FEATURES_RELATION} (is every source system present and the warehouse "
                         f"built?): {str(e).splitlines()[0]}") from None
    features = [c[2:] for c in columns if c.startswith("x_")]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValueError(f"{FEATURES_RELATION} has no column {', '.join(missing)}: the warehouse was built by an "
                         "older version of the project; rebuild it (make build, or rwh build) and train again")
    if not rows:
        raise ValueError(f"{FEATURES_RELATION} has no renewal with a closed grace window to learn from")
    index = {c: i for i, c in enumerate(columns)}
    x = np.array([[np.nan if r[index["x_" + f]] is None else float(r[index["x_" + f]]) for f in features]
                  for r in rows], dtype=float)
    y = np.array([1.0 if r[index["is_renewed"]] else 0.0 for r in rows])
    money = {c: np.array([0.0 if r[index[c]] is None else float(r[index[c]]) for r in rows])
             for c in ("expiring_arr", "renewed_arr")}
    late = np.array([1.0 if r[index["is_signed_after_end"]] else 0.0 for r in rows])
    return Dataset(features, [r[index["renewal_event_id"]] for r in rows],
                   [r[index["fiscal_quarter_start_date"]] for r in rows], x, y,
                   money["expiring_arr"], money["renewed_arr"], late)


def split(data: Dataset, held_out_quarters: int) -> tuple[np.ndarray, object]:
    """A boolean mask of the held-out renewals (the latest quarters) and the first held-out quarter."""
    quarters = sorted(set(data.quarters))
    if len(quarters) <= held_out_quarters:
        raise ValueError(f"{len(quarters)} quarters with evaluated renewals: need more than the "
                         f"{held_out_quarters} held out to train on older ones")
    first = quarters[-held_out_quarters]
    return np.array([q >= first for q in data.quarters]), first


def choose_regularisation(z: np.ndarray, y: np.ndarray) -> float:
    """The C of REGULARISATION_GRID with the lowest cross-validated Brier score on the training rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(n_splits=5).split(z, y))
    scores = []
    for c in REGULARISATION_GRID:
        errors = []
        for train_rows, test_rows in folds:
            regression = LogisticRegression(C=c, max_iter=1000).fit(z[train_rows], y[train_rows])
            errors.append(brier(y[test_rows], regression.predict_proba(z[test_rows])[:, 1]))
        scores.append(float(np.mean(errors)))
    return REGULARISATION_GRID[int(np.argmin(scores))]


def fit(data: Dataset, held_out_quarters: int = DEFAULT_HELD_OUT_QUARTERS,
        regularisation_c: float | None = None) -> Model:
    """Fit on the renewals before the held-out quarters; C chosen by cross-validation unless given."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    held_out, first = split(data, held_out_quarters)
    train_x, train_y = data.x[~held_out], data.y[~held_out]
    if len(set(train_y)) < 2:
        raise ValueError("the training renewals are all renewed or all churned: nothing to learn")
    mean = np.nanmean(train_x, axis=0)
    mean = np.where(np.isnan(mean), 0.0, mean)
    scale = np.nanstd(train_x, axis=0)
    scale = np.where(np.isnan(scale) | (scale == 0), 1.0, scale)
    # The seeds keep DIGITS significant digits: fit on the rounded scaling so SQL and library agree.
    mean, scale = _rounded(mean), _rounded(scale)
    z = (train_x - mean) / scale
    z = np.where(np.isnan(z), 0.0, z)
    c = regularisation_c if regularisation_c is not None else choose_regularisation(z, train_y)
    regression = LogisticRegression(C=c, max_iter=1000).fit(z, train_y)
    renewed = ~held_out & (data.y == 1)
    expiring = float(data.expiring_arr[renewed].sum())
    ratio = float(data.renewed_arr[renewed].sum()) / expiring if expiring > 0 else 1.0
    late = float(data.signed_after_end[renewed].mean())
    return Model(data.features, mean, scale, _rounded(regression.coef_[0]),
                 float(_rounded(regression.intercept_)[0]), first, int((~held_out).sum()),
                 float(train_y.mean()), int(held_out.sum()), f"scikit-learn {sklearn.__version__}", c,
                 float(_rounded(ratio)[0]), float(_rounded(late)[0]))


def _rounded(values) -> np.ndarray:
    return np.array([float(f"{v:.{DIGITS}g}") for v in np.atleast_1d(values)])


def evaluate(model: Model, data: Dataset) -> dict:
    """Held-out figures: renewals, base rate, Brier (model and base-rate model), AUC."""
    y, p = _held_out(model, data)
    return {"renewals": len(y), "base_rate": float(y.mean()), "brier": brier(y, p),
            "base_rate_brier": brier(y, np.full_like(p, model.training_renewal_rate)), "auc": auc(y, p)}


def _held_out(model: Model, data: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """The held-out renewals' outcomes and the model's probabilities for them."""
    held_out = np.array([q >= model.held_out_from for q in data.quarters])
    return data.y[held_out], model.probability(data.x[held_out])


def brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """The area under the ROC curve (Mann-Whitney, ties counted half); None with one class only."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if len(set(y)) == 2 else None


def held_out_figures(fetch: Fetch, truth: Path | None = None, interval_z: float = 1.645) -> dict:
    """Fit on the warehouse as `rwh train` does and judge the held-out renewals: base rate, Brier (model and
    base-rate model), AUC, the reliability bands of ref_renewal_probability_bands (how many observed rates
    fall within their interval), the model's forecast against the team's (forecast_figures) and, given the
    simulation's _truth/renewal_events.parquet, the AUC its own probabilities reach on the same renewals (the
    ceiling). What `make bench` reports per tier."""
    data = load(fetch)
    model = fit(data)
    figures = evaluate(model, data)
    y, p = _held_out(model, data)
    bands = []
    with (ROOT / "seeds" / "ref_renewal_probability_bands.csv").open() as f:
        for row in csv.DictReader(f):
            low, high = float(row["lower_bound"]), float(row["upper_bound"])
            chosen = (p >= low) & ((p < high) | (high >= 1))
            if not chosen.any():
                continue
            mean, observed = float(p[chosen].mean()), float(y[chosen].mean())
            half = interval_z * math.sqrt(float((p[chosen] * (1 - p[chosen])).sum())) / int(chosen.sum())
            bands.append({"band": row["band"], "renewals": int(chosen.sum()), "mean_probability": round(mean, 6),
                          "observed_rate": round(observed, 6), "within_interval": abs(observed - mean) <= half})
    figures.update({"training_renewals": model.training_renewals, "held_out_from": model.held_out_from.isoformat(),
                    "regularisation_c": model.regularisation_c, "bands": bands,
                    "bands_within_interval": sum(b["within_interval"] for b in bands),
                    "forecast": forecast_figures(fetch, model)["horizons"]})
    if truth is not None and truth.exists():
        import pyarrow.parquet as pq

        table = pq.read_table(truth, columns=["contract_id", "renewal_probability"]).to_pydict()
        drawn = dict(zip(table["contract_id"], table["renewal_probability"], strict=True))
        ids = [i for i, q in zip(data.ids, data.quarters, strict=True) if q >= model.held_out_from]
        known = np.array([drawn.get(i) is not None for i in ids])
        figures["simulation_auc"] = auc(y[known], np.array([drawn[i] for i in np.array(ids)[known]], dtype=float))
        figures["simulation_auc_renewals"] = int(known.sum())
    return figures


def forecast_figures(fetch: Fetch, model: Model) -> dict:
    """The model's forecast of each quarter's renewed ARR at the quarter start and 30 days before its end,
    computed as int_renewal_model_forecasts does but with `model` (its probabilities, training renewal rate,
    gross renewed ratio and late-signing share), beside the team's forecast at the same horizons
    (marts.forecast_accuracy, quarters with final actuals): per horizon, over every quarter both forecast
    and over the held-out ones, the mean distance of each accuracy (actual / forecast) from 100 % and the
    quarters where the model is closer. `make bench` reports it per tier (docs/renewal-likelihood.md)."""
    import yaml

    from renewal_warehouse.pipeline.generator.common import term_end

    grace = timedelta(days=int(yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["renewal_grace_days"]))
    x_columns = ", ".join(f"f.x_{f}" for f in model.features)
    _, rows = fetch("select f.fiscal_quarter_start_date, f.end_date, f.t90_date, e.outcome, e.successor_signed_date, "
                    f"e.expiring_arr, e.renewed_arr, {x_columns} from {FEATURES_RELATION} as f "
                    "inner join intermediate.int_renewal_events as e using (renewal_event_id)")
    _, team = fetch("select period_start_date, horizon, forecast_accuracy_rate from marts.forecast_accuracy "
                    "where is_team and segment_type = 'all' and is_actual_final and forecast_accuracy_rate is not null "
                    "and horizon in ('quarter_start', 'thirty_days_before_end')")
    x = np.array([[np.nan if v is None else float(v) for v in r[7:]] for r in rows], dtype=float).reshape(
        len(rows), len(model.features))
    probability = model.probability(x) if rows else np.array([])
    by_quarter: dict = {}
    for row, p in zip(rows, probability, strict=True):
        by_quarter.setdefault(row[0], []).append((row[1:7], float(p)))
    r, s, rate = model.training_gross_renewed_ratio, model.training_late_signing_share, model.training_renewal_rate
    quarters = []
    for start, horizon, team_accuracy in sorted(team):
        end = term_end(start, 3)
        day = start if horizon == "quarter_start" else end - timedelta(days=30)
        forecast = actual = 0.0
        for (end_date, t90, outcome, signed, expiring, renewed), p in by_quarter.get(start, []):
            expiring, renewed = float(expiring), float(renewed)
            actual += renewed
            if signed is not None and signed <= day and outcome == "renewed":
                forecast += renewed
            elif end_date + grace < day:
                continue
            elif end_date < day:
                forecast += p * s / (p * s + 1 - p) * r * expiring
            elif t90 <= day:
                forecast += p * r * expiring
            else:
                forecast += rate * r * expiring
        quarters.append({"period_start_date": start.isoformat(), "horizon": horizon, "forecast": round(forecast, 2),
                         "actual": round(actual, 2), "model_accuracy": actual / forecast if forecast else None,
                         "team_accuracy": float(team_accuracy), "held_out": start >= model.held_out_from})
    figures = {}
    for horizon in ("quarter_start", "thirty_days_before_end"):
        for scope in ("all", "held_out"):
            chosen = [q for q in quarters if q["horizon"] == horizon and q["model_accuracy"] is not None
                      and (scope == "all" or q["held_out"])]
            model_gap = [abs(1 - q["model_accuracy"]) for q in chosen]
            team_gap = [abs(1 - q["team_accuracy"]) for q in chosen]
            figures[f"{horizon}_{scope}"] = {
                "quarters": len(chosen),
                "model_points": round(100 * float(np.mean(model_gap)), 2) if chosen else None,
                "team_points": round(100 * float(np.mean(team_gap)), 2) if chosen else None,
                "model_closer": sum(m < t for m, t in zip(model_gap, team_gap, strict=True))}
    return {"horizons": figures, "quarters": quarters}


# ------------------------------------------------------------------------------------------ seeds
def seed_rows(model: Model) -> tuple[list[dict], list[dict]]:
    coefficients = [{"feature": INTERCEPT, "feature_mean": 0, "feature_scale": 1,
                     "coefficient": _text(model.intercept)}]
    coefficients += [{"feature": f, "feature_mean": _text(m), "feature_scale": _text(s), "coefficient": _text(c)}
                     for f, m, s, c in zip(model.features, model.mean, model.scale, model.coefficients, strict=True)]
    training = [{"held_out_from_date": model.held_out_from.isoformat(),
                 "training_renewals": model.training_renewals,
                 "training_renewal_rate": _text(model.training_renewal_rate),
                 "training_gross_renewed_ratio": _text(model.training_gross_renewed_ratio),
                 "training_late_signing_share": _text(model.training_late_signing_share),
                 "held_out_renewals": model.held_out_renewals,
                 "regularisation_c": model.regularisation_c,
                 "library": model.library}]
    return coefficients, training


def _text(value: float) -> str:
    text = f"{float(value):.{DIGITS}g}"
    return "0" if text == "-0" else text


def write_seeds(model: Model, seeds_dir: Path) -> list[Path]:
    seeds_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in zip((COEFFICIENTS_SEED, TRAINING_SEED), seed_rows(model), strict=True):
        path = seeds_dir / name
        with path.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def seed_differences(model: Model, seeds_dir: Path) -> list[str]:
    """What differs between the seeds on disk and the model (numbers compared to 1e-9, relative)."""
    problems = []
    for name, rows in zip((COEFFICIENTS_SEED, TRAINING_SEED), seed_rows(model), strict=True):
        path = seeds_dir / name
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        with path.open() as f:
            on_disk = list(csv.DictReader(f))
        if len(on_disk) != len(rows) or [list(r) for r in on_disk] != [list(map(str, r)) for r in rows]:
            problems.append(f"{path}: {len(on_disk)} rows on disk, {len(rows)} from the fit (or other columns)")
            continue
        for disk_row, row in zip(on_disk, rows, strict=True):
            for column, value in row.items():
                if not _close(disk_row[column], str(value)):
                    problems.append(f"{path}: {column} of {disk_row.get('feature', 'the training row')}: "
                                    f"{disk_row[column]} on disk, {value} from the fit")
    return problems


def _close(a: str, b: str) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return a == b


def describe(model: Model, figures: dict) -> str:
    lines = [f"trained on {model.training_renewals:,} renewals before {model.held_out_from} "
             f"(renewal rate {model.training_renewal_rate:.1%}, renewed ARR {model.training_gross_renewed_ratio:.1%} "
             f"of expiring when renewed, {model.training_late_signing_share:.1%} of them signed after the end "
             f"date); {model.library}, L2 with C={model.regularisation_c} "
             "(chosen by 5-fold cross-validation)",
             f"held out: {figures['renewals']:,} renewals from {model.held_out_from}: base rate "
             f"{figures['base_rate']:.1%}, Brier {figures['brier']:.4f} (base-rate model "
             f"{figures['base_rate_brier']:.4f}), AUC "
             + ("n/a" if figures["auc"] is None else f"{figures['auc']:.3f}"),
             "coefficients (per standard deviation):"]
    order = np.argsort(-np.abs(model.coefficients))
    lines += [f"  {model.features[i]:<26} {model.coefficients[i]:+.3f}" for i in order]
    return "\n".join(lines)
