"""The simulated world's objects: CSMs, contracts and their lines, renewal events."""

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
