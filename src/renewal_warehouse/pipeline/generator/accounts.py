"""Accounts, their contracts, amendments and renewals (the renewal draw reads effects.py)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.common import (
    CORE_TIER,
    FX_START,
    PRODUCTS,
    REGION_CURRENCIES,
    SEATS,
    Draws,
    Fx,
    Ids,
    Rows,
    Settings,
    add_months,
    term_end,
    ts_us,
)
from renewal_warehouse.pipeline.generator.crm import Crm
from renewal_warehouse.pipeline.generator.effects import (
    HEALTH_P,
    SAVE_DISCOUNT_EXTRA,
    SEGMENT_SHARE,
    renewal_probability,
)
from renewal_warehouse.pipeline.generator.entities import Contract, Line, RenewalEvent, Staff
from renewal_warehouse.pipeline.generator.success import Success


class Accounts:
    """Accounts, simulated one at a time: their contracts, amendments, renewals and churn, then (through the
    CRM and the customer-success parts) everything else an account leaves in the raw tables. Keeps the
    renewal events of every account (`events`)."""

    def __init__(self, settings: Settings, draw: Draws, ids: Ids, tables: dict[str, Rows], fx: Fx, staff: Staff,
                 crm: Crm, success: Success):
        self.settings, self.draw, self.ids, self.tables = settings, draw, ids, tables
        self.fx, self.staff, self.crm, self.success = fx, staff, crm, success
        self.events: list[RenewalEvent] = []

    # ---------------------------------------------------------------- one account
    def account(self, i: int) -> dict:
        """Simulate account number i; returns its usage plan (its visible contracts and renewal events), which
        the usage writer turns into usage rows."""
        aid = f"A{i + 1:07d}"
        seg = self.draw.pick(rc.SEGMENTS, SEGMENT_SHARE)
        lo, hi = {"smb": (10, 199), "mid_market": (200, 1999), "enterprise": (2000, 60000)}[seg]
        employees = int(math.exp(self.draw.rng.uniform(math.log(lo), math.log(hi))))
        region = self.draw.pick(rc.REGIONS, (0.5, 0.28, 0.14, 0.08))
        curs = REGION_CURRENCIES[region]
        currency = self.draw.pick([c for c, _ in curs], [p for _, p in curs])
        industry = self.draw.pick(rc.INDUSTRIES)
        source = self.draw.pick(rc.ACQUISITION_SOURCES, (0.5, 0.35, 0.15))
        span = (self.settings.as_of - timedelta(days=30) - self.settings.start).days
        # A quarter of the accounts were customers before the history window opened.
        if self.draw.r() < 0.25:
            acq = self.settings.start - timedelta(days=self.draw.ri(1, 900))
        else:
            acq = self.settings.start + timedelta(days=self.draw.ri(0, span))
        created = acq - timedelta(days=self.draw.ri(5, 60))
        parent = None
        if i > 20 and self.draw.r() < 0.05:
            parent = f"A{self.draw.ri(1, i):07d}"
        name = "".join(self.draw.pick(("Ac", "Bri", "Cor", "Del", "Eon", "Fal", "Gri", "Hex", "Ion", "Jet", "Kra",
                                  "Lum", "Mer", "Nov", "Orb", "Pyx", "Qua", "Ryn", "Sol", "Tor", "Umb", "Vex"))
                       for _ in range(2)) + self.draw.pick((" Inc", " Ltd", " GmbH", " Labs", " Group", " Co"))
        self.tables["crm.accounts"].add(aid, name, parent, industry, region, employees, source,
                                        ts_us(created, self.draw.ri(8, 18) * 3600),
                                        self.draw.snapshot_loaded(self.settings))

        csm = self.draw.pick(self.staff.by_focus[seg] or self.staff.csms)
        first_event = len(self.events)
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
            if self.draw.r() < 1 - math.exp(-0.18 * years):
                d = frm + timedelta(days=self.draw.ri(0, (to - frm).days))
                if d <= owners[-1][1] or d > self.settings.as_of:
                    return
                choices = [c for c in (self.staff.by_focus[seg] or self.staff.csms) if c.user_id != owners[-1][0]]
                if not choices:
                    return
                new = self.draw.pick(choices)
                owners[-1][2] = d - timedelta(days=1)
                owners.append([new.user_id, d, None])

        # ---- first contract (maybe after a trial)
        t = acq
        signed = t - timedelta(days=self.draw.ri(1, 20))
        if seg != "enterprise" and source == "inbound" and self.draw.r() < 0.35:
            trial = self._new_contract(aid, "trial", currency, signed, t, 1, seg, discount=1.0)
            contracts.append(trial)
            if self.draw.r() >= 0.75:  # trial never converts
                return self._finish_account(aid, seg, contracts, owners, usage_events, self.events[first_event:])
            signed = t + timedelta(days=self.draw.ri(10, 28))
            t = trial.end + timedelta(days=1)
        kind, predecessor = "new", None
        while True:  # one customer life: a first (or reactivation) contract and its chain of renewals
            if seg == "smb" and self.draw.r() < 0.18:
                term = None  # month-to-month, open-ended
            elif seg == "smb":
                term = self.draw.pick((12, 12, 12, 24))
            elif seg == "mid_market":
                term = self.draw.pick((12, 12, 12, 24, 36))
            else:
                term = self.draw.pick((12, 12, 24, 36, 36))
            owner_csm = self.staff.by_id[owner_on(min(signed, self.settings.as_of))]
            c = self._new_contract(aid, kind, currency, signed, t, term, seg, owner_csm.discount,
                                   predecessor=predecessor)
            contracts.append(c)
            churn_end = None
            while True:
                if c.end is None:
                    churn_end = self._evergreen(aid, seg, c, owner_on)
                    if churn_end is not None:
                        usage_events.append((churn_end, self.events[-1].health, False))
                    maybe_change_owner(c.start, min(c.end or self.settings.as_of, self.settings.as_of))
                    break
                if seg != "smb" and c.term_months >= 12 and self.draw.r() < 0.2:
                    a_start = c.start + timedelta(days=self.draw.ri(60, max(61, (c.end - c.start).days - 60)))
                    if a_start < c.end:
                        self._amendment(c, a_start, contracts, seg)
                maybe_change_owner(c.start, min(c.end, self.settings.as_of))
                if c.end > self.settings.horizon:
                    break
                ev, successor = self._renewal(aid, seg, c, contracts, owner_on, usage_events)
                if successor is None:
                    churn_end = c.end
                    break
                # A successor starting outside the grace window still continues the account's life
                # (the event counts as churn, its start as reactivation, per docs/metrics.md).
                contracts.append(successor)
                c = successor
            if churn_end is None:
                break
            react = self._maybe_reactivate(churn_end)
            if react is None:
                break
            signed, t = react
            kind, predecessor = "reactivation", None
        return self._finish_account(aid, seg, contracts, owners, usage_events, self.events[first_event:])

    def _evergreen(self, aid, seg, c: Contract, owner_on) -> date | None:
        """Month-to-month: cancels with a monthly hazard; returns the end date if cancelled."""
        months, d = 0, c.start
        while d <= self.settings.horizon:
            months += 1
            if self.draw.r() < 0.012:
                c.end = term_end(c.start, months)
                break
            d = add_months(c.start, months)
        if c.end is None:
            return None
        health = "low" if self.draw.r() < 0.6 else "mid"
        ev = self._event(aid, seg, c, health, None, True, False, None, None, "churned", None, False,
                         owner_on(c.end - timedelta(days=90)))
        ev.extra["evergreen"] = True
        self._churn_record(ev)
        return c.end

    def _maybe_reactivate(self, end: date) -> tuple[date, date] | None:
        if self.draw.r() >= 0.15:
            return None
        start = end + timedelta(days=self.draw.ri(60, 540))
        if start > self.settings.horizon:
            return None
        return start - timedelta(days=self.draw.ri(3, 25)), start

    def _new_contract(self, aid, kind, currency, signed, start, term, seg, discount, predecessor=None) -> Contract:
        rate = 1.0 / FX_START[currency]
        core = self.draw.pick(CORE_TIER[seg])
        lo, hi = SEATS[seg]
        seats = self.draw.ri(lo, hi)
        if kind == "reactivation":
            seats = max(lo, int(seats * 0.7))
        d = float(np.clip(discount + self.draw.rng.normal(0, 0.02), 0, 1)) if discount < 1 else 1.0
        lines = [Line(core, seats, round(PRODUCTS[core][5] * rate, 2), round(d, 4))]
        if seg != "smb" and self.draw.r() < 0.45:
            addon = self.draw.pick(("P04", "P05"))
            lines.append(Line(addon, seats, round(PRODUCTS[addon][5] * rate, 2), round(d, 4)))
        if seg == "enterprise" and self.draw.r() < 0.3:
            lines.append(Line("P06", max(5, seats // 3), round(PRODUCTS["P06"][5] * rate, 2), round(d, 4)))
        if kind == "trial":
            end = start + timedelta(days=29)
            period = "month"
        elif term is None:
            end, period = None, "month"
        else:
            end = term_end(start, term)
            period = "term" if term >= 24 and self.draw.r() < 0.25 else "year"
        return Contract(self.ids.next("C", 7), aid, kind, currency, signed, start, end,
                        1 if kind == "trial" else term, lines, period,
                        predecessor_id=predecessor.contract_id if predecessor else None)

    def _amendment(self, main: Contract, a_start: date, contracts: list[Contract], seg: str) -> None:
        base = main.lines[0]
        if self.draw.r() < 0.5:
            line = Line(base.product_id, max(1, base.quantity // self.draw.ri(4, 8)), base.unit_list, base.discount)
        else:
            held = {ln.product_id for ln in main.lines}
            options = [p for p in ("P04", "P05", "P08") if p not in held] or ["P04"]
            pid = self.draw.pick(options)
            line = Line(pid, base.quantity, round(PRODUCTS[pid][5] / FX_START[main.currency], 2), base.discount)
        months = max(1, round((main.end - a_start).days / 30.44))
        amend = Contract(self.ids.next("C", 7), main.account_id, "amendment", main.currency,
                         a_start - timedelta(days=self.draw.ri(1, 10)), a_start, main.end, months, [line],
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
        csm = self.staff.by_id[csm_id]
        health = self.draw.pick(("high", "mid", "low"), HEALTH_P[seg])
        sponsor = end - timedelta(days=self.draw.ri(5, 90)) if self.draw.r() < 0.10 else None
        review_done = self.draw.r() >= (0.45 if health == "low" else 0.22)
        at_risk = health == "low" or (sponsor is not None and self.draw.r() < 0.5) or self.draw.r() < 0.04
        flag_lead = flag_reason = None
        if at_risk and self.draw.r() < 0.85:
            flag_lead = self.draw.pick((self.draw.ri(90, 170), self.draw.ri(30, 89), self.draw.ri(5, 29)),
                                       (0.5, 0.3, 0.2))
            if sponsor is not None:
                flag_reason = "champion_turnover"
            elif health == "low":
                flag_reason = self.draw.pick(("usage_decline", "product_issue", "budget_cut", "competitive_threat"),
                                        (0.4, 0.3, 0.15, 0.15))
            else:
                flag_reason = self.draw.pick(("budget_cut", "competitive_threat"))
        p = renewal_probability(seg, csm.skill, health, sponsor is not None, review_done, flag_lead)
        renew = self.draw.r() < p
        stalled = self.draw.r() < csm.stall
        expiring_lines = self._active_lines_at_end(c, contracts)
        expiring_usd = self.fx.arr_usd(c, expiring_lines)
        usage_events.append((end, health, renew))
        successor = None
        outcome = "churned"
        extra: dict = {}
        if renew:
            roll = self.draw.r()
            if roll < 0.02:
                start, outcome = end + timedelta(days=self.draw.ri(35, 70)), "late_outside_grace"
            elif roll < 0.10:
                start, outcome = end + timedelta(days=self.draw.ri(3, 25)), "renewed_late"
            else:
                start, outcome = end + timedelta(days=1), "renewed"
            if flag_lead is not None or stalled:
                signed = end - timedelta(days=self.draw.ri(0, 20))
            elif self.draw.r() < 0.22:
                signed = end - timedelta(days=self.draw.ri(30, 150))
            else:
                signed = end - timedelta(days=self.draw.ri(1, 29))
            if outcome != "renewed":
                signed = max(signed, end + timedelta(days=self.draw.ri(1, 10)))
                signed = min(signed, start - timedelta(days=1))
            multi = self.draw.r() < (0.35 if seg == "enterprise" else 0.15)
            term = self.draw.pick((24, 36)) if multi else 12
            lines, types = self._successor_lines(expiring_lines, seg, health, c.currency)
            discount = float(np.clip(csm.discount + self.draw.rng.normal(0, 0.02), 0, 0.6))
            if multi:
                discount += 0.05
            if at_risk:
                discount += self.draw.rng.uniform(*SAVE_DISCOUNT_EXTRA)
            discount = round(min(discount, 0.6), 4)
            for ln in lines:
                ln.discount = discount
            successor = Contract(self.ids.next("C", 7), aid, "renewal", c.currency, signed, start,
                                 term_end(start, term), term, lines,
                                 "term" if multi and self.draw.r() < 0.25 else "year",
                                 predecessor_id=c.contract_id if self.draw.r() >= 0.05 else None)
            extra = {"expansion_types": types, "link_missing": successor.predecessor_id is None}
            renewed_usd = min(self.fx.arr_usd(successor) * self.fx.rate(c.currency, c.start)
                              / self.fx.rate(c.currency, successor.start), expiring_usd)
        else:
            renewed_usd = 0.0
        ev = self._event(aid, seg, c, health, sponsor, review_done, at_risk, flag_lead, flag_reason, outcome,
                         successor, stalled, csm_id, expiring_usd, renewed_usd, extra)
        ev.extra["renewal_probability"] = p
        if outcome in ("churned", "late_outside_grace"):
            self._churn_record(ev)
        return ev, successor

    def _successor_lines(self, expiring: list[Line], seg, health, currency):
        lines = [Line(ln.product_id, ln.quantity, ln.unit_list, ln.discount) for ln in expiring]
        types: list[str] = []
        p_exp = {"high": 0.5, "mid": 0.32, "low": 0.1}[health]
        if self.draw.r() < p_exp:
            for typ in dict.fromkeys(self.draw.pick(("seats", "price_uplift", "tier_upgrade", "module", "new_product"),
                                               (0.38, 0.24, 0.14, 0.14, 0.10)) for _ in range(self.draw.ri(1, 2))):
                held = {ln.product_id for ln in lines}
                families = {PRODUCTS[p][1] for p in held}
                core = lines[0]
                if typ == "seats":
                    core.quantity += max(1, int(core.quantity * self.draw.rng.uniform(0.1, 0.4)))
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
                    pid = self.draw.pick(options)
                    lines.append(Line(pid, core.quantity, round(PRODUCTS[pid][5] / FX_START[currency], 2), 0))
                else:
                    options = [p for p in ("P06", "P09") if PRODUCTS[p][1] not in families]
                    if not options:
                        continue
                    pid = self.draw.pick(options)
                    qty = 1 if pid == "P09" else max(5, core.quantity // 3)
                    lines.append(Line(pid, qty, round(PRODUCTS[pid][5] / FX_START[currency], 2), 0))
                types.append(typ)
        if self.draw.r() < {"high": 0.05, "mid": 0.12, "low": 0.3}[health]:
            if len(lines) > 1 and self.draw.r() < 0.4:
                lines.pop()
                types.append("contraction_drop_line")
            else:
                lines[0].quantity = max(1, int(lines[0].quantity * self.draw.rng.uniform(0.6, 0.9)))
                types.append("contraction_seats")
        return lines, types

    def _event(self, aid, seg, c, health, sponsor, review_done, at_risk, flag_lead, flag_reason, outcome,
               successor, stalled, csm_id, expiring_usd=None, renewed_usd=0.0, extra=None) -> RenewalEvent:
        if expiring_usd is None:
            expiring_usd = self.fx.arr_usd(c)
        ev = RenewalEvent(aid, c, c.end, health, sponsor, review_done, at_risk, flag_lead, flag_reason, outcome,
                          successor, stalled, expiring_usd, renewed_usd, csm_id, extra or {})
        ev.extra["segment"] = seg
        self.events.append(ev)
        return ev

    def _churn_record(self, ev: RenewalEvent) -> None:
        if ev.end + timedelta(days=15) > self.settings.as_of or self.draw.r() >= 0.85:
            return
        if ev.flag_reason == "competitive_threat":
            reason = "competition"
        elif ev.flag_reason == "budget_cut":
            reason = "price"
        elif ev.health == "low":
            reason = self.draw.pick(("adoption_failure", "product_fit", "price"), (0.5, 0.35, 0.15))
        else:
            reason = self.draw.pick(rc.CHURN_REASONS, (0.2, 0.25, 0.15, 0.15, 0.15, 0.1))
        d = ev.end + timedelta(days=self.draw.ri(1, 14))
        self.tables["cs_platform.churn_reasons"].add(
            self.ids.next("CR", 7), ev.account_id, ev.contract.contract_id, ev.end, reason,
            f"Customer cited {reason.replace('_', ' ')}", self.settings.loaded(ts_us(d, 12 * 3600)))

    # ---------------------------------------------------------------- per-account tables
    def _finish_account(self, aid, seg, contracts, owners, usage_events, events: list[RenewalEvent]) -> dict:
        """Write the account's contracts, lines and owners, then its CRM and customer-success rows; returns its
        usage plan."""
        as_of = self.settings.as_of
        crows = self.tables["billing.contracts"]
        lrows = self.tables["billing.contract_lines"]
        for c in contracts:
            if c.signed > as_of:
                continue
            end = c.end
            if c.term_months is None and end is not None and end > as_of:
                end = None  # an evergreen cancelled after the extract is still open-ended in it
            loaded = self.settings.loaded(ts_us(c.signed, 17 * 3600), 30)
            crows.add(c.contract_id, aid, c.contract_type, c.predecessor_id, c.amends_id, c.currency, c.signed,
                      c.start, end, c.term_months, loaded)
            months = {"month": 1, "year": 12, "term": c.term_months or 12}[c.billing_period]
            for ln in c.lines:
                lrows.add(self.ids.next("CL", 8), c.contract_id, ln.product_id, ln.quantity,
                          round(ln.unit_list * months * 100), round(ln.unit_net * months * 100),
                          c.billing_period, c.currency, c.start, end, loaded)
        own = self.tables["crm.account_ownership"]
        for uid, f, t in owners:
            if f > as_of:
                continue
            own.add(self.ids.next("OW", 7), aid, uid, f, t if t is None or t <= as_of else None,
                    self.draw.snapshot_loaded(self.settings))
        visible = [c for c in contracts if c.signed <= as_of]
        for ev in events:
            self.crm.opportunity(ev, owners)
            self.success.risk_flags(ev)
            self.success.sponsor_and_reviews(ev, seg)
        self.success.onboarding(visible, seg)
        self.success.background(aid, seg, visible, owners, usage_events)
        return {"account_id": aid, "segment": seg, "contracts": visible, "events": usage_events}
