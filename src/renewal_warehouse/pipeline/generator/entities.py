"""The simulated world's objects: CSMs and the staff they form, contracts and their lines, renewal events,
an account's owners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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


@dataclass(frozen=True)
class Staff:
    """The CSMs, drawn once before the accounts: all of them, by the segment they focus on, by user id."""

    csms: list[Csm]
    by_focus: dict[str, list[Csm]]
    by_id: dict[str, Csm]


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


def owner_at(owners: list[list], d: date) -> str:
    """The user id owning an account on day d, from its [user_id, from, to] owners (the first owner before
    any range)."""
    for uid, f, t in owners:
        if f <= d and (t is None or d <= t):
            return uid
    return owners[0][0]
