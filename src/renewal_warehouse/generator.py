"""Synthetic raw data for the renewal warehouse: a coherent SaaS world, written as Parquet.

The world is simulated account by account up to about 200 days past the as-of date, then *cut* at the
as-of date: a contract signed later, a stage entered later, a risk flag raised later or usage loaded after
the extract ran is not in the extract. That is how pending renewals, open opportunities and late-arriving
usage come about, consistently across tables.

Planted effects (what the marts must recover; ``PLANTED_EFFECTS`` is written to the manifest):

* Renewal probability by segment: SMB 0.80, Mid-Market 0.88, Enterprise 0.93 before the effects below.
* Health at renewal (high / mid / low): +0.05 / 0 / -0.30; low health drags usage down in the 150 days
  before the end date, raises ticket volume and lowers NPS.
* Executive sponsor change in the 90 days before the end date: -0.15.
* No value review done in the window T-150..T-61: -0.10.
* Risk flag raised >= 90 days before the end date: +0.15 (saves work when early); 30-89 days: +0.05.
* CSM skill: a small random effect per CSM, plus planted CSMs (``PLANTED_CSMS``): a heavy discounter,
  an optimist and a sandbagger in forecasting, a strong CSM with an SMB book, a weak CSM with an
  Enterprise book (portfolio adjustment must rank them differently from raw rates), and a CSM whose
  renewal opportunities stall (behind schedule against the expected stage at T-minus).
* Saved at-risk renewals carry an extra save discount of 10-25 points.

Determinism: the same configuration gives the same bytes (one seeded generator, fixed iteration order,
Parquet written without wall-clock metadata).
"""

from __future__ import annotations

import json
import math
import time
from calendar import monthrange
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from renewal_warehouse import contract as rc

EPOCH = date(1970, 1, 1)
DAY_US = 86_400_000_000
GRACE_DAYS = 30

SEGMENT_BASE_RENEWAL = {"smb": 0.80, "mid_market": 0.88, "enterprise": 0.93}
SEGMENT_SHARE = (0.60, 0.28, 0.12)
HEALTH_P = {"smb": (0.45, 0.35, 0.20), "mid_market": (0.50, 0.36, 0.14), "enterprise": (0.55, 0.34, 0.11)}
HEALTH_EFFECT = {"high": 0.05, "mid": 0.0, "low": -0.30}
REGION_CURRENCIES = {
    "north_america": (("USD", 0.85), ("CAD", 0.15)),
    "emea": (("EUR", 0.6), ("GBP", 0.4)),
    "apac": (("AUD", 0.5), ("USD", 0.5)),
    "latam": (("USD", 1.0),),
}
FX_START = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.74, "AUD": 0.66}
# product_id: (product_name, family, tier, tier_rank, is_add_on, list price per unit per month in USD)
PRODUCTS = {
    "P01": ("Platform", "platform", "starter", 1, False, 40.0),
    "P02": ("Platform", "platform", "professional", 2, False, 75.0),
    "P03": ("Platform", "platform", "enterprise", 3, False, 140.0),
    "P04": ("Analytics Module", "platform", "professional", 2, True, 12.0),
    "P05": ("Automation Module", "platform", "professional", 2, True, 18.0),
    "P06": ("Insights", "insights", "professional", 2, False, 20.0),
    "P07": ("Insights", "insights", "enterprise", 3, False, 35.0),
    "P08": ("Benchmarks Module", "insights", "professional", 2, True, 9.0),
    "P09": ("Connect", "connect", "professional", 2, False, 900.0),
}
CORE_TIER = {"smb": ("P01", "P02"), "mid_market": ("P02", "P02", "P03"), "enterprise": ("P02", "P03", "P03")}
SEATS = {"smb": (3, 20), "mid_market": (20, 80), "enterprise": (60, 250)}
PLANTED_CSMS = {
    "U0001": "heavy_discounter",
    "U0002": "optimist",
    "U0003": "sandbagger",
    "U0004": "smb_star",
    "U0005": "enterprise_underperformer",
    "U0006": "staller",
}
PLANTED_EFFECTS = {
    "segment_base_renewal_probability": SEGMENT_BASE_RENEWAL,
    "health_effect_on_renewal_probability": HEALTH_EFFECT,
    "sponsor_change_within_90_days_effect": -0.15,
    "no_value_review_t150_t61_effect": -0.10,
    "risk_flag_90_plus_days_early_effect": 0.15,
    "risk_flag_30_89_days_early_effect": 0.05,
    "save_discount_extra_points": [10, 25],
    "planted_csms": PLANTED_CSMS,
    "grace_days": GRACE_DAYS,
}


@dataclass(frozen=True)
class GeneratorConfig:
    accounts: int = 400
    years: float = 4.0
    as_of: date = date(2026, 9, 30)
    seed: int = 42
    corrupt: bool = True
    fiscal_year_start_month: int = 1
    chunk_accounts: int = 2000

    def validate(self) -> None:
        if self.accounts < 10:
            raise ValueError(f"accounts must be at least 10 (got {self.accounts})")
        if not 0.5 <= self.years <= 20:
            raise ValueError(f"years must be between 0.5 and 20 (got {self.years})")
        if not 1 <= self.fiscal_year_start_month <= 12:
            raise ValueError(f"fiscal_year_start_month must be 1-12 (got {self.fiscal_year_start_month})")
        if self.chunk_accounts < 1:
            raise ValueError("chunk_accounts must be positive")


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, monthrange(y, m)[1]))


def term_end(start: date, months: int) -> date:
    return add_months(start, months) - timedelta(days=1)


def epoch_day(d: date) -> int:
    return (d - EPOCH).days


def ts_us(d: date, seconds: float = 0.0) -> int:
    return epoch_day(d) * DAY_US + int(seconds * 1_000_000)


def quarter_start(d: date, fy_month: int) -> date:
    offset = (d.month - fy_month) % 3
    return add_months(date(d.year, d.month, 1), -offset)


# --------------------------------------------------------------------------------------- row buffers
class Rows:
    """Rows for one raw table, kept as tuples in contract column order."""

    def __init__(self, table: rc.Table):
        self.table = table
        self.names = [c.name for c in table.columns]
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        self.rows.append(values)

    def to_arrow(self) -> pa.Table:
        schema = rc.arrow_schema(self.table)
        cols = list(zip(*self.rows, strict=True)) if self.rows else [[] for _ in self.names]
        arrays = [_to_arrow(list(values), field.type) for values, field in zip(cols, schema, strict=True)]
        return pa.Table.from_arrays(arrays, schema=schema)


def _to_arrow(values: list, type_: pa.DataType) -> pa.Array:
    if pa.types.is_date32(type_):
        values = [None if v is None else epoch_day(v) if isinstance(v, date) else v for v in values]
        return pa.array(values, type=pa.int32()).cast(type_)
    if pa.types.is_timestamp(type_):
        return pa.array(values, type=pa.int64()).cast(type_)
    if pa.types.is_decimal(type_):
        from decimal import Decimal

        q = Decimal(1).scaleb(-type_.scale)
        values = [None if v is None else Decimal(str(v)).quantize(q) for v in values]
        return pa.array(values, type=type_)
    return pa.array(values, type=type_)


# --------------------------------------------------------------------------------------------- world
@dataclass
class Csm:
    user_id: str
    focus: str
    skill: float
    discount: float
    bias: float
    proactive: float
    stall: float
    planted: str | None = None


@dataclass
class Line:
    product_id: str
    quantity: int
    unit_list: float  # per month, in the contract currency, major units
    discount: float

    @property
    def unit_net(self) -> float:
        return self.unit_list * (1 - self.discount)


@dataclass
class Contract:
    contract_id: str
    account_id: str
    contract_type: str
    currency: str
    signed: date
    start: date
    end: date | None
    term_months: int | None
    lines: list[Line]
    billing_period: str
    predecessor_id: str | None = None
    amends_id: str | None = None
    line_start: date | None = None  # amendments: lines start later than signed


@dataclass
class RenewalEvent:
    account_id: str
    contract: Contract
    end: date
    health: str
    sponsor_change: date | None
    review_done: bool
    at_risk: bool
    flag_lead: int | None
    flag_reason: str | None
    outcome: str  # renewed | renewed_late | churned | late_outside_grace
    successor: Contract | None
    stalled: bool
    expiring_arr_usd: float
    renewed_arr_usd: float
    csm_at_t90: str
    extra: dict = field(default_factory=dict)


class World:
    def __init__(self, cfg: GeneratorConfig):
        cfg.validate()
        self.cfg = cfg
        self.rng = np.random.default_rng(np.random.SeedSequence(cfg.seed))
        self.as_of = cfg.as_of
        self.start = cfg.as_of - timedelta(days=int(round(cfg.years * 365.25)))
        self.horizon = cfg.as_of + timedelta(days=200)
        self.extracted_at = ts_us(cfg.as_of + timedelta(days=1), 2 * 3600)
        self.tables = {t.qualified: Rows(t) for t in rc.TABLES}
        self.counters: dict[str, int] = defaultdict(int)
        self.fx: dict[str, np.ndarray] = {}
        self.fx_first_day = epoch_day(self.start - timedelta(days=365 * 3 + 60))
        self.events: list[RenewalEvent] = []
        self.account_usage_plan: list[dict] = []
        self.usage_sample: tuple | None = None  # one real usage row, for the corruption step
        self.usage_sink: UsageWriter | None = None  # set by generate(): usage is written while simulating
        self.truth_accounts: list[tuple] = []

    # ---------------------------------------------------------------- helpers
    def next_id(self, prefix: str, width: int) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:0{width}d}"

    def r(self) -> float:
        return float(self.rng.random())

    def ri(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def pick(self, options, p=None):
        idx = int(self.rng.choice(len(options), p=p))
        return options[idx]

    def loaded(self, us: int, lag_hours: float = 6.0) -> int:
        return min(us + int(lag_hours * 3_600_000_000), self.extracted_at)

    def snapshot_loaded(self) -> int:
        return self.extracted_at - self.ri(0, 3600) * 1_000_000

    def fx_rate(self, currency: str, d: date) -> float:
        series = self.fx[currency]
        i = min(max(epoch_day(d) - self.fx_first_day, 0), len(series) - 1)
        # Weekend days carry Friday's rate, as the published table skips them.
        while i > 0 and (self.fx_first_day + i + 3) % 7 in (5, 6):  # 1970-01-01 was a Thursday
            i -= 1
        return float(series[i])

    def arr_usd(self, c: Contract, lines: list[Line] | None = None) -> float:
        rate = self.fx_rate(c.currency, c.start)
        return sum(ln.unit_net * ln.quantity * 12 for ln in (lines or c.lines)) * rate

    # ---------------------------------------------------------------- build
    def build(self, progress: Callable[[str], None]) -> None:
        t0 = time.perf_counter()
        self._fx_rates()
        self._products()
        self._users()
        progress(f"reference tables ready ({time.perf_counter() - t0:.1f}s)")
        n = self.cfg.accounts
        step = max(1, n // 10)
        chunk = self.cfg.chunk_accounts
        for i in range(n):
            self._account(i)
            if (i + 1) % step == 0 or i + 1 == n:
                progress(f"accounts simulated: {i + 1:,}/{n:,} ({time.perf_counter() - t0:.1f}s)")
            while self.usage_sink is not None and len(self.account_usage_plan) >= chunk:
                # stream: write this chunk's usage now and forget its plans (memory bounded by one chunk)
                self.usage_sink.write(self.account_usage_plan[:chunk])
                self.account_usage_plan = self.account_usage_plan[chunk:]
        if self.usage_sink is not None and self.account_usage_plan:
            self.usage_sink.write(self.account_usage_plan)
            self.account_usage_plan = []
        self._forecasts_and_targets()
        progress(f"forecasts and targets ready ({time.perf_counter() - t0:.1f}s)")

    def _fx_rates(self) -> None:
        days = epoch_day(self.as_of) - self.fx_first_day + 1
        rows = self.tables["billing.fx_rates"]
        for cur in FX_START:  # the currencies the simulated world trades in (the contract accepts more)
            if cur == "USD":
                series = np.ones(days)
            else:
                steps = self.rng.normal(0, 0.004, days)
                series = FX_START[cur] * np.exp(np.cumsum(steps) - np.cumsum(steps).mean() * 0)
            series = np.round(series, 6)
            self.fx[cur] = series
            for k in range(days):
                day = self.fx_first_day + k
                if (day + 3) % 7 in (5, 6):
                    continue
                d = EPOCH + timedelta(days=day)
                rows.add(cur, d, round(float(series[k]), 6), self.loaded(ts_us(d, 20 * 3600)))

    def _products(self) -> None:
        rows = self.tables["billing.products"]
        for pid, (name, family, tier, rank, add_on, _) in PRODUCTS.items():  # one name across a product's tiers
            rows.add(pid, name, family, tier, rank, add_on, self.snapshot_loaded())

    def _users(self) -> None:
        n = max(8, round(self.cfg.accounts / 30))
        focuses = ("enterprise", "mid_market", "smb", "smb", "mid_market", "smb")
        self.csms: list[Csm] = []
        first = ("Aiko", "Ben", "Chen", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jun", "Kai", "Lena",
                 "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera", "Wei", "Yara")
        last = ("Tanaka", "Lim", "Wong", "Okafor", "Schmidt", "Rossi", "Silva", "Haddad", "Kowalski", "Nguyen")
        users = self.tables["crm.users"]
        for k in range(n):
            uid = f"U{k + 1:04d}"
            csm = Csm(uid, focuses[k % len(focuses)], float(self.rng.normal(0, 0.03)),
                      float(np.clip(self.rng.normal(0.07, 0.015), 0.02, 0.12)),
                      float(np.clip(self.rng.normal(1.0, 0.03), 0.93, 1.07)),
                      float(np.clip(self.rng.normal(0.72, 0.07), 0.5, 0.9)), 0.06)
            planted = PLANTED_CSMS.get(uid)
            csm.planted = planted
            if planted == "heavy_discounter":
                csm.discount, csm.focus = 0.20, "mid_market"
            elif planted == "optimist":
                csm.bias = 1.25
            elif planted == "sandbagger":
                csm.bias = 0.78
            elif planted == "smb_star":
                csm.skill, csm.focus = 0.10, "smb"
            elif planted == "enterprise_underperformer":
                csm.skill, csm.focus = -0.10, "enterprise"
            elif planted == "staller":
                csm.stall = 0.55
            self.csms.append(csm)
            fn, ln = first[k % len(first)], last[(k * 7) % len(last)]
            hired = self.start - timedelta(days=self.ri(30, 1500))
            users.add(uid, f"{fn} {ln}", f"{fn.lower()}.{ln.lower()}{k}@vendor.example", "csm", f"cs-{csm.focus}",
                      hired, True, self.snapshot_loaded())
        for k, role in enumerate(("csm_manager", "csm_manager", "account_executive", "account_executive")):
            uid = f"U{n + k + 1:04d}"
            users.add(uid, f"{first[-k - 1]} {last[k]}", f"{first[-k - 1].lower()}.{last[k].lower()}@vendor.example",
                      role, "cs-leadership" if role == "csm_manager" else "sales", self.start - timedelta(days=2000),
                      True, self.snapshot_loaded())
        self.managers = [f"U{n + 1:04d}", f"U{n + 2:04d}"]
        self.by_focus = {s: [c for c in self.csms if c.focus == s] for s in rc.SEGMENTS}
        self.csm_by_id = {c.user_id: c for c in self.csms}

    # ---------------------------------------------------------------- one account
    def _account(self, i: int) -> None:
        aid = f"A{i + 1:07d}"
        seg = self.pick(rc.SEGMENTS, SEGMENT_SHARE)
        lo, hi = {"smb": (10, 199), "mid_market": (200, 1999), "enterprise": (2000, 60000)}[seg]
        employees = int(math.exp(self.rng.uniform(math.log(lo), math.log(hi))))
        region = self.pick(rc.REGIONS, (0.5, 0.28, 0.14, 0.08))
        curs = REGION_CURRENCIES[region]
        currency = self.pick([c for c, _ in curs], [p for _, p in curs])
        industry = self.pick(rc.INDUSTRIES)
        source = self.pick(rc.ACQUISITION_SOURCES, (0.5, 0.35, 0.15))
        span = (self.as_of - timedelta(days=30) - self.start).days
        # A quarter of the accounts were customers before the history window opened.
        if self.r() < 0.25:
            acq = self.start - timedelta(days=self.ri(1, 900))
        else:
            acq = self.start + timedelta(days=self.ri(0, span))
        created = acq - timedelta(days=self.ri(5, 60))
        parent = None
        if i > 20 and self.r() < 0.05:
            parent = f"A{self.ri(1, i):07d}"
        name = "".join(self.pick(("Ac", "Bri", "Cor", "Del", "Eon", "Fal", "Gri", "Hex", "Ion", "Jet", "Kra",
                                  "Lum", "Mer", "Nov", "Orb", "Pyx", "Qua", "Ryn", "Sol", "Tor", "Umb", "Vex"))
                       for _ in range(2)) + self.pick((" Inc", " Ltd", " GmbH", " Labs", " Group", " Co"))
        self.tables["crm.accounts"].add(aid, name, parent, industry, region, employees, source,
                                        ts_us(created, self.ri(8, 18) * 3600), self.snapshot_loaded())

        csm = self.pick(self.by_focus[seg] or self.csms)
        self._first_event = len(self.events)
        owners: list[list] = [[csm.user_id, created, None]]
        contracts: list[Contract] = []
        usage_events: list[tuple[date, str, bool]] = []

        def owner_on(d: date) -> str:
            for uid, f, t in owners:
                if f <= d and (t is None or d <= t):
                    return uid
            return owners[0][0] if d < owners[0][1] else owners[-1][0]

        def maybe_change_owner(frm: date, to: date) -> None:
            if to <= frm:
                return
            years = (to - frm).days / 365.0
            if self.r() < 1 - math.exp(-0.18 * years):
                d = frm + timedelta(days=self.ri(0, (to - frm).days))
                if d <= owners[-1][1] or d > self.as_of:
                    return
                choices = [c for c in (self.by_focus[seg] or self.csms) if c.user_id != owners[-1][0]]
                if not choices:
                    return
                new = self.pick(choices)
                owners[-1][2] = d - timedelta(days=1)
                owners.append([new.user_id, d, None])

        # ---- first contract (maybe after a trial)
        t = acq
        signed = t - timedelta(days=self.ri(1, 20))
        if seg != "enterprise" and source == "inbound" and self.r() < 0.35:
            trial = self._new_contract(aid, "trial", currency, signed, t, 1, seg, discount=1.0)
            contracts.append(trial)
            if self.r() >= 0.75:  # trial never converts
                self._finish_account(aid, seg, contracts, owners, usage_events, csm)
                return
            signed = t + timedelta(days=self.ri(10, 28))
            t = trial.end + timedelta(days=1)
        kind, predecessor = "new", None
        while True:  # one customer life: a first (or reactivation) contract and its chain of renewals
            if seg == "smb" and self.r() < 0.18:
                term = None  # month-to-month, open-ended
            elif seg == "smb":
                term = self.pick((12, 12, 12, 24))
            elif seg == "mid_market":
                term = self.pick((12, 12, 12, 24, 36))
            else:
                term = self.pick((12, 12, 24, 36, 36))
            owner_csm = self.csm_by_id[owner_on(min(signed, self.as_of))]
            c = self._new_contract(aid, kind, currency, signed, t, term, seg, owner_csm.discount,
                                   predecessor=predecessor)
            contracts.append(c)
            churn_end = None
            while True:
                if c.end is None:
                    churn_end = self._evergreen(aid, seg, c, owner_on)
                    if churn_end is not None:
                        usage_events.append((churn_end, self.events[-1].health, False))
                    maybe_change_owner(c.start, min(c.end or self.as_of, self.as_of))
                    break
                if seg != "smb" and c.term_months >= 12 and self.r() < 0.2:
                    a_start = c.start + timedelta(days=self.ri(60, max(61, (c.end - c.start).days - 60)))
                    if a_start < c.end:
                        self._amendment(c, a_start, contracts, seg)
                maybe_change_owner(c.start, min(c.end, self.as_of))
                if c.end > self.horizon:
                    break
                ev, successor = self._renewal(aid, seg, c, contracts, owner_on, usage_events)
                if successor is None:
                    churn_end = c.end
                    break
                # A successor starting outside the grace window still continues the account's life
                # (the event counts as churn, its start as reactivation, per METRICS.md).
                contracts.append(successor)
                c = successor
            if churn_end is None:
                break
            react = self._maybe_reactivate(churn_end)
            if react is None:
                break
            signed, t = react
            kind, predecessor = "reactivation", None
        self._finish_account(aid, seg, contracts, owners, usage_events, csm)

    def _evergreen(self, aid, seg, c: Contract, owner_on) -> date | None:
        """Month-to-month: cancels with a monthly hazard; returns the end date if cancelled."""
        months, d = 0, c.start
        while d <= self.horizon:
            months += 1
            if self.r() < 0.012:
                c.end = term_end(c.start, months)
                break
            d = add_months(c.start, months)
        if c.end is None:
            return None
        health = "low" if self.r() < 0.6 else "mid"
        ev = self._event(aid, seg, c, health, None, True, False, None, None, "churned", None, False,
                         owner_on(c.end - timedelta(days=90)))
        ev.extra["evergreen"] = True
        self._churn_record(ev)
        return c.end

    def _maybe_reactivate(self, end: date) -> tuple[date, date] | None:
        if self.r() >= 0.15:
            return None
        start = end + timedelta(days=self.ri(60, 540))
        if start > self.horizon:
            return None
        return start - timedelta(days=self.ri(3, 25)), start

    def _new_contract(self, aid, kind, currency, signed, start, term, seg, discount, predecessor=None) -> Contract:
        rate = 1.0 / FX_START[currency]
        core = self.pick(CORE_TIER[seg])
        lo, hi = SEATS[seg]
        seats = self.ri(lo, hi)
        if kind == "reactivation":
            seats = max(lo, int(seats * 0.7))
        d = float(np.clip(discount + self.rng.normal(0, 0.02), 0, 1)) if discount < 1 else 1.0
        lines = [Line(core, seats, round(PRODUCTS[core][5] * rate, 2), round(d, 4))]
        if seg != "smb" and self.r() < 0.45:
            addon = self.pick(("P04", "P05"))
            lines.append(Line(addon, seats, round(PRODUCTS[addon][5] * rate, 2), round(d, 4)))
        if seg == "enterprise" and self.r() < 0.3:
            lines.append(Line("P06", max(5, seats // 3), round(PRODUCTS["P06"][5] * rate, 2), round(d, 4)))
        if kind == "trial":
            end = start + timedelta(days=29)
            period = "month"
        elif term is None:
            end, period = None, "month"
        else:
            end = term_end(start, term)
            period = "term" if term >= 24 and self.r() < 0.25 else "year"
        return Contract(self.next_id("C", 7), aid, kind, currency, signed, start, end,
                        1 if kind == "trial" else term, lines, period,
                        predecessor_id=predecessor.contract_id if predecessor else None)

    def _amendment(self, main: Contract, a_start: date, contracts: list[Contract], seg: str) -> None:
        base = main.lines[0]
        if self.r() < 0.5:
            line = Line(base.product_id, max(1, base.quantity // self.ri(4, 8)), base.unit_list, base.discount)
        else:
            held = {ln.product_id for ln in main.lines}
            options = [p for p in ("P04", "P05", "P08") if p not in held] or ["P04"]
            pid = self.pick(options)
            line = Line(pid, base.quantity, round(PRODUCTS[pid][5] / FX_START[main.currency], 2), base.discount)
        months = max(1, round((main.end - a_start).days / 30.44))
        amend = Contract(self.next_id("C", 7), main.account_id, "amendment", main.currency,
                         a_start - timedelta(days=self.ri(1, 10)), a_start, main.end, months, [line],
                         "year" if main.billing_period != "term" else "term", amends_id=main.contract_id)
        contracts.append(amend)

    def _active_lines_at_end(self, c: Contract, contracts: list[Contract]) -> list[Line]:
        lines = list(c.lines)
        for a in contracts:
            if a.amends_id == c.contract_id:
                lines.extend(a.lines)
        merged: dict[str, Line] = {}
        for ln in lines:
            if ln.product_id in merged:
                m = merged[ln.product_id]
                merged[ln.product_id] = Line(m.product_id, m.quantity + ln.quantity, m.unit_list, m.discount)
            else:
                merged[ln.product_id] = Line(ln.product_id, ln.quantity, ln.unit_list, ln.discount)
        return list(merged.values())

    def _renewal(self, aid, seg, c: Contract, contracts, owner_on, usage_events):
        end = c.end
        csm_id = owner_on(end - timedelta(days=90))
        csm = self.csm_by_id[csm_id]
        health = self.pick(("high", "mid", "low"), HEALTH_P[seg])
        sponsor = end - timedelta(days=self.ri(5, 90)) if self.r() < 0.10 else None
        review_done = self.r() >= (0.45 if health == "low" else 0.22)
        at_risk = health == "low" or (sponsor is not None and self.r() < 0.5) or self.r() < 0.04
        flag_lead = flag_reason = None
        if at_risk and self.r() < 0.85:
            flag_lead = self.pick((self.ri(90, 170), self.ri(30, 89), self.ri(5, 29)), (0.5, 0.3, 0.2))
            if sponsor is not None:
                flag_reason = "champion_turnover"
            elif health == "low":
                flag_reason = self.pick(("usage_decline", "product_issue", "budget_cut", "competitive_threat"),
                                        (0.4, 0.3, 0.15, 0.15))
            else:
                flag_reason = self.pick(("budget_cut", "competitive_threat"))
        p = SEGMENT_BASE_RENEWAL[seg] + csm.skill + HEALTH_EFFECT[health]
        p += -0.15 * (sponsor is not None) - 0.10 * (not review_done)
        if flag_lead is not None:
            p += 0.15 if flag_lead >= 90 else 0.05 if flag_lead >= 30 else 0.0
        p = float(np.clip(p, 0.03, 0.99))
        renew = self.r() < p
        stalled = self.r() < csm.stall
        expiring_lines = self._active_lines_at_end(c, contracts)
        expiring_usd = self.arr_usd(c, expiring_lines)
        usage_events.append((end, health, renew))
        successor = None
        outcome = "churned"
        extra: dict = {}
        if renew:
            roll = self.r()
            if roll < 0.02:
                start, outcome = end + timedelta(days=self.ri(35, 70)), "late_outside_grace"
            elif roll < 0.10:
                start, outcome = end + timedelta(days=self.ri(3, 25)), "renewed_late"
            else:
                start, outcome = end + timedelta(days=1), "renewed"
            if flag_lead is not None or stalled:
                signed = end - timedelta(days=self.ri(0, 20))
            elif self.r() < 0.22:
                signed = end - timedelta(days=self.ri(30, 150))
            else:
                signed = end - timedelta(days=self.ri(1, 29))
            if outcome != "renewed":
                signed = max(signed, end + timedelta(days=self.ri(1, 10)))
                signed = min(signed, start - timedelta(days=1))
            multi = self.r() < (0.35 if seg == "enterprise" else 0.15)
            term = self.pick((24, 36)) if multi else 12
            lines, types = self._successor_lines(expiring_lines, seg, health, c.currency)
            discount = float(np.clip(csm.discount + self.rng.normal(0, 0.02), 0, 0.6))
            if multi:
                discount += 0.05
            if at_risk:
                discount += self.rng.uniform(0.10, 0.25)
            discount = round(min(discount, 0.6), 4)
            for ln in lines:
                ln.discount = discount
            successor = Contract(self.next_id("C", 7), aid, "renewal", c.currency, signed, start,
                                 term_end(start, term), term, lines,
                                 "term" if multi and self.r() < 0.25 else "year",
                                 predecessor_id=c.contract_id if self.r() >= 0.05 else None)
            extra = {"expansion_types": types, "link_missing": successor.predecessor_id is None}
            renewed_usd = min(self.arr_usd(successor) * self.fx_rate(c.currency, c.start)
                              / self.fx_rate(c.currency, successor.start), expiring_usd)
        else:
            renewed_usd = 0.0
        ev = self._event(aid, seg, c, health, sponsor, review_done, at_risk, flag_lead, flag_reason, outcome,
                         successor, stalled, csm_id, expiring_usd, renewed_usd, extra)
        if outcome in ("churned", "late_outside_grace"):
            self._churn_record(ev)
        return ev, successor

    def _successor_lines(self, expiring: list[Line], seg, health, currency):
        lines = [Line(ln.product_id, ln.quantity, ln.unit_list, ln.discount) for ln in expiring]
        types: list[str] = []
        p_exp = {"high": 0.5, "mid": 0.32, "low": 0.1}[health]
        if self.r() < p_exp:
            for typ in dict.fromkeys(self.pick(("seats", "price_uplift", "tier_upgrade", "module", "new_product"),
                                               (0.38, 0.24, 0.14, 0.14, 0.10)) for _ in range(self.ri(1, 2))):
                held = {ln.product_id for ln in lines}
                families = {PRODUCTS[p][1] for p in held}
                core = lines[0]
                if typ == "seats":
                    core.quantity += max(1, int(core.quantity * self.rng.uniform(0.1, 0.4)))
                elif typ == "price_uplift":
                    core.unit_list = round(core.unit_list * 1.07, 2)
                elif typ == "tier_upgrade":
                    upgrade = {"P01": "P02", "P02": "P03", "P06": "P07"}.get(core.product_id)
                    if upgrade is None:
                        continue
                    core.product_id = upgrade
                    core.unit_list = round(PRODUCTS[upgrade][5] / FX_START[currency], 2)
                elif typ == "module":
                    options = [p for p in ("P04", "P05") if p not in held]
                    if not options:
                        continue
                    pid = self.pick(options)
                    lines.append(Line(pid, core.quantity, round(PRODUCTS[pid][5] / FX_START[currency], 2), 0))
                else:
                    options = [p for p in ("P06", "P09") if PRODUCTS[p][1] not in families]
                    if not options:
                        continue
                    pid = self.pick(options)
                    qty = 1 if pid == "P09" else max(5, core.quantity // 3)
                    lines.append(Line(pid, qty, round(PRODUCTS[pid][5] / FX_START[currency], 2), 0))
                types.append(typ)
        if self.r() < {"high": 0.05, "mid": 0.12, "low": 0.3}[health]:
            if len(lines) > 1 and self.r() < 0.4:
                lines.pop()
                types.append("contraction_drop_line")
            else:
                lines[0].quantity = max(1, int(lines[0].quantity * self.rng.uniform(0.6, 0.9)))
                types.append("contraction_seats")
        return lines, types

    def _event(self, aid, seg, c, health, sponsor, review_done, at_risk, flag_lead, flag_reason, outcome,
               successor, stalled, csm_id, expiring_usd=None, renewed_usd=0.0, extra=None) -> RenewalEvent:
        if expiring_usd is None:
            expiring_usd = self.arr_usd(c)
        ev = RenewalEvent(aid, c, c.end, health, sponsor, review_done, at_risk, flag_lead, flag_reason, outcome,
                          successor, stalled, expiring_usd, renewed_usd, csm_id, extra or {})
        ev.extra["segment"] = seg
        self.events.append(ev)
        return ev

    def _churn_record(self, ev: RenewalEvent) -> None:
        if ev.end + timedelta(days=15) > self.as_of or self.r() >= 0.85:
            return
        if ev.flag_reason == "competitive_threat":
            reason = "competition"
        elif ev.flag_reason == "budget_cut":
            reason = "price"
        elif ev.health == "low":
            reason = self.pick(("adoption_failure", "product_fit", "price"), (0.5, 0.35, 0.15))
        else:
            reason = self.pick(rc.CHURN_REASONS, (0.2, 0.25, 0.15, 0.15, 0.15, 0.1))
        d = ev.end + timedelta(days=self.ri(1, 14))
        self.tables["cs_platform.churn_reasons"].add(
            self.next_id("CR", 7), ev.account_id, ev.contract.contract_id, ev.end, reason,
            f"Customer cited {reason.replace('_', ' ')}", self.loaded(ts_us(d, 12 * 3600)))

    # ---------------------------------------------------------------- per-account tables
    def _finish_account(self, aid, seg, contracts, owners, usage_events, first_csm) -> None:
        as_of = self.as_of
        crows = self.tables["billing.contracts"]
        lrows = self.tables["billing.contract_lines"]
        for c in contracts:
            if c.signed > as_of:
                continue
            end = c.end
            if c.term_months is None and end is not None and end > as_of:
                end = None  # an evergreen cancelled after the extract is still open-ended in it
            loaded = self.loaded(ts_us(c.signed, 17 * 3600), 30)
            crows.add(c.contract_id, aid, c.contract_type, c.predecessor_id, c.amends_id, c.currency, c.signed,
                      c.start, end, c.term_months, loaded)
            months = {"month": 1, "year": 12, "term": c.term_months or 12}[c.billing_period]
            for ln in c.lines:
                lrows.add(self.next_id("CL", 8), c.contract_id, ln.product_id, ln.quantity,
                          round(ln.unit_list * months * 100), round(ln.unit_net * months * 100),
                          c.billing_period, c.currency, c.start, end, loaded)
        own = self.tables["crm.account_ownership"]
        for uid, f, t in owners:
            if f > as_of:
                continue
            own.add(self.next_id("OW", 7), aid, uid, f, t if t is None or t <= as_of else None, self.snapshot_loaded())
        visible = [c for c in contracts if c.signed <= as_of]
        for ev in self.events[self._first_event:]:
            self._opportunity(ev, owners)
            self._risk_flags(ev)
            self._sponsor_and_reviews(ev, seg)
        self._onboarding(visible, seg)
        self._background(aid, seg, visible, owners, usage_events)
        self.account_usage_plan.append({"account_id": aid, "segment": seg, "contracts": visible,
                                        "events": usage_events})

    def _owner(self, owners, d: date) -> str:
        for uid, f, t in owners:
            if f <= d and (t is None or d <= t):
                return uid
        return owners[0][0]

    def _opportunity(self, ev: RenewalEvent, owners) -> None:
        c, end = ev.contract, ev.end
        if c.contract_type == "trial" or c.term_months is None:
            return
        created = end - timedelta(days=150 + self.ri(-10, 10))
        succ = ev.successor
        won = ev.outcome in ("renewed", "renewed_late") and succ is not None
        signed = succ.signed if succ is not None else None
        if signed is not None:
            created = min(created, signed - timedelta(days=45))
        if created > self.as_of:
            return
        oid = self.next_id("O", 7)
        owner = self._owner(owners, min(created, self.as_of))
        # planned stage timeline (day offsets relative to the end date)
        if ev.stalled:
            plan = [("not_engaged", created), ("early_discussion", end - timedelta(days=45 + self.ri(0, 8))),
                    ("proposal_sent", end - timedelta(days=28 + self.ri(0, 5))),
                    ("negotiation", end - timedelta(days=12 + self.ri(0, 4)))]
        else:
            plan = [("not_engaged", created), ("early_discussion", end - timedelta(days=120 + self.ri(-8, 8))),
                    ("proposal_sent", end - timedelta(days=90 + self.ri(-8, 8))),
                    ("negotiation", end - timedelta(days=55 + self.ri(-8, 8)))]
        if signed is not None and signed < plan[-1][1]:
            # An early renewal compresses the stages before the signature.
            gap = max(3, (signed - created).days // 4)
            plan = [("not_engaged", created)] + [
                (s, created + timedelta(days=gap * (k + 1))) for k, s in
                enumerate(("early_discussion", "proposal_sent", "negotiation"))]
        roll = self.r()
        if roll < 0.08:
            plan = [p for p in plan if p[0] != "early_discussion"]  # skipped stage
        elif roll < 0.13:
            neg = plan[-1][1]
            plan += [("proposal_sent", neg + timedelta(days=4)), ("negotiation", neg + timedelta(days=9))]
        if won:
            close = max(signed, plan[-1][1] + timedelta(days=1))
            if self.r() < 0.02:
                plan.append(("closed_lost", close - timedelta(days=6)))
                plan.append(("negotiation", close - timedelta(days=3)))  # reopened
            plan.append(("closed_won", close))
        else:
            close = end + timedelta(days=self.ri(-20, GRACE_DAYS))
            close = max(close, plan[-1][1] + timedelta(days=1))
            crm_error = self.r() < 0.015
            ev.extra["crm_says_won"] = crm_error
            plan.append(("closed_won" if crm_error else "closed_lost", close))
        plan.sort(key=lambda x: x[1])
        seen = [(s, d) for s, d in plan if d <= self.as_of]
        stage = seen[-1][0]
        hist = self.tables["crm.opportunity_stage_history"]
        last_ts = None
        for k, (s, d) in enumerate(seen):
            last_ts = ts_us(d, (9 + k % 8) * 3600 + self.ri(0, 3599))
            hist.add(self.next_id("SH", 8), oid, s, last_ts, self.loaded(last_ts))
        prob = {"not_engaged": 10, "early_discussion": 25, "proposal_sent": 50, "negotiation": 75,
                "closed_won": 100, "closed_lost": 0}[stage]
        if stage not in ("closed_won", "closed_lost"):
            prob = float(np.clip(prob + self.ri(-5, 5), 0, 100))
        category = {"not_engaged": "pipeline", "early_discussion": "pipeline", "proposal_sent": "best_case",
                    "negotiation": "commit", "closed_won": "closed", "closed_lost": "omitted"}[stage]
        expiring = sum(ln.unit_net * ln.quantity * 12 for ln in self._active_lines_at_end(c, [c]))
        expiring = ev.expiring_arr_usd / self.fx_rate(c.currency, c.start)
        if succ is not None and stage == "closed_won":
            renewal_amt = sum(ln.unit_net * ln.quantity * 12 for ln in succ.lines)
            discount, term = succ.lines[0].discount * 100, succ.term_months
        else:
            renewal_amt = expiring * (1 + self.rng.normal(0.02, 0.05))
            discount, term = self.csm_by_id[owner].discount * 100, 12
        proposal = next((d for s, d in seen if s == "proposal_sent"), None)
        outreach = plan[1][1] - timedelta(days=self.ri(3, 10)) if len(plan) > 1 else created
        escalated = self.r() < (0.4 if ev.at_risk and ev.extra.get("segment") == "enterprise" else
                                0.15 if ev.at_risk else 0.04)
        ev.extra["opportunity_id"] = oid
        ev.extra["escalated"] = escalated
        self.tables["crm.renewal_opportunities"].add(
            oid, ev.account_id, c.contract_id, owner, stage, category, round(prob, 2), c.currency,
            round(max(expiring, 0), 2), round(max(renewal_amt, 0), 2), round(min(max(discount, 0), 100), 2), term,
            escalated, created, close if stage in ("closed_won", "closed_lost") else end,
            outreach if outreach <= self.as_of else None, proposal,
            signed if (signed is not None and signed <= self.as_of and won) else None,
            last_ts, self.loaded(last_ts, 1))
        # touchpoints from first outreach to signature
        csm = self.csm_by_id.get(owner)
        n_touch = {"smb": (2, 6), "mid_market": (5, 8), "enterprise": (10, 15)}[ev.extra["segment"]]
        n = self.ri(*n_touch)
        stop = min(signed or close, self.as_of)
        span = (stop - outreach).days
        if span >= 0:
            acts = self.tables["crm.activities"]
            for k in range(n):
                d = outreach + timedelta(days=0 if k == 0 else self.ri(0, span))
                proactive = k == 0 or self.r() < (csm.proactive if csm else 0.7)
                us = ts_us(d, self.ri(8 * 3600, 18 * 3600))
                kind = self.pick(rc.ACTIVITY_TYPES, (0.5, 0.3, 0.2))
                acts.add(self.next_id("AC", 8), ev.account_id, oid, owner, kind,
                         "outbound" if proactive else "inbound", proactive, us, self.loaded(us, 2))

    def _risk_flags(self, ev: RenewalEvent) -> None:
        rows = self.tables["cs_platform.risk_flags"]
        flags = []
        if ev.flag_lead is not None:
            flagged = ev.end - timedelta(days=ev.flag_lead)
            saved = ev.outcome in ("renewed", "renewed_late")
            resolved = (ev.successor.signed if saved and ev.successor else ev.end)
            resolved = max(resolved, flagged)
            flags.append((ev.flag_reason, flagged, resolved, "saved" if saved else "churned"))
            if self.r() < 0.12:  # a second, overlapping flag with another reason
                other = self.pick([x for x in rc.RISK_REASONS if x != ev.flag_reason])
                f2 = flagged + timedelta(days=self.ri(5, max(6, ev.flag_lead - 5)))
                flags.append((other, f2, max(resolved, f2), "saved" if saved else "churned"))
        elif ev.outcome in ("renewed", "renewed_late") and self.r() < 0.02:
            f = ev.end + timedelta(days=self.ri(5, 20))  # raised after the renewal date: not an at-risk renewal
            flags.append(("product_issue", f, f + timedelta(days=30), "resolved"))
        for reason, flagged, resolved, outcome in flags:
            if flagged > self.as_of:
                continue
            if resolved > self.as_of:
                resolved, outcome = None, "open"
            rows.add(self.next_id("RF", 7), ev.account_id, ev.csm_at_t90, reason, flagged, resolved, outcome,
                     self.loaded(ts_us(flagged, 15 * 3600), 1))

    def _sponsor_and_reviews(self, ev: RenewalEvent, seg: str) -> None:
        if ev.sponsor_change is not None and ev.sponsor_change <= self.as_of:
            k = self.counters["sponsor"] = self.counters["sponsor"] + 1
            self.tables["crm.sponsor_changes"].add(
                self.next_id("SP", 7), ev.account_id, ev.sponsor_change, f"sponsor{k}a@customer.example",
                f"sponsor{k}b@customer.example", self.loaded(ts_us(ev.sponsor_change, 12 * 3600), 24))
        # the value review that counts for this renewal: scheduled in T-150..T-61
        if seg == "smb" and ev.review_done and self.r() < 0.5:
            return
        sched = ev.end - timedelta(days=self.ri(65, 145))
        if sched > self.as_of:
            return
        if ev.review_done:
            status, done = "completed", sched + timedelta(days=self.ri(0, 3))
        else:
            status, done = self.pick(("cancelled", "no_show")), None
        if done is not None and done > self.as_of:
            status, done = "cancelled", None
        rtype = "qbr" if seg != "smb" else "roi_review"
        self.tables["crm.value_reviews"].add(self.next_id("VR", 7), ev.account_id, rtype, sched, status, done,
                                             self.loaded(ts_us(done or sched, 16 * 3600), 24))

    def _onboarding(self, contracts: list[Contract], seg: str) -> None:
        rows = self.tables["cs_platform.onboarding_milestones"]
        ttv = {"smb": (2, 12, 10, 30), "mid_market": (5, 25, 30, 60), "enterprise": (15, 50, 60, 120)}[seg]
        for c in contracts:
            if c.contract_type not in ("new", "reactivation", "trial"):
                continue
            steps = [("signed", c.signed), ("first_login", c.start + timedelta(days=self.ri(ttv[0], ttv[1])))]
            if self.r() < 0.85:
                steps.append(("onboarding_completed", c.start + timedelta(days=self.ri(ttv[2], ttv[3]))))
                if self.r() < 0.85:
                    steps.append(("first_value", c.start + timedelta(days=self.ri(ttv[3], ttv[3] + 45))))
            for m, d in steps:
                if d <= self.as_of:
                    rows.add(self.next_id("OB", 7), c.account_id, c.contract_id, m, d,
                             self.loaded(ts_us(d, 18 * 3600), 12))

    def _background(self, aid, seg, contracts, owners, usage_events) -> None:
        """Tickets, surveys, background activities, QBRs and stray sponsor changes over the customer life."""
        spans = [(c.start, c.end or self.as_of) for c in contracts if c.contract_type != "amendment"]
        if not spans:
            return
        first, last = min(s for s, _ in spans), min(max(e for _, e in spans), self.as_of)
        lo = max(first, self.start)
        if last < lo:
            return
        lows = [(e - timedelta(days=150), e) for e, h, _ in usage_events if h == "low"]

        def low_at(d: date) -> bool:
            return any(a <= d <= b for a, b in lows)

        tickets = self.tables["support.tickets"]
        surveys = self.tables["cs_platform.survey_responses"]
        rate = {"smb": 0.35, "mid_market": 1.1, "enterprise": 3.0}[seg]
        days = (last - lo).days + 1
        for block in range(0, days, 30):
            d0 = lo + timedelta(days=block)
            low = low_at(d0)
            for _ in range(int(self.rng.poisson(rate * (1.8 if low else 1.0)))):
                d = d0 + timedelta(days=self.ri(0, 29))
                if d > last:
                    continue
                created = ts_us(d, self.ri(0, 86399))
                first_resp = created + int(self.rng.exponential(4.0 if not low else 7.0) * 3_600_000_000)
                resolved = first_resp + int(self.rng.exponential(20.0) * 3_600_000_000)
                if resolved > self.extracted_at - DAY_US:
                    resolved = None
                if first_resp > self.extracted_at - DAY_US:
                    first_resp = None
                escalated = self.r() < (0.2 if low else 0.07)
                csat = None
                if resolved is not None and self.r() < 0.4:
                    csat = int(np.clip(round(self.rng.normal(3.2 if low else 4.4, 0.8)), 1, 5))
                tid = self.next_id("T", 8)
                tickets.add(tid, aid, f"user{self.ri(1, 40)}@{aid.lower()}.example",
                            self.pick(rc.TICKET_PRIORITIES, (0.3, 0.45, 0.18, 0.07)), created, first_resp, resolved,
                            escalated, int(self.rng.poisson(0.15)), csat,
                            self.loaded(max(created, resolved or created, first_resp or created), 1))
                if resolved is not None and self.r() < 0.15:
                    ces = int(np.clip(round(self.rng.normal(4.0 if low else 2.2, 1.0)), 1, 7))
                    surveys.add(self.next_id("SR", 8), aid, f"user{self.ri(1, 40)}@{aid.lower()}.example", "ces",
                                ces, resolved + 3_600_000_000, self.loaded(resolved + 3_600_000_000, 1))
        respondents = {"smb": 1, "mid_market": 2, "enterprise": 4}[seg]
        for block in range(self.ri(0, 60), days, 182):
            d = lo + timedelta(days=block)
            low = low_at(d)
            for _ in range(respondents):
                if self.r() < 0.35:
                    continue
                score = int(np.clip(round(self.rng.normal(4.5 if low else 8.2, 2.0)), 0, 10))
                us = ts_us(d, self.ri(8 * 3600, 20 * 3600))
                surveys.add(self.next_id("SR", 8), aid, f"user{self.ri(1, 40)}@{aid.lower()}.example", "nps", score,
                            us, self.loaded(us, 1))
            if self.r() < 0.5:
                score = int(np.clip(round(self.rng.normal(3.3 if low else 4.3, 0.8)), 1, 5))
                us = ts_us(d + timedelta(days=3), self.ri(8 * 3600, 20 * 3600))
                if us <= ts_us(last, 86399):
                    surveys.add(self.next_id("SR", 8), aid, f"user{self.ri(1, 40)}@{aid.lower()}.example", "csat",
                                score, us, self.loaded(us, 1))
        # background customer-success activities and stray sponsor changes
        acts = self.tables["crm.activities"]
        per_year = {"smb": 2, "mid_market": 6, "enterprise": 14}[seg]
        for _ in range(int(self.rng.poisson(per_year * days / 365))):
            d = lo + timedelta(days=self.ri(0, days - 1))
            owner = self._owner(owners, d)
            csm = self.csm_by_id.get(owner)
            proactive = self.r() < (csm.proactive if csm else 0.7)
            us = ts_us(d, self.ri(8 * 3600, 18 * 3600))
            acts.add(self.next_id("AC", 8), aid, None, owner, self.pick(rc.ACTIVITY_TYPES, (0.5, 0.3, 0.2)),
                     "outbound" if proactive else "inbound", proactive, us, self.loaded(us, 2))
        if seg != "smb":
            for block in range(30, days, 91):
                d = lo + timedelta(days=block)
                if self.r() < 0.7:
                    continue  # most quarterly check-ins are not formal reviews
                status = "completed" if self.r() < 0.85 else self.pick(("cancelled", "no_show"))
                self.tables["crm.value_reviews"].add(
                    self.next_id("VR", 7), aid, self.pick(("qbr", "executive_business_review"), (0.8, 0.2)), d,
                    status, d if status == "completed" else None, self.loaded(ts_us(d, 16 * 3600), 24))
        if self.r() < min(0.9, 0.12 * days / 365):
            d = lo + timedelta(days=self.ri(0, days - 1))
            k = self.counters["sponsor"] = self.counters["sponsor"] + 1
            self.tables["crm.sponsor_changes"].add(self.next_id("SP", 7), aid, d, f"sponsor{k}a@customer.example",
                                                   f"sponsor{k}b@customer.example",
                                                   self.loaded(ts_us(d, 12 * 3600), 24))

    # ---------------------------------------------------------------- forecasts and targets
    def _forecasts_and_targets(self) -> None:
        fy = self.cfg.fiscal_year_start_month
        by_q_seg: dict[tuple[date, str], float] = defaultdict(float)
        by_q_csm: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        for ev in self.events:
            if ev.contract.contract_type == "trial":
                continue
            q = quarter_start(ev.end, fy)
            by_q_seg[(q, ev.extra["segment"])] += ev.expiring_arr_usd
            acc = by_q_csm[(q, ev.csm_at_t90)]
            acc[0] += ev.renewed_arr_usd if ev.outcome in ("renewed", "renewed_late") else 0.0
            if ev.successor is not None and ev.outcome in ("renewed", "renewed_late"):
                acc[1] += max(self.arr_usd(ev.successor) - ev.expiring_arr_usd, 0.0)
        targets = self.tables["crm.renewal_targets"]
        first_q = quarter_start(self.start, fy)
        last_q = quarter_start(self.as_of, fy)
        q = first_q
        skipped = None
        while q <= add_months(last_q, 3):
            for seg in rc.SEGMENTS:
                if q == first_q and seg == "enterprise":
                    skipped = (q.isoformat(), seg)  # planted: a quarter with no target for a segment
                    continue
                amount = round(by_q_seg.get((q, seg), 0.0) * 0.92 * self.rng.uniform(0.95, 1.05), -3)
                targets.add(q, add_months(q, 3) - timedelta(days=1), seg, "USD", amount,
                            self.loaded(ts_us(q - timedelta(days=20), 12 * 3600), 1))
            q = add_months(q, 3)
        self.missing_target = skipped
        subs = self.tables["crm.forecast_submissions"]
        q = first_q
        while q <= last_q:
            q_end = add_months(q, 3) - timedelta(days=1)
            monday = q - timedelta(days=(q.weekday() % 7) + 7)
            for csm in self.csms:
                actual, expansion = by_q_csm.get((q, csm.user_id), (0.0, 0.0))
                if actual <= 0:
                    continue
                d = monday
                while d <= q_end + timedelta(days=7):
                    if d > self.as_of:
                        break
                    if d > q_end and self.r() > 0.1:  # a few late submissions after the quarter ended
                        break
                    f = max(0.0, min(1.0, (q_end - d).days / 91))
                    factor = 1 + (csm.bias - 1) * (0.35 + 0.65 * f) + self.rng.normal(0, 0.08 * f + 0.01)
                    exp_amt = round(expansion * factor, 2) if self.r() < 0.3 else None
                    subs.add(self.next_id("FS", 7), csm.user_id, d, q, "USD", round(actual * max(factor, 0), 2),
                             exp_amt, self.loaded(ts_us(d, 17 * 3600), 1))
                    d += timedelta(days=7)
            q = add_months(q, 3)


# ---------------------------------------------------------------------------------------- usage
class UsageWriter:
    """Usage per user per day and licensed seats, vectorised per account and written chunk by chunk as the
    world simulates its accounts (World.build hands over every cfg.chunk_accounts plans and forgets them),
    so memory stays bounded by one chunk whatever the number of accounts."""

    def __init__(self, world: World, out: Path, progress: Callable[[str], None]):
        self.world, self.progress = world, progress
        self.schema = rc.arrow_schema(rc.table("product.usage_daily"))
        self.rng = np.random.default_rng(np.random.SeedSequence([world.cfg.seed, 7]))
        path = out / "product" / "usage_daily.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=True)
        self.written = self.late_dropped = self.accounts_done = 0
        self.t0 = time.perf_counter()

    def write(self, plans: list[dict]) -> None:
        """Write the usage of one chunk of account plans."""
        world, progress, rng, schema, writer = self.world, self.progress, self.rng, self.schema, self.writer
        start_day, as_of_day = epoch_day(world.start), epoch_day(world.as_of)
        extracted = world.extracted_at
        seats_rows = world.tables["product.licensed_seats"]
        adoption = {"smb": 0.85, "mid_market": 0.75, "enterprise": 0.65}
        t0 = self.t0
        self.accounts_done += len(plans)
        parts = []
        acc_names: list[str] = []
        for plan in plans:
            aid, seg = plan["account_id"], plan["segment"]
            seats = None
            lo, hi = None, None
            for c in plan["contracts"]:
                if c.contract_type == "trial":
                    qty = c.lines[0].quantity
                else:
                    qty = sum(ln.quantity for ln in c.lines if not PRODUCTS[ln.product_id][4]
                              and PRODUCTS[ln.product_id][1] == "platform")
                s, e = epoch_day(c.start), epoch_day(c.end) if c.end else as_of_day
                s, e = max(s, start_day), min(e, as_of_day)
                if e < s or qty == 0:
                    continue
                lo = s if lo is None else min(lo, s)
                hi = e if hi is None else max(hi, e)
                parts.append((aid, s, e, qty))
            if lo is None:
                continue
            n_days = hi - lo + 1
            seats = np.zeros(n_days, dtype=np.int32)
            for _aid, s, e, qty in [p for p in parts if p[0] == aid]:
                seats[s - lo:e - lo + 1] += qty
            # licensed seats: first day of each month
            d = EPOCH + timedelta(days=lo)
            m = date(d.year, d.month, 1) if d.day == 1 else add_months(date(d.year, d.month, 1), 1)
            while epoch_day(m) <= hi:
                k = epoch_day(m) - lo
                seats_rows.add(aid, m, int(seats[k]), world.loaded(ts_us(m, 4 * 3600), 1))
                m = add_months(m, 1)
            mult = np.ones(n_days)
            for end, health, renewed in plan["events"]:
                e = epoch_day(end) - lo
                level = {"high": 1.05, "mid": 0.85, "low": 0.35}[health]
                a = max(e - 150, 0)
                b = min(e, n_days - 1)
                if b >= a and e >= 0:
                    ramp = np.linspace(1.0, level, e - (e - 150) + 1)[a - (e - 150):b - (e - 150) + 1]
                    mult[a:b + 1] *= ramp
                if renewed and health == "low":  # a saved account recovers over 90 days
                    s_, lo_i, hi_i = e + 1, max(e + 1, 0), min(e + 90, n_days - 1)
                    if hi_i >= lo_i:
                        mult[lo_i:hi_i + 1] *= np.linspace(level, 1.0, 90)[lo_i - s_:hi_i - s_ + 1]
            users = max(1, int(seats.max() * adoption[seg]))
            prop = rng.beta(2.2, 2.0, users).astype(np.float32)
            allowed = np.floor(seats * adoption[seg])
            weekday = ((np.arange(lo, hi + 1) + 3) % 7) < 5
            day_p = (mult * np.where(weekday, 0.45, 0.05)).astype(np.float32)
            p = prop[:, None] * day_p[None, :]
            p[np.arange(users)[:, None] >= allowed[None, :]] = 0
            hit = rng.random(p.shape, dtype=np.float32) < p
            ui, di = np.nonzero(hit)
            if ui.size == 0:
                continue
            acc_idx = len(acc_names)
            acc_names.append(aid)
            parts_arr = (np.full(ui.size, acc_idx, dtype=np.int32), ui.astype(np.int32),
                         (di + lo).astype(np.int32))
            plan["_usage"] = parts_arr
        # assemble the chunk
        chunk_plans = [p for p in plans if "_usage" in p]
        if not chunk_plans:
            return
        acc = np.concatenate([p["_usage"][0] for p in chunk_plans])
        usr = np.concatenate([p["_usage"][1] for p in chunk_plans])
        day = np.concatenate([p["_usage"][2] for p in chunk_plans])
        for p in chunk_plans:
            del p["_usage"]
        n = acc.size
        sessions = 1 + rng.poisson(1.2, n)
        minutes = np.minimum(sessions * rng.gamma(2.0, 9.0, n), 1440).astype(np.int64)
        core = rng.poisson(6.0, n) * (rng.random(n) < 0.75)
        other = rng.poisson(9.0, n)
        lag_h = np.where(rng.random(n) < 0.03, rng.integers(48, 240, n), rng.integers(20, 30, n))
        loaded = day.astype(np.int64) * DAY_US + lag_h.astype(np.int64) * 3_600_000_000
        keep = loaded <= extracted
        self.late_dropped += int(n - keep.sum())
        acc, usr, day = acc[keep], usr[keep], day[keep]
        sessions, minutes, core, other, loaded = sessions[keep], minutes[keep], core[keep], other[keep], loaded[keep]
        acc_arr = pa.DictionaryArray.from_arrays(pa.array(acc, pa.int32()), pa.array(acc_names, pa.string()))
        user_num = pc.cast(pa.array(usr + 1, pa.int32()), pa.string())
        user_ids = pc.binary_join_element_wise(pc.cast(acc_arr, pa.string()), pc.utf8_lpad(user_num, 4, "0"), "-U")
        batch = pa.Table.from_arrays([
            pc.cast(acc_arr, pa.string()), user_ids, pa.array(day, pa.int32()).cast(pa.date32()),
            pa.array(sessions, pa.int64()), pa.array(minutes, pa.int64()), pa.array(core.astype(np.int64)),
            pa.array(other, pa.int64()), pa.array(loaded, pa.int64()).cast(pa.timestamp("us")),
        ], schema=schema)
        writer.write_table(batch, row_group_size=1_000_000)
        if world.usage_sample is None and batch.num_rows:
            # one real row the corruption step can re-extract, update and break (usage is streamed, not kept)
            first = batch.slice(0, 1).to_pylist()[0]
            world.usage_sample = tuple(
                int((v - datetime(1970, 1, 1)).total_seconds()) * 1_000_000 + v.microsecond
                if isinstance(v, datetime) else v for v in first.values())
        self.written += batch.num_rows
        elapsed = time.perf_counter() - t0
        progress(f"usage rows: {self.written:,} after {self.accounts_done:,}/{world.cfg.accounts:,} accounts "
                 f"({elapsed:.1f}s, {self.written / max(elapsed, 1e-9) / 1e6:.2f}M rows/s)")


# ------------------------------------------------------------------------------------- corruption
def corrupt(world: World) -> list[dict]:
    """Inject rows that break one staging rule each (fresh keys, so the clean world is untouched).

    Returns the list of {table, key, reason} the staging quarantine must hold, plus exact duplicates
    as {table, key, reason: "duplicate"} (these are deduplicated, not quarantined) and older versions of
    real rows as {table, key, reason: "superseded"} (a later load replaced them).
    """
    rng = np.random.default_rng(np.random.SeedSequence([world.cfg.seed, 13]))
    expected: list[dict] = []

    def key_of(t: rc.Table, row: tuple) -> str:
        names = [c.name for c in t.columns]
        return "|".join("" if row[names.index(k)] is None else str(
            row[names.index(k)].isoformat() if isinstance(row[names.index(k)], date) else row[names.index(k)])
            for k in t.primary_key)

    def corrupt_table(qualified: str, rows: Rows) -> None:
        t = rows.table
        names = rows.names
        if qualified == "product.usage_daily":
            # usage is streamed to disk: its base is a real row kept aside, drawn without the shared rng so the
            # other tables' corruptions stay as they were
            if world.usage_sample is None:
                return
            base = world.usage_sample
        elif not rows.rows:
            return
        else:
            base = rows.rows[int(rng.integers(0, len(rows.rows)))]

        def fresh(row: tuple, tag: str) -> tuple:
            row = list(row)
            strings = [k for k in t.primary_key if t.column(k).type == "string"]
            k = next((k for k in reversed(strings) if k != "account_id"), strings[0])
            i = names.index(k)
            row[i] = f"{row[i]}-X{tag}"
            return tuple(row)

        def put(row: tuple, reason: str) -> None:
            rows.rows.append(row)
            expected.append({"table": qualified, "key": key_of(t, row), "reason": reason})

        def with_(row: tuple, **changes) -> tuple:
            row = list(row)
            for k, v in changes.items():
                row[names.index(k)] = v
            return tuple(row)

        # exact duplicate, re-extracted later: deduplicated, not quarantined
        dup = with_(base, _loaded_at=min(base[names.index("_loaded_at")] + 1_000_000, world.extracted_at))
        rows.rows.append(dup)
        expected.append({"table": qualified, "key": key_of(t, base), "reason": "duplicate"})
        # an older version of a real row (other content, loaded a day earlier), as a CDC or re-sync extract
        # carries it: the later load wins and this one is superseded, counted, never staged
        updatable = next((c for c in t.columns if c.name not in t.primary_key and c.name != "_loaded_at"
                          and c.type in ("int", "string", "float", "date") and c.enum is None
                          and not c.name.endswith("_id")), None)
        if updatable is not None:
            v = base[names.index(updatable.name)]
            older_value = {"int": lambda: (v or 0) + 1, "float": lambda: round((v or 0) * 1.01 + 0.01, 6),
                           "date": lambda: (v or date(2020, 1, 1)) - timedelta(days=1),
                           "string": lambda: f"{v}-previous"}[updatable.type]()
            older = with_(base, **{updatable.name: older_value, "_loaded_at": base[names.index("_loaded_at")] - DAY_US})
            rows.rows.append(older)
            expected.append({"table": qualified, "key": key_of(t, base), "reason": "superseded"})
        if qualified in ("billing.fx_rates",):
            # conflicting versions on a Saturday (no published rate), so no real line loses its rate
            sat = date(2020, 1, 4)
            r1 = with_(base, rate_date=sat)
            r2 = with_(base, rate_date=sat, usd_per_unit=round(base[names.index("usd_per_unit")] * 1.01, 6))
            put(r1, "conflicting_versions")
            put(r2, "conflicting_versions")
            put(with_(base, currency="XYZ", rate_date=sat), "unknown_currency")
            return
        if qualified == "crm.renewal_targets":
            odd = with_(base, segment="giant")
            put(odd, "invalid_enum")
            return
        if qualified == "product.licensed_seats":
            put(with_(base, account_id="A9999999"), "unknown_account")
            return
        # conflicting versions: same fresh key, two different contents
        c1 = fresh(base, "1")
        changed = next((c for c in t.columns if c.name not in t.primary_key and c.name != "_loaded_at"
                        and c.type in ("int", "string") and c.enum is None and not c.name.endswith("_id")), None)
        if changed is not None:
            v = c1[names.index(changed.name)]
            c2 = with_(c1, **{changed.name: (v or 0) + 1 if changed.type == "int" else f"{v}-changed"})
            put(c1, "conflicting_versions")
            put(c2, "conflicting_versions")
        # null key
        put(with_(fresh(base, "2"), **{t.primary_key[-1] if qualified != "product.usage_daily" else "user_id": None}),
            "null_key")
        enum_col = next((c for c in t.columns if c.enum is not None and c.name != "currency"), None)
        if enum_col is not None:
            put(with_(fresh(base, "3"), **{enum_col.name: "not_a_value"}), "invalid_enum")
        if "account_id" in names and qualified != "crm.accounts":
            put(with_(fresh(base, "4"), account_id="A9999999"), "unknown_account")
        if qualified == "billing.contracts":
            put(with_(fresh(base, "5"), start_date=date(2024, 5, 1), end_date=date(2024, 4, 1)), "invalid_date_range")
            put(with_(fresh(base, "6"), currency="XYZ"), "unknown_currency")
            put(with_(fresh(base, "7"), signed_date=world.as_of + timedelta(days=40)), "future_date")
        if qualified == "billing.contract_lines":
            put(with_(fresh(base, "5"), unit_net_price_minor=-5000), "negative_amount")
            put(with_(fresh(base, "6"), start_date=date(2024, 5, 1), end_date=date(2024, 4, 1)), "invalid_date_range")
            put(with_(fresh(base, "7"), contract_id="C9999999"), "unknown_contract")
            # starts before the first published rate of its currency: no rate to convert it at
            put(with_(fresh(base, "9"), currency="EUR", start_date=date(1999, 1, 4), end_date=date(1999, 12, 31)),
                "missing_fx_rate")
        if qualified == "crm.activities":
            put(with_(fresh(base, "5"), occurred_at=world.extracted_at + 5 * DAY_US), "future_date")
            # dated and loaded "in the future" (after any run): it must move neither the as-of date nor a key
            far = int((datetime(2100, 1, 4, 9) - datetime(1970, 1, 1)).total_seconds()) * 1_000_000
            put(with_(fresh(base, "8"), occurred_at=far, _loaded_at=far), "future_date")
        if qualified == "cs_platform.survey_responses":
            put(with_(fresh(base, "5"), survey_type="csat", score=9), "out_of_range")
        if qualified == "product.usage_daily":
            put(with_(fresh(base, "5"), usage_date=world.as_of + timedelta(days=3)), "future_date")
    for qualified, rows in world.tables.items():
        corrupt_table(qualified, rows)
    return expected


# -------------------------------------------------------------------------------------- writing
def truth_tables(world: World) -> dict[str, pa.Table]:
    evs = world.events
    cols: dict[str, list] = defaultdict(list)
    for ev in evs:
        c = ev.contract
        cols["account_id"].append(ev.account_id)
        cols["contract_id"].append(c.contract_id)
        cols["contract_type"].append(c.contract_type)
        cols["segment"].append(ev.extra["segment"])
        cols["end_date"].append(ev.end)
        cols["health"].append(ev.health)
        cols["had_sponsor_change"].append(ev.sponsor_change is not None)
        cols["value_review_done"].append(ev.review_done)
        cols["is_at_risk"].append(ev.at_risk)
        cols["flag_lead_days"].append(ev.flag_lead)
        cols["is_stalled"].append(ev.stalled)
        cols["outcome"].append(ev.outcome)
        cols["successor_contract_id"].append(ev.successor.contract_id if ev.successor else None)
        cols["csm_at_t90"].append(ev.csm_at_t90)
        cols["opportunity_id"].append(ev.extra.get("opportunity_id"))
        cols["expansion_types"].append(",".join(t for t in ev.extra.get("expansion_types", [])))
        cols["crm_says_won"].append(bool(ev.extra.get("crm_says_won", False)))
        cols["expiring_arr_usd"].append(round(ev.expiring_arr_usd, 2))
    events = pa.table({k: pa.array([epoch_day(x) for x in v], pa.int32()).cast(pa.date32())
                       if k == "end_date" else pa.array(v) for k, v in cols.items()})
    csms = pa.table({
        "user_id": [c.user_id for c in world.csms],
        "focus_segment": [c.focus for c in world.csms],
        "skill": [round(c.skill, 4) for c in world.csms],
        "discount_habit": [round(c.discount, 4) for c in world.csms],
        "forecast_bias": [round(c.bias, 4) for c in world.csms],
        "stall_probability": [c.stall for c in world.csms],
        "planted_role": [c.planted for c in world.csms],
    })
    return {"renewal_events": events, "csms": csms}


def generate(cfg: GeneratorConfig, out: Path, progress: Callable[[str], None] = print) -> dict:
    """Generate the raw tables under ``out/<system>/<table>.parquet`` and return the manifest."""
    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = World(cfg)
    world.usage_sink = sink = UsageWriter(world, out, progress)
    world.build(progress)
    world.usage_writer = sink.writer
    usage_rows, late = sink.written, sink.late_dropped
    expected = corrupt(world) if cfg.corrupt else []
    usage_extra = world.tables["product.usage_daily"]
    if usage_extra.rows:
        world.usage_writer.write_table(usage_extra.to_arrow())
        usage_rows += len(usage_extra.rows)
    world.usage_writer.close()
    counts = {"product.usage_daily": usage_rows}
    for qualified, rows in world.tables.items():
        if qualified == "product.usage_daily":
            continue
        t = rows.table
        path = out / t.system / f"{t.name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(rows.to_arrow(), path, compression="zstd")
        counts[qualified] = len(rows.rows)
    truth_dir = out / "_truth"
    truth_dir.mkdir(exist_ok=True)
    for name, tbl in truth_tables(world).items():
        pq.write_table(tbl, truth_dir / f"{name}.parquet", compression="zstd")
    cfg_dict = asdict(cfg)
    cfg_dict["as_of"] = cfg.as_of.isoformat()
    manifest = {
        "generator": "renewal_warehouse.generator",
        "config": cfg_dict,
        "history_start": world.start.isoformat(),
        "as_of": cfg.as_of.isoformat(),
        "extracted_at": (datetime(1970, 1, 1) + timedelta(microseconds=world.extracted_at)).isoformat(),
        "row_counts": dict(sorted(counts.items())),
        "late_usage_rows_not_yet_arrived": late,
        "missing_renewal_target": world.missing_target,
        "planted_effects": PLANTED_EFFECTS,
        "expected_quarantine": [e for e in expected if e["reason"] not in ("duplicate", "superseded")],
        "expected_duplicates": [e for e in expected if e["reason"] == "duplicate"],
        "expected_superseded": [e for e in expected if e["reason"] == "superseded"],
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    total = sum(counts.values())
    progress(f"wrote {total:,} rows in {len(counts)} tables to {out} in {time.perf_counter() - t0:.1f}s")
    return manifest
