"""The CRM: owners, renewal opportunities with their stages and activities, forecasts and targets."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.common import Draws, Fx, Ids, Rows, Settings, add_months, quarter_start, ts_us
from renewal_warehouse.pipeline.generator.effects import GRACE_DAYS, renewal_probability
from renewal_warehouse.pipeline.generator.entities import RenewalEvent, Staff, owner_at

#: A CSM hears how a renewal will go (a verbal commit, a churn notice) 0 to this many days before its end date.
COMMIT_LEAD_DAYS = 90


class Crm:
    """The CRM: a renewal opportunity per renewal event, with its stages and activities (as each account is
    simulated), then the forecasts and targets (once every account is)."""

    def __init__(self, settings: Settings, draw: Draws, ids: Ids, tables: dict[str, Rows], fx: Fx, staff: Staff):
        self.settings, self.draw, self.ids, self.tables, self.fx, self.staff = settings, draw, ids, tables, fx, staff

    def opportunity(self, ev: RenewalEvent, owners) -> None:
        c, end = ev.contract, ev.end
        if c.contract_type == "trial" or c.term_months is None:
            return
        created = end - timedelta(days=150 + self.draw.ri(-10, 10))
        succ = ev.successor
        won = ev.outcome in ("renewed", "renewed_late") and succ is not None
        signed = succ.signed if succ is not None else None
        if signed is not None:
            created = min(created, signed - timedelta(days=45))
        if created > self.settings.as_of:
            return
        oid = self.ids.next("O", 7)
        owner = owner_at(owners, min(created, self.settings.as_of))
        # planned stage timeline (day offsets relative to the end date)
        if ev.stalled:
            plan = [("not_engaged", created), ("early_discussion", end - timedelta(days=45 + self.draw.ri(0, 8))),
                    ("proposal_sent", end - timedelta(days=28 + self.draw.ri(0, 5))),
                    ("negotiation", end - timedelta(days=12 + self.draw.ri(0, 4)))]
        else:
            plan = [("not_engaged", created), ("early_discussion", end - timedelta(days=120 + self.draw.ri(-8, 8))),
                    ("proposal_sent", end - timedelta(days=90 + self.draw.ri(-8, 8))),
                    ("negotiation", end - timedelta(days=55 + self.draw.ri(-8, 8)))]
        if signed is not None and signed < plan[-1][1]:
            # An early renewal compresses the stages before the signature.
            gap = max(3, (signed - created).days // 4)
            plan = [("not_engaged", created)] + [
                (s, created + timedelta(days=gap * (k + 1))) for k, s in
                enumerate(("early_discussion", "proposal_sent", "negotiation"))]
        roll = self.draw.r()
        if roll < 0.08:
            plan = [p for p in plan if p[0] != "early_discussion"]  # skipped stage
        elif roll < 0.13:
            neg = plan[-1][1]
            plan += [("proposal_sent", neg + timedelta(days=4)), ("negotiation", neg + timedelta(days=9))]
        if won:
            close = max(signed, plan[-1][1] + timedelta(days=1))
            if self.draw.r() < 0.02:
                plan.append(("closed_lost", close - timedelta(days=6)))
                plan.append(("negotiation", close - timedelta(days=3)))  # reopened
            plan.append(("closed_won", close))
        else:
            close = end + timedelta(days=self.draw.ri(-20, GRACE_DAYS))
            close = max(close, plan[-1][1] + timedelta(days=1))
            crm_error = self.draw.r() < 0.015
            ev.extra["crm_says_won"] = crm_error
            plan.append(("closed_won" if crm_error else "closed_lost", close))
        plan.sort(key=lambda x: x[1])
        seen = [(s, d) for s, d in plan if d <= self.settings.as_of]
        stage = seen[-1][0]
        hist = self.tables["crm.opportunity_stage_history"]
        last_ts = None
        for k, (s, d) in enumerate(seen):
            last_ts = ts_us(d, (9 + k % 8) * 3600 + self.draw.ri(0, 3599))
            hist.add(self.ids.next("SH", 8), oid, s, last_ts, self.settings.loaded(last_ts))
        prob = {"not_engaged": 10, "early_discussion": 25, "proposal_sent": 50, "negotiation": 75,
                "closed_won": 100, "closed_lost": 0}[stage]
        if stage not in ("closed_won", "closed_lost"):
            prob = float(np.clip(prob + self.draw.ri(-5, 5), 0, 100))
        category = {"not_engaged": "pipeline", "early_discussion": "pipeline", "proposal_sent": "best_case",
                    "negotiation": "commit", "closed_won": "closed", "closed_lost": "omitted"}[stage]
        expiring = ev.expiring_arr_usd / self.fx.rate(c.currency, c.start)
        if succ is not None and stage == "closed_won":
            renewal_amt = sum(ln.unit_net * ln.quantity * 12 for ln in succ.lines)
            discount, term = succ.lines[0].discount * 100, succ.term_months
        else:
            renewal_amt = expiring * (1 + self.draw.rng.normal(0.02, 0.05))
            discount, term = self.staff.by_id[owner].discount * 100, 12
        proposal = next((d for s, d in seen if s == "proposal_sent"), None)
        outreach = plan[1][1] - timedelta(days=self.draw.ri(3, 10)) if len(plan) > 1 else created
        escalated = self.draw.r() < (0.4 if ev.at_risk and ev.extra.get("segment") == "enterprise" else
                                0.15 if ev.at_risk else 0.04)
        ev.extra["opportunity_id"] = oid
        ev.extra["escalated"] = escalated
        self.tables["crm.renewal_opportunities"].add(
            oid, ev.account_id, c.contract_id, owner, stage, category, round(prob, 2), c.currency,
            round(max(expiring, 0), 2), round(max(renewal_amt, 0), 2), round(min(max(discount, 0), 100), 2), term,
            escalated, created, close if stage in ("closed_won", "closed_lost") else end,
            outreach if outreach <= self.settings.as_of else None, proposal,
            signed if (signed is not None and signed <= self.settings.as_of and won) else None,
            last_ts, self.settings.loaded(last_ts, 1))
        # touchpoints from first outreach to signature
        csm = self.staff.by_id.get(owner)
        n_touch = {"smb": (2, 6), "mid_market": (5, 8), "enterprise": (10, 15)}[ev.extra["segment"]]
        n = self.draw.ri(*n_touch)
        stop = min(signed or close, self.settings.as_of)
        span = (stop - outreach).days
        if span >= 0:
            acts = self.tables["crm.activities"]
            for k in range(n):
                d = outreach + timedelta(days=0 if k == 0 else self.draw.ri(0, span))
                proactive = k == 0 or self.draw.r() < (csm.proactive if csm else 0.7)
                us = ts_us(d, self.draw.ri(8 * 3600, 18 * 3600))
                kind = self.draw.pick(rc.ACTIVITY_TYPES, (0.5, 0.3, 0.2))
                acts.add(self.ids.next("AC", 8), ev.account_id, oid, owner, kind,
                         "outbound" if proactive else "inbound", proactive, us, self.settings.loaded(us, 2))

    # ---------------------------------------------------------------- forecasts and targets
    def forecasts_and_targets(self, events: list[RenewalEvent]) -> tuple[str, str] | None:
        """The renewal targets per fiscal quarter and segment and each CSM's weekly forecast submissions, from
        every account's renewal `events`. Returns the planted gap: the (quarter, segment) without a target."""
        fy = self.settings.fiscal_year_start_month
        by_q_seg: dict[tuple[date, str], float] = defaultdict(float)
        by_q_csm: dict[tuple[date, str], list[RenewalEvent]] = defaultdict(list)
        for ev in events:
            if ev.contract.contract_type == "trial":
                continue
            q = quarter_start(ev.end, fy)
            by_q_seg[(q, ev.extra["segment"])] += ev.expiring_arr_usd
            by_q_csm[(q, ev.csm_at_t90)].append(ev)
        targets = self.tables["crm.renewal_targets"]
        first_q = quarter_start(self.settings.start, fy)
        last_q = quarter_start(self.settings.as_of, fy)
        q = first_q
        skipped = None
        while q <= add_months(last_q, 3):
            for seg in rc.SEGMENTS:
                if q == first_q and seg == "enterprise":
                    skipped = (q.isoformat(), seg)  # planted: a quarter with no target for a segment
                    continue
                amount = round(by_q_seg.get((q, seg), 0.0) * 0.92 * self.draw.rng.uniform(0.95, 1.05), -3)
                targets.add(q, add_months(q, 3) - timedelta(days=1), seg, "USD", amount,
                            self.settings.loaded(ts_us(q - timedelta(days=20), 12 * 3600), 1))
            q = add_months(q, 3)
        # The forecasts draw from their own stream: the rest of the world does not depend on them.
        rng = np.random.default_rng(np.random.SeedSequence([self.settings.seed, 17]))
        # How long before its end date a CSM hears how a renewal will go (a verbal commit, a churn notice).
        heard = {id(ev): int(rng.integers(0, COMMIT_LEAD_DAYS + 1)) for evs in by_q_csm.values() for ev in evs}
        subs = self.tables["crm.forecast_submissions"]
        q = first_q
        while q <= last_q:
            q_end = add_months(q, 3) - timedelta(days=1)
            monday = q - timedelta(days=(q.weekday() % 7) + 7)
            for csm in self.staff.csms:
                book = by_q_csm.get((q, csm.user_id))
                if not book:
                    continue
                d = monday
                while d <= q_end + timedelta(days=7):
                    if d > self.settings.as_of:
                        break
                    if d > q_end and rng.random() > 0.1:  # a few late submissions after the quarter ended
                        break
                    expected, expansion = self._csm_view(book, d, heard)
                    f = max(0.0, min(1.0, (q_end - d).days / 91))
                    factor = max(1 + (csm.bias - 1) * (0.35 + 0.65 * f) + rng.normal(0, 0.08 * f + 0.01), 0.0)
                    exp_amt = round(expansion * factor, 2) if rng.random() < 0.3 else None
                    subs.add(self.ids.next("FS", 7), csm.user_id, d, q, "USD", round(expected * factor, 2),
                             exp_amt, self.settings.loaded(ts_us(d, 17 * 3600), 1))
                    d += timedelta(days=7)
            q = add_months(q, 3)
        return skipped

    def _csm_view(self, book: list[RenewalEvent], d: date, heard: dict[int, int]) -> tuple[float, float]:
        """What a CSM expects on day d of the renewals of a quarter: their renewed ARR and the expansion. A
        renewal is known once its successor is signed, or from `heard` days before its end date (the
        customer's commit or notice): its renewed ARR, or nothing when it will not renew in time. Before that,
        the CSM expects its expiring ARR x the probability the CSM sees: the segment's, the account's health,
        a sponsor change or a risk flag once it happened, a value review assumed until its window closed; not
        the CSM's own skill, nor what is still to come. Expansion: of the renewals that will expand (a CSM
        hears of it in the quote)."""
        expected = expansion = 0.0
        for ev in book:
            renews = ev.outcome in ("renewed", "renewed_late")
            if ev.successor is not None and renews:
                expansion += max(self.fx.arr_usd(ev.successor) - ev.expiring_arr_usd, 0.0)
            if (ev.successor is not None and ev.successor.signed <= d) or d >= ev.end - timedelta(days=heard[id(ev)]):
                expected += ev.renewed_arr_usd if renews else 0.0
                continue
            flag_lead = ev.flag_lead if ev.flag_lead is not None and ev.end - timedelta(days=ev.flag_lead) <= d \
                else None
            belief = renewal_probability(ev.extra["segment"], 0.0, ev.health,
                                         ev.sponsor_change is not None and ev.sponsor_change <= d,
                                         ev.review_done or d < ev.end - timedelta(days=61), flag_lead)
            expected += belief * ev.expiring_arr_usd
        return expected, expansion
