"""The world: its settings, its one seeded stream, the reference tables and the account-by-account simulation.

World builds the parts of the simulation and hands each what it reads, explicitly: the frozen Settings, the
seeded stream (Draws), the key counters (Ids), the raw tables it writes, and what was drawn before it (the
FX rates, the staff). The parts: accounts.py (contracts and renewals), crm.py (opportunities, forecasts,
targets), success.py (risk flags, sponsors, reviews, onboarding, tickets, surveys, meetings).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.accounts import Accounts
from renewal_warehouse.pipeline.generator.common import (
    EPOCH,
    FX_START,
    PRODUCTS,
    Draws,
    Fx,
    GeneratorConfig,
    Ids,
    Rows,
    Settings,
    epoch_day,
    ts_us,
)
from renewal_warehouse.pipeline.generator.crm import Crm
from renewal_warehouse.pipeline.generator.effects import PLANTED_CSMS
from renewal_warehouse.pipeline.generator.entities import Csm, RenewalEvent, Staff
from renewal_warehouse.pipeline.generator.success import Success
from renewal_warehouse.pipeline.generator.usage import UsageWriter


@dataclass(frozen=True)
class Simulated:
    """What the simulation hands on besides the rows it wrote: every renewal event and the CSMs (for
    ``_truth/``), and the planted (quarter, segment) without a renewal target (for the manifest)."""

    events: list[RenewalEvent]
    csms: list[Csm]
    missing_target: tuple[str, str] | None


class World:
    """The simulated world: its settings, its seeded stream, its key counters and the raw tables it fills."""

    def __init__(self, cfg: GeneratorConfig):
        self.settings = Settings.from_config(cfg)
        self.draw = Draws(cfg.seed)
        self.ids = Ids()
        self.tables = {t.qualified: Rows(t) for t in rc.TABLES}

    def build(self, usage: UsageWriter, progress: Callable[[str], None]) -> Simulated:
        """Simulate the world: the reference tables, every account (its usage handed to `usage` every
        chunk_accounts accounts, then forgotten), then the forecasts and targets."""
        settings, draw, ids, tables = self.settings, self.draw, self.ids, self.tables
        t0 = time.perf_counter()
        fx = fx_rates(settings, draw, tables["billing.fx_rates"])
        products(settings, draw, tables["billing.products"])
        staff = users(settings, draw, tables["crm.users"])
        progress(f"reference tables ready ({time.perf_counter() - t0:.1f}s)")
        crm = Crm(settings, draw, ids, tables, fx, staff)
        accounts = Accounts(settings, draw, ids, tables, fx, staff, crm, Success(settings, draw, ids, tables, staff))
        n = settings.accounts
        step = max(1, n // 10)
        chunk = settings.chunk_accounts
        plans: list[dict] = []
        for i in range(n):
            plans.append(accounts.account(i))
            if (i + 1) % step == 0 or i + 1 == n:
                progress(f"accounts simulated: {i + 1:,}/{n:,} ({time.perf_counter() - t0:.1f}s)")
            while len(plans) >= chunk:
                # stream: write this chunk's usage now and forget its plans (memory bounded by one chunk)
                usage.write(plans[:chunk])
                plans = plans[chunk:]
        if plans:
            usage.write(plans)
        missing_target = crm.forecasts_and_targets(accounts.events)
        progress(f"forecasts and targets ready ({time.perf_counter() - t0:.1f}s)")
        return Simulated(accounts.events, staff.csms, missing_target)


def fx_rates(settings: Settings, draw: Draws, rows: Rows) -> Fx:
    """A random walk per currency from fx_first_day to the as-of date, written on weekdays."""
    days = epoch_day(settings.as_of) - settings.fx_first_day + 1
    series_by_currency: dict[str, np.ndarray] = {}
    for cur in FX_START:  # the currencies the simulated world trades in (the contract accepts more)
        if cur == "USD":
            series = np.ones(days)
        else:
            steps = draw.rng.normal(0, 0.004, days)
            series = FX_START[cur] * np.exp(np.cumsum(steps) - np.cumsum(steps).mean() * 0)
        series = np.round(series, 6)
        series_by_currency[cur] = series
        for k in range(days):
            day = settings.fx_first_day + k
            if (day + 3) % 7 in (5, 6):
                continue
            d = EPOCH + timedelta(days=day)
            rows.add(cur, d, round(float(series[k]), 6), settings.loaded(ts_us(d, 20 * 3600)))
    return Fx(settings.fx_first_day, series_by_currency)


def products(settings: Settings, draw: Draws, rows: Rows) -> None:
    for pid, (name, family, tier, rank, add_on, _) in PRODUCTS.items():  # one name across a product's tiers
        rows.add(pid, name, family, tier, rank, add_on, draw.snapshot_loaded(settings))


def users(settings: Settings, draw: Draws, rows: Rows) -> Staff:
    """The CSMs (the planted ones among them), two CSM managers and two account executives; returns the
    CSMs as the staff the accounts are given to."""
    n = max(8, round(settings.accounts / 30))
    focuses = ("enterprise", "mid_market", "smb", "smb", "mid_market", "smb")
    csms: list[Csm] = []
    first = ("Aiko", "Ben", "Chen", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jun", "Kai", "Lena",
             "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera", "Wei", "Yara")
    last = ("Tanaka", "Lim", "Wong", "Okafor", "Schmidt", "Rossi", "Silva", "Haddad", "Kowalski", "Nguyen")
    for k in range(n):
        uid = f"U{k + 1:04d}"
        csm = Csm(uid, focuses[k % len(focuses)], float(draw.rng.normal(0, 0.03)),
                  float(np.clip(draw.rng.normal(0.07, 0.015), 0.02, 0.12)),
                  float(np.clip(draw.rng.normal(1.0, 0.03), 0.93, 1.07)),
                  float(np.clip(draw.rng.normal(0.72, 0.07), 0.5, 0.9)), 0.06)
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
        csms.append(csm)
        fn, ln = first[k % len(first)], last[(k * 7) % len(last)]
        hired = settings.start - timedelta(days=draw.ri(30, 1500))
        rows.add(uid, f"{fn} {ln}", f"{fn.lower()}.{ln.lower()}{k}@vendor.example", "csm", f"cs-{csm.focus}",
                 hired, True, draw.snapshot_loaded(settings))
    for k, role in enumerate(("csm_manager", "csm_manager", "account_executive", "account_executive")):
        uid = f"U{n + k + 1:04d}"
        rows.add(uid, f"{first[-k - 1]} {last[k]}", f"{first[-k - 1].lower()}.{last[k].lower()}@vendor.example",
                 role, "cs-leadership" if role == "csm_manager" else "sales", settings.start - timedelta(days=2000),
                 True, draw.snapshot_loaded(settings))
    return Staff(csms, {s: [c for c in csms if c.focus == s] for s in rc.SEGMENTS}, {c.user_id: c for c in csms})
