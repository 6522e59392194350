"""The dashboards' pages: each a list of panels, each panel a plain query of one mart (or reference table), and
how it is drawn. The team pages are constants; a CSM's page is made per CSM (csm_page); all_pages lists the
pages a warehouse can show."""

from __future__ import annotations

from dataclasses import dataclass, field

from renewal_warehouse.readers.dashboards.fetch import Fetch, published_marts


@dataclass(frozen=True)
class Panel:
    """One block of a page: a plain query of one relation, and how it is drawn.

    chart: 'tiles' (the first row's columns as headline numbers), 'line' or 'bar' (x against the y columns),
    'table' (the rows). fmt maps a column to 'pct', 'usd', 'int' or 'dec' (a score, three decimals)."""

    id: str
    title: str
    relation: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    where: str = "true"
    order_by: str = ""
    limit: int | None = None
    chart: str = "table"
    x: str | None = None
    y: tuple[str, ...] = ()
    fmt: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    bands: str | None = None  # a metric of reference.ref_benchmark_bands drawn behind a line chart
    chronological: bool = False  # rows read newest first (for the limit), drawn oldest first
    stacked: bool = False  # bars stacked rather than side by side
    colours: dict[str, str] = field(default_factory=dict)  # a y column's (or a series value's) colour
    series: str | None = None  # a column whose values split each y column into one trace per value
    # A grouped panel counts or sums the relation's rows per group, in the warehouse (as a metric would):
    # group_by and measures are (name, SQL expression) pairs, the group names are the key.
    group_by: tuple[tuple[str, str], ...] = ()
    measures: tuple[tuple[str, str], ...] = ()

    def sql(self) -> str:
        order = f" order by {self.order_by}" if self.order_by else ""
        limit = f" limit {self.limit}" if self.limit else ""
        if self.group_by:
            select = ", ".join(f"{expr} as {name}" for name, expr in (*self.group_by, *self.measures))
            groups = ", ".join(str(i) for i in range(1, len(self.group_by) + 1))
            return f"select {select} from {self.relation} where {self.where} group by {groups}{order}{limit}"
        cols = ", ".join(dict.fromkeys((*self.key, *self.columns)))
        return f"select {cols} from {self.relation} where {self.where}{order}{limit}"

    def check_sql(self, values: dict) -> str:
        """The query that finds one embedded row again: the relation's row with the row's key, or, for a
        grouped panel, the group's measures computed again with the group's values in the filter."""
        def equal(expr: str, value) -> str:
            return f"{expr} is null" if value is None else f"{expr} = '{value}'"
        if self.group_by:
            where = " and ".join(equal(expr, values[name]) for name, expr in self.group_by)
            select = ", ".join(f"{expr} as {name}" for name, expr in self.measures)
            return f"select {select} from {self.relation} where ({self.where}) and {where}"
        where = " and ".join(equal(k, values[k]) for k in self.key)
        return f"select {', '.join(c for c in values)} from {self.relation} where {where}"


def grouped(id: str, title: str, relation: str, group_by: tuple[tuple[str, str], ...],
            measures: tuple[tuple[str, str], ...], **kwargs) -> Panel:
    """A panel of counts or sums per group (its key is the group's names)."""
    key = tuple(name for name, _ in group_by)
    return Panel(id, title, relation, key, (*key, *(name for name, _ in measures)), group_by=group_by,
                 measures=measures, **kwargs)


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    cadence: str
    description: str
    panels: tuple[Panel, ...]
    exposure: str = ""  # the dbt exposure (models/marts/<room>/_<room>__exposures.yml) declaring what it reads

    def relations(self) -> set[str]:
        """Every relation the page's panels read, subqueries included (schema.table)."""
        import re

        found = set()
        for panel in self.panels:
            found.update(re.findall(r"\b(marts\.[a-z_]+|reference\.[a-z_]+)", panel.sql()))
        return found


WHOLE_BOOK = "segment_type = 'all'"
QUARTER = "period_type = 'fiscal_quarter'"

EXECUTIVE = Page(
    "executive", "Executive", "monthly and quarterly",
    "Renewal rate and net revenue retention for the latest quarter with their trend and benchmark bands, "
    "renewed against churned ARR, the forecast for the coming quarter and how accurate the team's forecasts "
    "were, at-risk ARR and save progress, and at most three headline trends in words.",
    exposure="executive_dashboard", panels=(
        Panel("renewal_headline", "Renewals, latest quarter with decided renewals", "marts.renewals_by_quarter",
              ("renewal_quarter_id",),
              ("period_label", "logo_renewal_rate", "gross_dollar_retention_rate", "renewed_arr", "churned_arr",
               "decided_count", "pending_count"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown_value = 'all' and decided_count > 0",
              order_by="period_start_date desc", limit=1, chart="tiles",
              fmt={"logo_renewal_rate": "pct", "gross_dollar_retention_rate": "pct", "renewed_arr": "usd",
                   "churned_arr": "usd", "decided_count": "int", "pending_count": "int"},
              labels={"logo_renewal_rate": "Logo renewal rate", "gross_dollar_retention_rate": "Gross dollar retention",
                      "renewed_arr": "Renewed ARR", "churned_arr": "Churned ARR", "decided_count": "Decided renewals",
                      "pending_count": "Pending renewals"}),
        Panel("retention_headline", "Retention, latest complete quarter", "marts.retention",
              ("retention_id",),
              ("period_label", "net_revenue_retention_rate", "gross_revenue_retention_rate", "logo_churn_rate"),
              where=f"{QUARTER} and {WHOLE_BOOK} and is_complete", order_by="period_start_date desc", limit=1,
              chart="tiles",
              fmt={"net_revenue_retention_rate": "pct", "gross_revenue_retention_rate": "pct",
                   "logo_churn_rate": "pct"},
              labels={"net_revenue_retention_rate": "Net revenue retention",
                      "gross_revenue_retention_rate": "Gross revenue retention", "logo_churn_rate": "Logo churn"}),
        Panel("forecast_headline", "Forecast for the coming quarter (latest week)", "marts.pipeline_coverage",
              ("pipeline_coverage_id",),
              ("period_label", "week_start_date", "weighted_pipeline_arr", "target_arr", "coverage_rate"),
              where=f"{WHOLE_BOOK} and period_start_date > (select max(period_start_date) from marts.retention "
                    f"where {QUARTER} and is_complete)",
              order_by="week_start_date desc, period_start_date", limit=1, chart="tiles",
              fmt={"weighted_pipeline_arr": "usd", "target_arr": "usd", "coverage_rate": "pct"},
              labels={"weighted_pipeline_arr": "Weighted renewal pipeline", "target_arr": "Renewal target",
                      "coverage_rate": "Coverage"}),
        Panel("forecast_accuracy", "Team forecast accuracy at quarter start and 30 days before the end",
              "marts.forecast_accuracy", ("forecast_accuracy_id",),
              ("period_label", "horizon", "forecast_renewed_arr", "actual_renewed_arr", "forecast_accuracy_rate"),
              where=f"is_team and {WHOLE_BOOK} and {QUARTER} and is_actual_final "
                    "and horizon in ('quarter_start', 'thirty_days_before_end')",
              order_by="period_start_date desc, horizon", limit=16, chart="line", x="period_label",
              y=("forecast_accuracy_rate",), series="horizon", chronological=True,
              fmt={"forecast_accuracy_rate": "pct", "forecast_renewed_arr": "usd", "actual_renewed_arr": "usd"},
              labels={"quarter_start": "At quarter start", "thirty_days_before_end": "30 days before the end"}),
        Panel("save_headline", "At-risk ARR and saves, latest quarter", "marts.save_rate",
              ("save_rate_id",),
              ("period_label", "at_risk_arr", "saved_arr", "arr_save_rate", "pending_at_risk_count"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown = 'all' and at_risk_count > 0",
              order_by="period_start_date desc", limit=1, chart="tiles",
              fmt={"at_risk_arr": "usd", "saved_arr": "usd", "arr_save_rate": "pct", "pending_at_risk_count": "int"},
              labels={"at_risk_arr": "At-risk ARR", "saved_arr": "Saved ARR", "arr_save_rate": "ARR save rate",
                      "pending_at_risk_count": "At risk, still open"}),
        Panel("nrr_trend", "Net and gross revenue retention by quarter", "marts.retention",
              ("retention_id",),
              ("period_label", "net_revenue_retention_rate", "gross_revenue_retention_rate"),
              where=f"{QUARTER} and {WHOLE_BOOK} and is_complete", order_by="period_start_date desc", limit=8,
              chart="line", x="period_label", y=("net_revenue_retention_rate", "gross_revenue_retention_rate"),
              fmt={"net_revenue_retention_rate": "pct", "gross_revenue_retention_rate": "pct"},
              labels={"net_revenue_retention_rate": "NRR", "gross_revenue_retention_rate": "GRR"},
              bands="nrr", chronological=True),
        Panel("cohort_trend", "Cohort ARR kept four quarters after acquisition, gross and net, by quarterly cohort",
              "marts.cohort_retention", ("cohort_retention_id",),
              ("period_label", "gross_arr_retention_rate", "net_arr_retention_rate", "logo_retention_rate"),
              where=f"{QUARTER} and periods_since_acquisition = 4", order_by="period_start_date desc", limit=8,
              chart="line", x="period_label",
              y=("gross_arr_retention_rate", "net_arr_retention_rate", "logo_retention_rate"),
              fmt={"gross_arr_retention_rate": "pct", "net_arr_retention_rate": "pct", "logo_retention_rate": "pct"},
              labels={"gross_arr_retention_rate": "Gross ARR (at most the initial ARR)",
                      "net_arr_retention_rate": "Net ARR (expansion included)", "logo_retention_rate": "Logos"},
              chronological=True),
        Panel("renewal_trend", "Logo renewal rate by quarter", "marts.renewals_by_quarter",
              ("renewal_quarter_id",),
              ("period_label", "logo_renewal_rate", "gross_dollar_retention_rate"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown_value = 'all' and decided_count > 0",
              order_by="period_start_date desc", limit=8, chart="line", x="period_label",
              y=("logo_renewal_rate", "gross_dollar_retention_rate"),
              fmt={"logo_renewal_rate": "pct", "gross_dollar_retention_rate": "pct"},
              labels={"logo_renewal_rate": "Logo renewal rate", "gross_dollar_retention_rate": "GDR"},
              bands="logo_renewal", chronological=True),
        Panel("renewed_churned", "Renewed against churned ARR by quarter", "marts.renewals_by_quarter",
              ("renewal_quarter_id",),
              ("period_label", "renewed_arr", "churned_arr"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown_value = 'all' and decided_count > 0",
              order_by="period_start_date desc", limit=8, chart="bar", x="period_label",
              y=("renewed_arr", "churned_arr"), fmt={"renewed_arr": "usd", "churned_arr": "usd"},
              labels={"renewed_arr": "Renewed ARR", "churned_arr": "Churned ARR"}, chronological=True),
        Panel("save_trend", "At-risk and saved ARR by quarter", "marts.save_rate",
              ("save_rate_id",), ("period_label", "at_risk_arr", "saved_arr"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown = 'all' and at_risk_count > 0",
              order_by="period_start_date desc", limit=8, chart="bar", x="period_label",
              y=("at_risk_arr", "saved_arr"), fmt={"at_risk_arr": "usd", "saved_arr": "usd"},
              labels={"at_risk_arr": "At-risk ARR", "saved_arr": "Saved ARR"}, chronological=True),
    ),
)

LATEST_QUARTER_OF = ("period_start_date = (select max(period_start_date) from {relation} where "
                     "period_type = 'fiscal_quarter' and {condition})")

HEALTH_COLOURS = {"green": "#43a047", "yellow": "#fbc02d", "red": "#e53935"}
HEALTH_LABELS = {"green": "Green", "yellow": "Yellow", "red": "Red", "account_count": "Accounts", "arr": "ARR",
                 "health_band": "Health band"}
LATEST_WEEK = "week_start_date = (select max(week_start_date) from marts.account_health)"

CS_LEADERSHIP = Page(
    "cs_leadership", "CS leadership", "weekly",
    "Accounts by health band over the last 13 weeks (its movement) and in each CSM's book, at-risk count and "
    "ARR by reason, expansion at renewal, the renewal forecast against target (coverage) and each CSM's "
    "forecast accuracy, CSM capacity and portfolio-adjusted variance.",
    exposure="cs_leadership_dashboard", panels=(
        grouped("health_movement", "Accounts by health band, last 13 weeks", "marts.account_health",
                (("week_start_date", "week_start_date"), ("health_band", "health_band")),
                (("account_count", "count(*)"), ("arr", "sum(arr)")),
                where="week_start_date > (select max(week_start_date) from marts.account_health) - interval '91 day'",
                order_by="week_start_date, health_band", chart="bar", x="week_start_date", y=("account_count",),
                series="health_band", stacked=True, colours=HEALTH_COLOURS, labels=HEALTH_LABELS,
                fmt={"account_count": "int", "arr": "usd"}),
        Panel("at_risk_now", "At risk, latest quarter", "marts.save_rate", ("save_rate_id",),
              ("period_label", "at_risk_count", "at_risk_arr", "pending_at_risk_count", "saved_count"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown = 'all' and " + LATEST_QUARTER_OF.format(
                  relation="marts.save_rate", condition="segment_type = 'all' and breakdown = 'all'"),
              chart="tiles",
              fmt={"at_risk_count": "int", "at_risk_arr": "usd", "pending_at_risk_count": "int", "saved_count": "int"},
              labels={"at_risk_count": "At-risk renewals", "at_risk_arr": "At-risk ARR",
                      "pending_at_risk_count": "Still open", "saved_count": "Saved"}),
        Panel("book_health", "Health distribution of each book (latest week)", "marts.csm_variance",
              ("csm_quarter_id",), ("csm_user_id", "book_green_share", "book_yellow_share", "book_red_share"),
              where="period_type = 'all_time'", order_by="csm_user_id", chart="bar", x="csm_user_id",
              y=("book_green_share", "book_yellow_share", "book_red_share"), stacked=True,
              colours={"book_green_share": "#43a047", "book_yellow_share": "#fbc02d", "book_red_share": "#e53935"},
              fmt={"book_green_share": "pct", "book_yellow_share": "pct", "book_red_share": "pct"},
              labels={"book_green_share": "Green", "book_yellow_share": "Yellow", "book_red_share": "Red"}),
        Panel("risk_by_reason", "At-risk renewals by reason (all time)", "marts.save_rate", ("save_rate_id",),
              ("breakdown_value", "at_risk_count", "at_risk_arr", "saved_arr"),
              where=f"period_type = 'all_time' and {WHOLE_BOOK} and breakdown = 'risk_reason'",
              order_by="at_risk_arr desc", chart="bar", x="breakdown_value", y=("at_risk_arr", "saved_arr"),
              fmt={"at_risk_arr": "usd", "saved_arr": "usd", "at_risk_count": "int"},
              labels={"at_risk_arr": "At-risk ARR", "saved_arr": "Saved ARR", "at_risk_count": "At-risk renewals"}),
        Panel("coverage", "Renewal forecast against target (latest week, by quarter)", "marts.pipeline_coverage",
              ("pipeline_coverage_id",), ("period_label", "weighted_pipeline_arr", "target_arr", "coverage_rate"),
              where=f"{WHOLE_BOOK} and week_start_date = (select max(week_start_date) from marts.pipeline_coverage)",
              order_by="period_start_date", chart="bar", x="period_label", y=("weighted_pipeline_arr", "target_arr"),
              fmt={"weighted_pipeline_arr": "usd", "target_arr": "usd", "coverage_rate": "pct"},
              labels={"weighted_pipeline_arr": "Weighted pipeline", "target_arr": "Target"}),
        Panel("expansion", "Expansion ARR at renewal by quarter", "marts.renewals_by_quarter",
              ("renewal_quarter_id",), ("period_label", "expansion_arr", "contraction_arr"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown_value = 'all' and decided_count > 0",
              order_by="period_start_date desc", limit=8, chart="bar", x="period_label",
              y=("expansion_arr", "contraction_arr"), fmt={"expansion_arr": "usd", "contraction_arr": "usd"},
              labels={"expansion_arr": "Expansion ARR", "contraction_arr": "Contraction ARR"}, chronological=True),
        Panel("csm_forecasts", "Each CSM's forecast accuracy at quarter start (latest quarter with final actuals)",
              "marts.forecast_accuracy", ("forecast_accuracy_id",),
              ("csm_user_id", "period_label", "forecast_renewed_arr", "actual_renewed_arr", "forecast_accuracy_rate"),
              where=f"not is_team and not is_model and {WHOLE_BOOK} and {QUARTER} and horizon = 'quarter_start' and "
                    "period_start_date = (select max(period_start_date) from marts.forecast_accuracy where "
                    "is_actual_final and horizon = 'quarter_start')",
              order_by="csm_user_id", chart="bar", x="csm_user_id", y=("forecast_accuracy_rate",),
              fmt={"forecast_accuracy_rate": "pct", "forecast_renewed_arr": "usd", "actual_renewed_arr": "usd"},
              labels={"forecast_accuracy_rate": "Forecast accuracy"}),
        Panel("csm_capacity", "CSM capacity and portfolio-adjusted variance (all time)", "marts.csm_variance",
              ("csm_quarter_id",),
              ("csm_user_id", "book_account_count", "book_arr", "up_for_renewal_count", "logo_renewal_rate",
               "expected_logo_renewal_rate", "team_logo_renewal_rate", "is_in_spread"),
              where="period_type = 'all_time'", order_by="book_arr desc",
              fmt={"book_account_count": "int", "book_arr": "usd", "up_for_renewal_count": "int",
                   "logo_renewal_rate": "pct", "expected_logo_renewal_rate": "pct", "team_logo_renewal_rate": "pct"},
              labels={"csm_user_id": "CSM", "book_account_count": "Accounts", "book_arr": "Book ARR",
                      "up_for_renewal_count": "Up for renewal", "logo_renewal_rate": "Renewal rate",
                      "expected_logo_renewal_rate": "Expected for the book", "team_logo_renewal_rate": "Team",
                      "is_in_spread": "Within the spread"}),
    ),
)

RENEWAL_OPERATIONS = Page(
    "renewal_operations", "Renewal operations", "weekly",
    "Time in stage and win rate by stage, discounts and escalations with their trend and by segment, the "
    "escalated renewals still open, each CSM's workload, and coaching priorities from the performance gaps "
    "and the forecast bias.",
    exposure="renewal_operations_dashboard", panels=(
        Panel("time_in_stage", "Days in stage (latest quarter with closed renewals)",
              "marts.stage_performance", ("stage_performance_id",),
              ("period_label", "stage", "mean_days_in_stage", "median_days_in_stage", "learned_win_rate"),
              where=f"{WHOLE_BOOK} and " + LATEST_QUARTER_OF.format(
                  relation="marts.stage_performance", condition="segment_type = 'all' and closed_count > 0"),
              order_by="stage_order", chart="bar", x="stage", y=("mean_days_in_stage", "median_days_in_stage"),
              fmt={"learned_win_rate": "pct"},
              labels={"mean_days_in_stage": "Mean days", "median_days_in_stage": "Median days"}),
        Panel("win_rate", "Win rate by stage, the last four quarters with closed renewals", "marts.stage_performance",
              ("stage_performance_id",), ("period_label", "stage", "learned_win_rate", "closed_count"),
              where=f"{WHOLE_BOOK} and period_start_date in (select period_start_date from marts.stage_performance "
                    "where segment_type = 'all' and closed_count > 0 group by period_start_date "
                    "order by period_start_date desc limit 4)",
              order_by="period_start_date, stage_order", chart="bar", x="stage", y=("learned_win_rate",),
              series="period_label", fmt={"learned_win_rate": "pct", "closed_count": "int"},
              labels={"learned_win_rate": "Learned win rate"}),
        Panel("discount_trend", "Average discount at renewal by quarter", "marts.renewals_by_quarter",
              ("renewal_quarter_id",), ("period_label", "average_discount_rate"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown_value = 'all' and decided_count > 0",
              order_by="period_start_date desc", limit=8, chart="line", x="period_label",
              y=("average_discount_rate",), fmt={"average_discount_rate": "pct"},
              labels={"average_discount_rate": "Average discount"}, chronological=True),
        Panel("escalations", "Escalation rate by quarter", "marts.renewals_by_quarter",
              ("renewal_quarter_id",), ("period_label", "escalation_rate", "escalated_count"),
              where=f"{QUARTER} and {WHOLE_BOOK} and breakdown_value = 'all' and decided_count > 0",
              order_by="period_start_date desc", limit=8, chart="line", x="period_label", y=("escalation_rate",),
              fmt={"escalation_rate": "pct", "escalated_count": "int"},
              labels={"escalation_rate": "Escalation rate"}, chronological=True),
        Panel("by_size", "Discount and escalation by size segment (latest quarter with decided renewals)",
              "marts.renewals_by_quarter", ("renewal_quarter_id",),
              ("period_label", "segment_value", "decided_count", "average_discount_rate", "escalation_rate"),
              where=f"{QUARTER} and segment_type = 'size' and breakdown_value = 'all' and " + LATEST_QUARTER_OF.format(
                  relation="marts.renewals_by_quarter",
                  condition="segment_type = 'all' and breakdown_value = 'all' and decided_count > 0"),
              order_by="segment_value", chart="bar", x="segment_value", y=("average_discount_rate", "escalation_rate"),
              fmt={"average_discount_rate": "pct", "escalation_rate": "pct", "decided_count": "int"},
              labels={"average_discount_rate": "Average discount", "escalation_rate": "Escalation rate"}),
        Panel("open_escalations", "Escalated renewals still open", "marts.renewals", ("renewal_event_id",),
              ("account_id", "end_date", "expiring_arr", "crm_stage", "csm_user_id_at_t90", "health_band_t90"),
              where="is_upcoming and is_escalated", order_by="end_date, account_id", limit=25,
              fmt={"expiring_arr": "usd"},
              labels={"account_id": "Account", "end_date": "Ends", "expiring_arr": "Expiring ARR",
                      "crm_stage": "Stage", "csm_user_id_at_t90": "CSM", "health_band_t90": "Health at T-90"}),
        Panel("workload", "Renewals up per CSM (latest quarter)", "marts.csm_variance", ("csm_quarter_id",),
              ("csm_user_id", "period_label", "up_for_renewal_count", "pending_count"),
              where="period_type = 'fiscal_quarter' and " + LATEST_QUARTER_OF.format(
                  relation="marts.csm_variance", condition="up_for_renewal_count > 0"),
              order_by="csm_user_id", chart="bar", x="csm_user_id", y=("up_for_renewal_count", "pending_count"),
              fmt={"up_for_renewal_count": "int", "pending_count": "int"},
              labels={"up_for_renewal_count": "Up for renewal", "pending_count": "Still pending"}),
        Panel("coaching", "Coaching priorities: the largest gaps to the team (all time)", "marts.csm_variance",
              ("csm_quarter_id",),
              ("csm_user_id", "logo_renewal_rate_gap_points", "gross_dollar_retention_rate_gap_points",
               "average_discount_rate_gap_points", "is_in_spread"),
              where="period_type = 'all_time'", order_by="logo_renewal_rate_gap_points",
              labels={"csm_user_id": "CSM", "logo_renewal_rate_gap_points": "Renewal rate gap (points)",
                      "gross_dollar_retention_rate_gap_points": "GDR gap (points)",
                      "average_discount_rate_gap_points": "Discount gap (points)",
                      "is_in_spread": "Within the spread"}),
        Panel("forecast_bias", "Coaching priorities: forecast bias per CSM (quarters with final actuals)",
              "marts.csm_forecast_bias", ("csm_user_id",),
              ("csm_user_id", "quarter_count", "quarter_start_mean_accuracy_rate",
               "thirty_days_before_end_mean_accuracy_rate", "mean_bias_rate", "forecast_bias_reading"),
              where="period_type = 'all_time'", order_by="abs(mean_bias_rate) desc, csm_user_id",
              fmt={"quarter_count": "int", "quarter_start_mean_accuracy_rate": "pct",
                   "thirty_days_before_end_mean_accuracy_rate": "pct", "mean_bias_rate": "pct"},
              labels={"csm_user_id": "CSM", "quarter_count": "Quarters",
                      "quarter_start_mean_accuracy_rate": "Accuracy at quarter start",
                      "thirty_days_before_end_mean_accuracy_rate": "Accuracy 30 days before the end",
                      "mean_bias_rate": "Mean bias", "forecast_bias_reading": "Reading"}),
    ),
)

HELD_OUT = "breakdown_value = 'held_out'"

RENEWAL_LIKELIHOOD = Page(
    "renewal_likelihood", "Renewal likelihood", "weekly",
    "How likely each renewal is, 90 days ahead, and why (docs/renewal-likelihood.md): how good the model is on "
    "the quarters it was not trained on, whether its probabilities come true band by band, how its forecast "
    "compares with the team's, and the upcoming renewals it rates least likely, with their three factors.",
    exposure="renewal_likelihood_dashboard", panels=(
        Panel("model_quality", "The model on the held-out quarters", "marts.renewal_model_evaluation",
              ("renewal_model_evaluation_id",),
              ("renewal_count", "observed_renewal_rate", "mean_renewal_probability", "brier_score",
               "base_rate_brier_score", "auc"),
              where=f"period_type = 'all_time' and {WHOLE_BOOK} and {HELD_OUT}", chart="tiles",
              fmt={"renewal_count": "int", "observed_renewal_rate": "pct", "mean_renewal_probability": "pct",
                   "brier_score": "dec", "base_rate_brier_score": "dec", "auc": "dec"},
              labels={"renewal_count": "Renewals held out", "observed_renewal_rate": "Renewed",
                      "mean_renewal_probability": "Predicted", "brier_score": "Brier score",
                      "base_rate_brier_score": "Brier of the base rate", "auc": "AUC"}),
        Panel("reliability", "Reliability: predicted against observed renewal rate per band (held out)",
              "marts.renewal_model_reliability", ("renewal_model_reliability_id",),
              ("probability_band", "renewal_count", "mean_renewal_probability", "observed_renewal_rate",
               "interval_lower_rate", "interval_upper_rate", "is_within_interval"),
              where=f"period_type = 'all_time' and {HELD_OUT}", order_by="band_order", chart="bar",
              x="probability_band", y=("mean_renewal_probability", "observed_renewal_rate"),
              fmt={"renewal_count": "int", "mean_renewal_probability": "pct", "observed_renewal_rate": "pct",
                   "interval_lower_rate": "pct", "interval_upper_rate": "pct"},
              labels={"mean_renewal_probability": "Predicted", "observed_renewal_rate": "Observed",
                      "interval_lower_rate": "90 % interval from", "interval_upper_rate": "to"}),
        Panel("quality_by_quarter", "Brier score by quarter, the model against the base rate (lower is better)",
              "marts.renewal_model_evaluation", ("renewal_model_evaluation_id",),
              ("period_label", "breakdown_value", "renewal_count", "brier_score", "base_rate_brier_score", "auc"),
              where=f"{QUARTER} and {WHOLE_BOOK}", order_by="period_start_date desc", limit=8, chart="line",
              x="period_label", y=("brier_score", "base_rate_brier_score"), chronological=True,
              fmt={"renewal_count": "int", "brier_score": "dec", "base_rate_brier_score": "dec", "auc": "dec"},
              labels={"brier_score": "Model", "base_rate_brier_score": "Base rate"}),
        Panel("model_forecast", "Forecast accuracy at quarter start: the model against the team",
              "marts.forecast_accuracy", ("forecast_accuracy_id",),
              ("period_label", "csm_user_id", "forecast_renewed_arr", "actual_renewed_arr", "forecast_accuracy_rate"),
              where=f"(is_team or is_model) and {QUARTER} and horizon = 'quarter_start' and is_actual_final",
              order_by="period_start_date desc, csm_user_id", limit=16, chart="line", x="period_label",
              y=("forecast_accuracy_rate",), series="csm_user_id", chronological=True,
              fmt={"forecast_accuracy_rate": "pct", "forecast_renewed_arr": "usd", "actual_renewed_arr": "usd"},
              labels={"forecast_accuracy_rate": "Forecast accuracy"}),
        Panel("least_likely", "Upcoming renewals the model rates least likely", "marts.renewal_likelihood",
              ("renewal_event_id",),
              ("account_id", "end_date", "csm_user_id_at_t90", "expiring_arr", "renewal_probability", "factor_1",
               "factor_2", "factor_3"),
              where="outcome = 'pending'", order_by="renewal_probability, renewal_event_id", limit=25,
              fmt={"expiring_arr": "usd", "renewal_probability": "pct"},
              labels={"account_id": "Account", "end_date": "Ends", "csm_user_id_at_t90": "CSM",
                      "expiring_arr": "Expiring ARR", "renewal_probability": "Likelihood", "factor_1": "Why",
                      "factor_2": "", "factor_3": ""}),
    ),
)

PAGES: tuple[Page, ...] = (EXECUTIVE, CS_LEADERSHIP, RENEWAL_OPERATIONS, RENEWAL_LIKELIHOOD)

AS_OF = "(select max(snapshot_date) from marts.account_health)"


def csm_page(csm_user_id: str) -> Page:
    """"My book": one page per CSM (the owner of each renewal at T-90, as every CSM metric counts it)."""
    me = f"csm_user_id = '{csm_user_id}'"
    mine = f"csm_user_id_at_t90 = '{csm_user_id}'"
    upcoming = f"{mine} and is_upcoming and end_date <= {AS_OF} + interval '90 day'"
    renewal_columns = ("account_id", "end_date", "expiring_arr", "crm_stage", "health_band_t90", "is_at_risk",
                       "primary_risk_reason")
    renewal_labels = {"account_id": "Account", "end_date": "Ends", "expiring_arr": "Expiring ARR",
                      "crm_stage": "Stage", "health_band_t90": "Health at T-90", "is_at_risk": "At risk",
                      "primary_risk_reason": "Risk reason"}
    return Page(
        f"csm_{csm_user_id}", f"CSM {csm_user_id}: my book", "daily",
        "My renewal rate against the team's and the one expected for my book, my renewals in the next 30, 60 "
        "and 90 days with stage and health, my at-risk renewals, my accounts' health, and what is behind "
        "schedule.",
        exposure="csm_dashboard", panels=(
            Panel("my_rates", "My renewals, all time", "marts.csm_variance", ("csm_quarter_id",),
                  ("logo_renewal_rate", "team_logo_renewal_rate", "expected_logo_renewal_rate",
                   "gross_dollar_retention_rate", "book_account_count", "book_arr"),
                  where=f"period_type = 'all_time' and {me}", chart="tiles",
                  fmt={"logo_renewal_rate": "pct", "team_logo_renewal_rate": "pct",
                       "expected_logo_renewal_rate": "pct", "gross_dollar_retention_rate": "pct",
                       "book_account_count": "int", "book_arr": "usd"},
                  labels={"logo_renewal_rate": "My renewal rate", "team_logo_renewal_rate": "Team",
                          "expected_logo_renewal_rate": "Expected for my book",
                          "gross_dollar_retention_rate": "My gross dollar retention",
                          "book_account_count": "Accounts", "book_arr": "Book ARR"}),
            Panel("my_quarters", "My renewal rate by quarter", "marts.csm_variance", ("csm_quarter_id",),
                  ("period_label", "logo_renewal_rate", "team_logo_renewal_rate"),
                  where=f"period_type = 'fiscal_quarter' and {me} and decided_count > 0",
                  order_by="period_start_date desc", limit=8, chart="line", x="period_label",
                  y=("logo_renewal_rate", "team_logo_renewal_rate"),
                  fmt={"logo_renewal_rate": "pct", "team_logo_renewal_rate": "pct"},
                  labels={"logo_renewal_rate": "Me", "team_logo_renewal_rate": "Team"}, chronological=True),
            grouped("windows", "My renewals in the next 30, 60 and 90 days", "marts.renewals",
                    (("renewal_window", f"case when end_date <= {AS_OF} + interval '30 day' then '1. next 30 days' "
                                        f"when end_date <= {AS_OF} + interval '60 day' then '2. 31 to 60 days' "
                                        "else '3. 61 to 90 days' end"),),
                    (("renewal_count", "count(*)"), ("expiring_arr", "sum(expiring_arr)"),
                     ("at_risk_count", "sum(case when is_at_risk then 1 else 0 end)")),
                    where=upcoming, order_by="1",
                    fmt={"renewal_count": "int", "expiring_arr": "usd", "at_risk_count": "int"},
                    labels={"renewal_window": "Ending in", "renewal_count": "Renewals",
                            "expiring_arr": "Expiring ARR", "at_risk_count": "At risk"}),
            Panel("next_90_days", "My renewals in the next 90 days", "marts.renewals", ("renewal_event_id",),
                  renewal_columns, where=upcoming, order_by="end_date, account_id",
                  fmt={"expiring_arr": "usd"}, labels=renewal_labels),
            Panel("my_at_risk", "My at-risk renewals", "marts.renewals", ("renewal_event_id",),
                  renewal_columns, where=f"{mine} and is_upcoming and is_at_risk", order_by="end_date, account_id",
                  fmt={"expiring_arr": "usd"}, labels=renewal_labels),
            grouped("my_health", "My accounts by health band (latest week)", "marts.account_health",
                    (("health_band", "health_band"),), (("account_count", "count(*)"), ("arr", "sum(arr)")),
                    where=f"{me} and {LATEST_WEEK}", order_by="1", chart="bar", x="health_band",
                    y=("account_count",), series="health_band", colours=HEALTH_COLOURS, labels=HEALTH_LABELS,
                    fmt={"account_count": "int", "arr": "usd"}),
            Panel("behind_schedule", "Next actions: ending within 60 days, still before the proposal",
                  "marts.renewals", ("renewal_event_id",), renewal_columns,
                  where=f"{mine} and is_upcoming and end_date <= {AS_OF} + interval '60 day' "
                        "and coalesce(crm_stage, 'not_engaged') in ('not_engaged', 'early_discussion')",
                  order_by="end_date, account_id", fmt={"expiring_arr": "usd"}, labels=renewal_labels),
        ),
    )


def all_pages(fetch: Fetch) -> tuple[Page, ...]:
    """The four team pages (the renewal likelihood page among them) and one page per CSM with a book (none
    when csm_variance is not built)."""
    if "marts.csm_variance" not in published_marts(fetch):
        return PAGES
    _, rows = fetch("select csm_user_id from marts.csm_variance where period_type = 'all_time' order by 1")
    return (*PAGES, *(csm_page(r[0]) for r in rows))
