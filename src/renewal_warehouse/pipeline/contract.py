"""The raw data contract: every table the warehouse ingests, column by column.

This module is the single source of truth for the raw layer. From it come:

* the Arrow schemas the generator writes (``arrow_schema``),
* the PostgreSQL DDL the loader creates (``postgres_ddl``),
* the Great Expectations suites of the gate (``renewal_warehouse.pipeline.gate``),
* the dbt source YAML under ``models/staging/<system>/`` (``renewal_warehouse.pipeline.sources``; a test fails
  when the committed YAML drifts from this file).

Conventions: timestamps are UTC without a time-zone offset; dates are calendar dates; billing money is in
minor units of the row's own currency (cents; yen for JPY, fils for BHD: the ISO 4217 exponents of
seeds/ref_currencies.csv); CRM money is in major units of the row's currency. Every table carries
``_loaded_at``, the UTC time the extract loaded the row, used for freshness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | int | float | bool | date | timestamp | decimal(p,s)
    description: str
    nullable: bool = True
    enum: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    pii: bool = False


@dataclass(frozen=True)
class Table:
    system: str
    name: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Minimum plausible share of the row count an extract of this table must reach (gate volume check).
    min_rows: int = 1
    freshness_warn_hours: int = 48
    freshness_error_hours: int = 24 * 14
    extra: dict = field(default_factory=dict)

    @property
    def qualified(self) -> str:
        return f"{self.system}.{self.name}"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.qualified} has no column {name!r}")


LOADED_AT = Column("_loaded_at", "timestamp", "UTC time the extract loaded this row (freshness field).", False)

SEGMENTS = ("smb", "mid_market", "enterprise")
INDUSTRIES = ("software", "financial_services", "healthcare", "retail", "manufacturing", "education", "media")
REGIONS = ("north_america", "emea", "apac", "latam")
ACQUISITION_SOURCES = ("inbound", "outbound", "partner")
# ISO 4217 codes accepted in the raw data; their minor-unit exponents (JPY 0, USD 2, BHD 3) live in
# seeds/ref_currencies.csv, which a test keeps equal to this list.
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "ILS",
              "TRY", "AED", "SAR", "ZAR", "INR", "SGD", "HKD", "CNY", "BRL", "MXN", "JPY", "KRW", "CLP", "ISK",
              "VND", "BHD", "KWD", "OMR", "JOD", "TND")
PLAN_TIERS = ("starter", "professional", "enterprise")
OPP_STAGES = ("not_engaged", "early_discussion", "proposal_sent", "negotiation", "closed_won", "closed_lost")
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "closed", "omitted")
RISK_REASONS = ("product_issue", "competitive_threat", "budget_cut", "champion_turnover", "usage_decline")
RISK_OUTCOMES = ("open", "saved", "churned", "resolved")
CHURN_REASONS = ("product_fit", "price", "adoption_failure", "competition", "business_closure", "other")
ACTIVITY_TYPES = ("email", "call", "meeting")
CONTRACT_TYPES = ("trial", "new", "renewal", "amendment", "reactivation")
BILLING_PERIODS = ("month", "year", "term")
MILESTONES = ("signed", "first_login", "onboarding_completed", "first_value")
SURVEY_TYPES = ("nps", "csat", "ces")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
REVIEW_TYPES = ("qbr", "roi_review", "executive_business_review")
REVIEW_STATUSES = ("completed", "cancelled", "no_show")
USER_ROLES = ("csm", "csm_manager", "account_executive")

TABLES: tuple[Table, ...] = (
    # ------------------------------------------------------------------ CRM
    Table("crm", "accounts", "One row per customer account (company) in the CRM, current state.", ("account_id",), (
        Column("account_id", "string", "CRM account key.", False),
        Column("account_name", "string", "Company name (not personal data, kept as is)."),
        Column("parent_account_id", "string", "Parent account key for subsidiaries; null for a top-level account."),
        Column("industry", "string", "Industry of the company.", enum=INDUSTRIES),
        Column("region", "string", "Sales region of the billing address.", enum=REGIONS),
        Column("employee_count", "int", "Number of employees of the company (drives the size segment).", min=1),
        Column("acquisition_source", "string", "How the account was acquired.", enum=ACQUISITION_SOURCES),
        Column("created_at", "timestamp", "UTC time the account was created in the CRM.", False),
        LOADED_AT,
    ), min_rows=10),
    Table("crm", "users", "One row per CRM user who owns accounts or renewals (CSMs, managers, AEs).", ("user_id",), (
        Column("user_id", "string", "CRM user key.", False),
        Column("full_name", "string", "User's full name (PII: hashed in staging).", pii=True),
        Column("email", "string", "User's work email (PII: hashed in staging).", pii=True),
        Column("role", "string", "Role of the user.", enum=USER_ROLES),
        Column("team", "string", "Team the user belongs to."),
        Column("hired_date", "date", "Date the user joined the company."),
        Column("is_active", "bool", "Whether the user is still employed."),
        LOADED_AT,
    ), min_rows=2),
    Table("crm", "account_ownership", "One row per period a CSM owned an account (ownership history).",
          ("ownership_id",), (
        Column("ownership_id", "string", "Ownership period key.", False),
        Column("account_id", "string", "Account owned.", False),
        Column("owner_user_id", "string", "CSM (crm.users) who owned the account.", False),
        Column("valid_from", "date", "First day of ownership (inclusive).", False),
        Column("valid_to", "date", "Last day of ownership (inclusive); null while current."),
        LOADED_AT,
    ), min_rows=10),
    Table("crm", "renewal_opportunities", "One row per renewal opportunity, current state.", ("opportunity_id",), (
        Column("opportunity_id", "string", "Opportunity key.", False),
        Column("account_id", "string", "Account being renewed.", False),
        Column("expiring_contract_id", "string", "Billing contract (billing.contracts) that expires."),
        Column("owner_user_id", "string", "CRM user who owns the opportunity."),
        Column("stage", "string", "Current stage.", enum=OPP_STAGES),
        Column("forecast_category", "string", "Forecast category set by the owner.", enum=FORECAST_CATEGORIES),
        Column("probability_percent", "decimal(5,2)", "Win probability in percent (0 to 100).", min=0, max=100),
        Column("currency", "string", "ISO 4217 currency of the amounts.", enum=CURRENCIES),
        Column("expiring_arr_amount", "decimal(18,2)", "ARR up for renewal, major units of currency.", min=0),
        Column("renewal_arr_amount", "decimal(18,2)", "Expected (or won) renewal ARR, major units of currency.",
               min=0),
        Column("discount_percent", "decimal(5,2)", "Discount off list on the renewal, percent.", min=0, max=100),
        Column("term_months", "int", "Term of the renewal being negotiated, months.", min=1, max=60),
        Column("is_escalated", "bool", "Executive involvement was required."),
        Column("created_date", "date", "Date the opportunity was created.", False),
        Column("close_date", "date", "Expected (open) or actual (closed) close date."),
        Column("first_outreach_date", "date", "First outreach to the customer about this renewal."),
        Column("proposal_sent_date", "date", "Date the renewal proposal was sent."),
        Column("signed_date", "date", "Date the customer signed."),
        Column("updated_at", "timestamp", "UTC time of the last change in the CRM.", False),
        LOADED_AT,
    ), min_rows=10),
    Table("crm", "opportunity_stage_history", "One row per stage change of a renewal opportunity.",
          ("stage_history_id",), (
        Column("stage_history_id", "string", "Stage change key.", False),
        Column("opportunity_id", "string", "Opportunity whose stage changed.", False),
        Column("stage", "string", "Stage entered.", enum=OPP_STAGES),
        Column("entered_at", "timestamp", "UTC time the stage was entered.", False),
        LOADED_AT,
    ), min_rows=10),
    Table("crm", "activities", "One row per logged customer interaction (email, call, meeting).", ("activity_id",), (
        Column("activity_id", "string", "Activity key.", False),
        Column("account_id", "string", "Account the interaction was with.", False),
        Column("opportunity_id", "string", "Renewal opportunity it belongs to, if any."),
        Column("user_id", "string", "CRM user who logged it."),
        Column("activity_type", "string", "Kind of interaction.", enum=ACTIVITY_TYPES),
        Column("direction", "string", "Who initiated it.", enum=("inbound", "outbound")),
        Column("is_proactive", "bool", "Planned outreach (true) vs reaction to a customer request (false)."),
        Column("occurred_at", "timestamp", "UTC time of the interaction.", False),
        LOADED_AT,
    ), min_rows=10),
    Table("crm", "sponsor_changes", "One row per change of an account's executive sponsor.", ("sponsor_change_id",), (
        Column("sponsor_change_id", "string", "Sponsor change key.", False),
        Column("account_id", "string", "Account whose sponsor changed.", False),
        Column("changed_date", "date", "Date the new sponsor took over.", False),
        Column("previous_sponsor_email", "string", "Previous sponsor's email (PII: hashed in staging).", pii=True),
        Column("new_sponsor_email", "string", "New sponsor's email (PII: hashed in staging).", pii=True),
        LOADED_AT,
    ), freshness_warn_hours=24 * 30, freshness_error_hours=24 * 60),
    Table("crm", "value_reviews", "One row per scheduled business / ROI review with a customer.",
          ("value_review_id",), (
        Column("value_review_id", "string", "Review key.", False),
        Column("account_id", "string", "Account reviewed.", False),
        Column("review_type", "string", "Kind of review.", enum=REVIEW_TYPES),
        Column("scheduled_date", "date", "Date the review was scheduled for.", False),
        Column("status", "string", "What happened.", enum=REVIEW_STATUSES),
        Column("completed_date", "date", "Date it took place; null unless completed."),
        LOADED_AT,
    ), freshness_warn_hours=24 * 30, freshness_error_hours=24 * 60),
    Table("crm", "renewal_targets", "One row per fiscal quarter and segment: the renewal ARR target.",
          ("period_start_date", "segment"), (
        Column("period_start_date", "date", "First day of the fiscal quarter.", False),
        Column("period_end_date", "date", "Last day of the fiscal quarter.", False),
        Column("segment", "string", "Company-size segment.", False, enum=SEGMENTS),
        Column("currency", "string", "ISO 4217 currency of the target.", enum=CURRENCIES),
        Column("target_arr_amount", "decimal(18,2)", "Renewal ARR target, major units of currency.", min=0),
        LOADED_AT,
    ), freshness_warn_hours=24 * 100, freshness_error_hours=24 * 130),
    Table("crm", "forecast_submissions", "One row per weekly renewal forecast a CSM submits for a quarter.",
          ("submission_id",), (
        Column("submission_id", "string", "Submission key.", False),
        Column("user_id", "string", "CSM who submitted.", False),
        Column("submitted_date", "date", "Date of the submission (weekly).", False),
        Column("period_start_date", "date", "First day of the fiscal quarter forecast.", False),
        Column("currency", "string", "ISO 4217 currency of the amounts.", enum=CURRENCIES),
        Column("forecast_renewed_arr_amount", "decimal(18,2)",
               "Forecast renewed ARR (gross basis: capped at expiring ARR), major units.", min=0),
        Column("forecast_expansion_arr_amount", "decimal(18,2)", "Forecast expansion ARR, if submitted.", min=0),
        LOADED_AT,
    )),
    # -------------------------------------------------------------- billing
    Table("billing", "contracts", "One row per signed contract (order form).", ("contract_id",), (
        Column("contract_id", "string", "Contract key.", False),
        Column("account_id", "string", "Account (crm.accounts) billed.", False),
        Column("contract_type", "string", "Why the contract exists.", enum=CONTRACT_TYPES),
        Column("predecessor_contract_id", "string", "Contract this one renews; may be missing on renewals."),
        Column("amends_contract_id", "string", "Main contract an amendment adds lines to."),
        Column("currency", "string", "ISO 4217 currency of the contract.", False, enum=CURRENCIES),
        Column("signed_date", "date", "Date the customer signed.", False),
        Column("start_date", "date", "First day of service.", False),
        Column("end_date", "date", "Last day of service (inclusive); null for an open-ended (evergreen) contract."),
        Column("term_months", "int", "Committed term in months; null when open-ended.", min=1, max=120),
        LOADED_AT,
    ), min_rows=10),
    Table("billing", "contract_lines", "One row per product line of a contract.", ("contract_line_id",), (
        Column("contract_line_id", "string", "Contract line key.", False),
        Column("contract_id", "string", "Contract (billing.contracts) the line belongs to.", False),
        Column("product_id", "string", "Product (billing.products) sold.", False),
        Column("quantity", "int", "Seats or units.", False, min=0),
        Column("unit_list_price_minor", "int", "List price per unit per billing period, minor units (cents).",
               False),
        Column("unit_net_price_minor", "int", "Net price per unit per billing period after discount, minor units.",
               False),
        Column("billing_period", "string",
               "Period the unit prices cover: month, year, or term (the whole line from start to end).",
               False, enum=BILLING_PERIODS),
        Column("currency", "string", "ISO 4217 currency of the prices.", False, enum=CURRENCIES),
        Column("start_date", "date", "First day the line is in service.", False),
        Column("end_date", "date", "Last day the line is in service (inclusive); null when open-ended."),
        LOADED_AT,
    ), min_rows=10),
    Table("billing", "products", "One row per sellable product (catalogue).", ("product_id",), (
        Column("product_id", "string", "Product key.", False),
        Column("product_name", "string", "Product name, the same for every plan tier of one product."),
        Column("product_family", "string", "Product family (a family has a core product and add-on modules).",
               False),
        Column("plan_tier", "string", "Plan tier of the product.", enum=PLAN_TIERS),
        Column("tier_rank", "int", "Rank of the tier, 1 = lowest.", min=1, max=3),
        Column("is_add_on", "bool", "A module sold on top of a family's core product."),
        LOADED_AT,
    )),
    Table("billing", "fx_rates", "One row per currency per day: the value of one unit in USD.",
          ("currency", "rate_date"), (
        Column("currency", "string", "ISO 4217 currency code.", False, enum=CURRENCIES),
        Column("rate_date", "date", "Day the rate applies to.", False),
        Column("usd_per_unit", "decimal(18,8)", "US dollars for one unit of the currency.", False, min=0),
        LOADED_AT,
    ), min_rows=10),
    # -------------------------------------------------------------- product
    Table("product", "usage_daily", "One row per product user per account per day with activity.",
          ("account_id", "user_id", "usage_date"), (
        Column("account_id", "string", "Account the user belongs to.", False),
        Column("user_id", "string", "Product user key (pseudonymous).", False),
        Column("usage_date", "date", "Day of activity (UTC).", False),
        Column("sessions", "int", "Sessions started that day.", min=0),
        Column("active_minutes", "int", "Minutes active that day.", min=0, max=1440),
        Column("core_feature_events", "int", "Events on the product's core features.", min=0),
        Column("other_feature_events", "int", "Events on all other features.", min=0),
        LOADED_AT,
    ), min_rows=100, freshness_warn_hours=36),
    Table("product", "licensed_seats", "One row per account per month: seats the account is licensed for.",
          ("account_id", "snapshot_date"), (
        Column("account_id", "string", "Account.", False),
        Column("snapshot_date", "date", "First day of the month of the snapshot.", False),
        Column("licensed_seats", "int", "Seats licensed that month.", min=0),
        LOADED_AT,
    ), min_rows=10, freshness_warn_hours=24 * 35, freshness_error_hours=24 * 45),
    # -------------------------------------------------------------- support
    Table("support", "tickets", "One row per support ticket.", ("ticket_id",), (
        Column("ticket_id", "string", "Ticket key.", False),
        Column("account_id", "string", "Account that raised it.", False),
        Column("requester_email", "string", "Requester's email (PII: hashed in staging).", pii=True),
        Column("priority", "string", "Priority.", enum=TICKET_PRIORITIES),
        Column("created_at", "timestamp", "UTC time the ticket was opened.", False),
        Column("first_response_at", "timestamp", "UTC time of the first agent response."),
        Column("resolved_at", "timestamp", "UTC time the ticket was resolved; null while open."),
        Column("is_escalated", "bool", "Escalated to engineering or management."),
        Column("reopened_count", "int", "Times the ticket was reopened.", min=0),
        Column("csat_score", "int", "Satisfaction rating of the ticket, 1 to 5; null when not rated.", min=1, max=5),
        LOADED_AT,
    ), min_rows=10),
    # ---------------------------------------------------------- cs_platform
    Table("cs_platform", "survey_responses", "One row per NPS, CSAT or CES survey answer.", ("response_id",), (
        Column("response_id", "string", "Response key.", False),
        Column("account_id", "string", "Account of the respondent.", False),
        Column("respondent_email", "string", "Respondent's email (PII: hashed in staging).", pii=True),
        Column("survey_type", "string", "nps (0-10), csat (1-5) or ces (1-7).", False, enum=SURVEY_TYPES),
        Column("score", "int", "Answer on the survey type's scale.", min=0, max=10),
        Column("responded_at", "timestamp", "UTC time of the answer.", False),
        LOADED_AT,
    )),
    Table("cs_platform", "onboarding_milestones", "One row per onboarding milestone an account reached.",
          ("milestone_id",), (
        Column("milestone_id", "string", "Milestone key.", False),
        Column("account_id", "string", "Account onboarding.", False),
        Column("contract_id", "string", "Contract whose onboarding this is."),
        Column("milestone", "string", "Milestone reached.", False, enum=MILESTONES),
        Column("achieved_date", "date", "Date reached.", False),
        LOADED_AT,
    ), freshness_warn_hours=24 * 30, freshness_error_hours=24 * 60),
    Table("cs_platform", "risk_flags", "One row per churn-risk flag a CSM raised on an account.", ("risk_flag_id",), (
        Column("risk_flag_id", "string", "Risk flag key.", False),
        Column("account_id", "string", "Account at risk.", False),
        Column("raised_by_user_id", "string", "CSM who raised it."),
        Column("reason", "string", "Why the account is at risk.", False, enum=RISK_REASONS),
        Column("flagged_date", "date", "Date the flag was raised.", False),
        Column("resolved_date", "date", "Date the flag was closed; null while open."),
        Column("outcome", "string", "How the flag ended.", enum=RISK_OUTCOMES),
        LOADED_AT,
    ), freshness_warn_hours=24 * 30, freshness_error_hours=24 * 60),
    Table("cs_platform", "churn_reasons", "One row per churned contract with the reason the customer gave.",
          ("churn_record_id",), (
        Column("churn_record_id", "string", "Churn record key.", False),
        Column("account_id", "string", "Account that churned.", False),
        Column("contract_id", "string", "Contract that was not renewed."),
        Column("churn_date", "date", "Date service ended.", False),
        Column("reason", "string", "Primary churn reason.", False, enum=CHURN_REASONS),
        Column("detail", "string", "Free-text detail."),
        LOADED_AT,
    ), freshness_warn_hours=24 * 30, freshness_error_hours=24 * 60),
)

SYSTEMS: tuple[str, ...] = tuple(dict.fromkeys(t.system for t in TABLES))
SYSTEM_DESCRIPTIONS = {
    "crm": "CRM (Salesforce-like): accounts, owners, renewal opportunities and the customer-success process.",
    "billing": "Billing / subscription system: contracts, contract lines, products and FX rates.",
    "product": "Product analytics: daily usage per user and licensed seats.",
    "support": "Support desk: tickets.",
    "cs_platform": "Customer-success platform: surveys, onboarding milestones, risk flags and churn reasons.",
}

# RWH_SOURCE_SYSTEMS declares the systems a deployment has (docs/metrics.md section 1); this is its default and
# its order. Billing is the one system every deployment needs.
SYSTEMS_DEFAULT: tuple[str, ...] = ("billing", "crm", "product", "support", "cs_platform")
REQUIRED_SYSTEM = "billing"
SOURCE_SYSTEMS_ENV = "RWH_SOURCE_SYSTEMS"


class SourceSystemsError(ValueError):
    """RWH_SOURCE_SYSTEMS names an unknown system or leaves out billing."""


def declared_systems(value: str | None = None) -> tuple[str, ...]:
    """The systems declared in ``value`` (default: the RWH_SOURCE_SYSTEMS environment variable, else all).

    Parsed as the dbt macro ``rwh_source_systems`` parses it: comma-separated, case and spaces ignored.
    """
    import os

    raw = os.environ.get(SOURCE_SYSTEMS_ENV, ",".join(SYSTEMS_DEFAULT)) if value is None else value
    names = list(dict.fromkeys(p.strip().lower() for p in raw.split(",") if p.strip()))
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        raise SourceSystemsError(f"{SOURCE_SYSTEMS_ENV} names unknown source system(s) {', '.join(unknown)}; "
                                 f"the known ones are {', '.join(SYSTEMS_DEFAULT)}.")
    if REQUIRED_SYSTEM not in names:
        raise SourceSystemsError(f"{SOURCE_SYSTEMS_ENV}='{raw}' leaves out billing, which every mart needs "
                                 "(billing alone is the smallest useful set).")
    return tuple(s for s in SYSTEMS_DEFAULT if s in names)


def tables_of(systems: tuple[str, ...]) -> tuple[Table, ...]:
    """The raw tables of the declared systems, in contract order."""
    return tuple(t for t in TABLES if t.system in systems)


def table(qualified: str) -> Table:
    for t in TABLES:
        if t.qualified == qualified:
            return t
    raise KeyError(f"unknown raw table {qualified!r}; known: {', '.join(t.qualified for t in TABLES)}")


def _decimal_args(type_: str) -> tuple[int, int]:
    inner = type_[len("decimal("):-1]
    p, s = inner.split(",")
    return int(p), int(s)


def arrow_type(type_: str) -> pa.DataType:
    if type_.startswith("decimal("):
        return pa.decimal128(*_decimal_args(type_))
    return {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
    }[type_]


def postgres_type(type_: str) -> str:
    if type_.startswith("decimal("):
        p, s = _decimal_args(type_)
        return f"numeric({p},{s})"
    return {
        "string": "text",
        "int": "bigint",
        "float": "double precision",
        "bool": "boolean",
        "date": "date",
        "timestamp": "timestamp",
    }[type_]


def arrow_schema(t: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=True) for c in t.columns])


def postgres_ddl(t: Table, schema: str) -> str:
    cols = ",\n    ".join(f'"{c.name}" {postgres_type(c.type)}' for c in t.columns)
    return f'create table "{schema}"."{t.name}" (\n    {cols}\n)'
