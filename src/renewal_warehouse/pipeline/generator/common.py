"""Shared pieces of the generator: the configuration and the settings derived from it, the product catalogue
and regions, date helpers, the seeded random stream, the key counters, the FX rates and the row buffers every
raw table is collected in."""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from renewal_warehouse.pipeline import contract as rc

if TYPE_CHECKING:
    from renewal_warehouse.pipeline.generator.entities import Contract, Line

EPOCH = date(1970, 1, 1)
DAY_US = 86_400_000_000
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


# ------------------------------------------------------------------------------- what every part reads
@dataclass(frozen=True)
class Settings:
    """The world's settings, derived once from the configuration and handed to every part of the simulation:
    the size and seed, the fiscal year, and the world's dates (history start, as-of date, the horizon the
    simulation runs to, when the extract ran, the first day of FX rates)."""

    seed: int
    accounts: int
    chunk_accounts: int
    fiscal_year_start_month: int
    as_of: date
    start: date
    horizon: date
    extracted_at: int  # microseconds since the epoch
    fx_first_day: int  # days since the epoch

    @classmethod
    def from_config(cls, cfg: GeneratorConfig) -> Settings:
        cfg.validate()
        start = cfg.as_of - timedelta(days=int(round(cfg.years * 365.25)))
        return cls(seed=cfg.seed, accounts=cfg.accounts, chunk_accounts=cfg.chunk_accounts,
                   fiscal_year_start_month=cfg.fiscal_year_start_month, as_of=cfg.as_of, start=start,
                   horizon=cfg.as_of + timedelta(days=200),
                   extracted_at=ts_us(cfg.as_of + timedelta(days=1), 2 * 3600),
                   fx_first_day=epoch_day(start - timedelta(days=365 * 3 + 60)))

    def loaded(self, us: int, lag_hours: float = 6.0) -> int:
        """When a row written at `us` was loaded: `lag_hours` later, never after the extract ran."""
        return min(us + int(lag_hours * 3_600_000_000), self.extracted_at)


class Draws:
    """The world's one seeded random stream. The parts of the simulation draw from it in a fixed order, so the
    same seed gives the same world (usage, the forecasts and the corruption have streams of their own)."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(np.random.SeedSequence(seed))

    def r(self) -> float:
        return float(self.rng.random())

    def ri(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def pick(self, options, p=None):
        idx = int(self.rng.choice(len(options), p=p))
        return options[idx]

    def snapshot_loaded(self, settings: Settings) -> int:
        """When a row of a snapshot table was loaded: within the hour before the extract ran."""
        return settings.extracted_at - self.ri(0, 3600) * 1_000_000


class Ids:
    """The world's running numbers: one sequence per key prefix (and per other numbered thing)."""

    def __init__(self):
        self._counters: dict[str, int] = defaultdict(int)

    def number(self, sequence: str) -> int:
        self._counters[sequence] += 1
        return self._counters[sequence]

    def next(self, prefix: str, width: int) -> str:
        """The next key of a prefix, e.g. C0000042."""
        return f"{prefix}{self.number(prefix):0{width}d}"


class Fx:
    """The daily USD rate of each currency the world trades in (weekends carry Friday's rate)."""

    def __init__(self, first_day: int, series: dict[str, np.ndarray]):
        self.first_day, self.series = first_day, series

    def rate(self, currency: str, d: date) -> float:
        series = self.series[currency]
        i = min(max(epoch_day(d) - self.first_day, 0), len(series) - 1)
        # Weekend days carry Friday's rate, as the published table skips them.
        while i > 0 and (self.first_day + i + 3) % 7 in (5, 6):  # 1970-01-01 was a Thursday
            i -= 1
        return float(series[i])

    def arr_usd(self, c: Contract, lines: list[Line] | None = None) -> float:
        rate = self.rate(c.currency, c.start)
        return sum(ln.unit_net * ln.quantity * 12 for ln in (lines or c.lines)) * rate


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
