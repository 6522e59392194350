"""The world: seeded randomness, FX, the reference tables and the account-by-account simulation loop.

Its methods are spread over mixins by domain: accounts.py (contracts and renewals), crm.py
(opportunities, forecasts, targets), success.py (risk flags, sponsors, reviews, onboarding, tickets,
surveys, meetings).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.accounts import AccountsMixin
from renewal_warehouse.pipeline.generator.common import (
    EPOCH,
    FX_START,
    PRODUCTS,
    GeneratorConfig,
    Rows,
    epoch_day,
    ts_us,
)
from renewal_warehouse.pipeline.generator.crm import CrmMixin
from renewal_warehouse.pipeline.generator.effects import PLANTED_CSMS
from renewal_warehouse.pipeline.generator.entities import Contract, Csm, Line, RenewalEvent
from renewal_warehouse.pipeline.generator.success import SuccessMixin
from renewal_warehouse.pipeline.generator.usage import UsageWriter


class World(AccountsMixin, CrmMixin, SuccessMixin):
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
