"""Product usage, written chunk by chunk while the world simulates."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.common import (
    DAY_US,
    EPOCH,
    PRODUCTS,
    Rows,
    Settings,
    add_months,
    epoch_day,
    ts_us,
)


# ---------------------------------------------------------------------------------------- usage
class UsageWriter:
    """Usage per user per day and licensed seats, vectorised per account and written chunk by chunk as the
    world simulates its accounts (World.build hands over every chunk_accounts plans and forgets them),
    so memory stays bounded by one chunk whatever the number of accounts. The licensed seats go to `seats`;
    `sample` keeps the first usage row written (the corruption step re-extracts and breaks it)."""

    def __init__(self, settings: Settings, seats: Rows, out: Path, progress: Callable[[str], None]):
        self.settings, self.seats, self.progress = settings, seats, progress
        self.schema = rc.arrow_schema(rc.table("product.usage_daily"))
        self.rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 7]))
        path = out / "product" / "usage_daily.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=True)
        self.written = self.late_dropped = self.accounts_done = 0
        self.sample: tuple | None = None
        self.t0 = time.perf_counter()

    def write(self, plans: list[dict]) -> None:
        """Write the usage of one chunk of account plans."""
        settings, progress, rng, schema, writer = self.settings, self.progress, self.rng, self.schema, self.writer
        start_day, as_of_day = epoch_day(settings.start), epoch_day(settings.as_of)
        extracted = settings.extracted_at
        seats_rows = self.seats
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
                seats_rows.add(aid, m, int(seats[k]), settings.loaded(ts_us(m, 4 * 3600), 1))
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
        if self.sample is None and batch.num_rows:
            # one real row the corruption step can re-extract, update and break (usage is streamed, not kept)
            first = batch.slice(0, 1).to_pylist()[0]
            self.sample = tuple(
                int((v - datetime(1970, 1, 1)).total_seconds()) * 1_000_000 + v.microsecond
                if isinstance(v, datetime) else v for v in first.values())
        self.written += batch.num_rows
        elapsed = time.perf_counter() - t0
        progress(f"usage rows: {self.written:,} after {self.accounts_done:,}/{settings.accounts:,} accounts "
                 f"({elapsed:.1f}s, {self.written / max(elapsed, 1e-9) / 1e6:.2f}M rows/s)")
