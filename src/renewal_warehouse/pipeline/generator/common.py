"""Shared pieces of the generator: the configuration, the product catalogue and regions, date helpers and
the row buffers every raw table is collected in."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa

from renewal_warehouse.pipeline import contract as rc

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
