"""The CS platform and support: risk flags, sponsor changes, value reviews, onboarding, and the
background of tickets, surveys and meetings."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.common import DAY_US, Draws, Ids, Rows, Settings, ts_us
from renewal_warehouse.pipeline.generator.entities import Contract, RenewalEvent, Staff, owner_at


class Success:
    """The CS platform and support, per account: risk flags, sponsor changes, value reviews, onboarding, and the
    background of tickets, surveys and meetings."""

    def __init__(self, settings: Settings, draw: Draws, ids: Ids, tables: dict[str, Rows], staff: Staff):
        self.settings, self.draw, self.ids, self.tables, self.staff = settings, draw, ids, tables, staff

    def risk_flags(self, ev: RenewalEvent) -> None:
        rows = self.tables["cs_platform.risk_flags"]
        flags = []
        if ev.flag_lead is not None:
            flagged = ev.end - timedelta(days=ev.flag_lead)
            saved = ev.outcome in ("renewed", "renewed_late")
            resolved = (ev.successor.signed if saved and ev.successor else ev.end)
            resolved = max(resolved, flagged)
            flags.append((ev.flag_reason, flagged, resolved, "saved" if saved else "churned"))
            if self.draw.r() < 0.12:  # a second, overlapping flag with another reason
                other = self.draw.pick([x for x in rc.RISK_REASONS if x != ev.flag_reason])
                f2 = flagged + timedelta(days=self.draw.ri(5, max(6, ev.flag_lead - 5)))
                flags.append((other, f2, max(resolved, f2), "saved" if saved else "churned"))
        elif ev.outcome in ("renewed", "renewed_late") and self.draw.r() < 0.02:
            f = ev.end + timedelta(days=self.draw.ri(5, 20))  # raised after the renewal date: not an at-risk renewal
            flags.append(("product_issue", f, f + timedelta(days=30), "resolved"))
        for reason, flagged, resolved, outcome in flags:
            if flagged > self.settings.as_of:
                continue
            if resolved > self.settings.as_of:
                resolved, outcome = None, "open"
            rows.add(self.ids.next("RF", 7), ev.account_id, ev.csm_at_t90, reason, flagged, resolved, outcome,
                     self.settings.loaded(ts_us(flagged, 15 * 3600), 1))

    def sponsor_and_reviews(self, ev: RenewalEvent, seg: str) -> None:
        if ev.sponsor_change is not None and ev.sponsor_change <= self.settings.as_of:
            k = self.ids.number("sponsor")
            self.tables["crm.sponsor_changes"].add(
                self.ids.next("SP", 7), ev.account_id, ev.sponsor_change, f"sponsor{k}a@customer.example",
                f"sponsor{k}b@customer.example", self.settings.loaded(ts_us(ev.sponsor_change, 12 * 3600), 24))
        # the value review that counts for this renewal: scheduled in T-150..T-61
        if seg == "smb" and ev.review_done and self.draw.r() < 0.5:
            return
        sched = ev.end - timedelta(days=self.draw.ri(65, 145))
        if sched > self.settings.as_of:
            return
        if ev.review_done:
            status, done = "completed", sched + timedelta(days=self.draw.ri(0, 3))
        else:
            status, done = self.draw.pick(("cancelled", "no_show")), None
        if done is not None and done > self.settings.as_of:
            status, done = "cancelled", None
        rtype = "qbr" if seg != "smb" else "roi_review"
        self.tables["crm.value_reviews"].add(self.ids.next("VR", 7), ev.account_id, rtype, sched, status, done,
                                             self.settings.loaded(ts_us(done or sched, 16 * 3600), 24))

    def onboarding(self, contracts: list[Contract], seg: str) -> None:
        rows = self.tables["cs_platform.onboarding_milestones"]
        ttv = {"smb": (2, 12, 10, 30), "mid_market": (5, 25, 30, 60), "enterprise": (15, 50, 60, 120)}[seg]
        for c in contracts:
            if c.contract_type not in ("new", "reactivation", "trial"):
                continue
            steps = [("signed", c.signed), ("first_login", c.start + timedelta(days=self.draw.ri(ttv[0], ttv[1])))]
            if self.draw.r() < 0.85:
                steps.append(("onboarding_completed", c.start + timedelta(days=self.draw.ri(ttv[2], ttv[3]))))
                if self.draw.r() < 0.85:
                    steps.append(("first_value", c.start + timedelta(days=self.draw.ri(ttv[3], ttv[3] + 45))))
            for m, d in steps:
                if d <= self.settings.as_of:
                    rows.add(self.ids.next("OB", 7), c.account_id, c.contract_id, m, d,
                             self.settings.loaded(ts_us(d, 18 * 3600), 12))

    def background(self, aid, seg, contracts, owners, usage_events) -> None:
        """Tickets, surveys, background activities, QBRs and stray sponsor changes over the customer life."""
        spans = [(c.start, c.end or self.settings.as_of) for c in contracts if c.contract_type != "amendment"]
        if not spans:
            return
        first, last = min(s for s, _ in spans), min(max(e for _, e in spans), self.settings.as_of)
        lo = max(first, self.settings.start)
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
            for _ in range(int(self.draw.rng.poisson(rate * (1.8 if low else 1.0)))):
                d = d0 + timedelta(days=self.draw.ri(0, 29))
                if d > last:
                    continue
                created = ts_us(d, self.draw.ri(0, 86399))
                first_resp = created + int(self.draw.rng.exponential(4.0 if not low else 7.0) * 3_600_000_000)
                resolved = first_resp + int(self.draw.rng.exponential(20.0) * 3_600_000_000)
                if resolved > self.settings.extracted_at - DAY_US:
                    resolved = None
                if first_resp > self.settings.extracted_at - DAY_US:
                    first_resp = None
                escalated = self.draw.r() < (0.2 if low else 0.07)
                csat = None
                if resolved is not None and self.draw.r() < 0.4:
                    csat = int(np.clip(round(self.draw.rng.normal(3.2 if low else 4.4, 0.8)), 1, 5))
                tid = self.ids.next("T", 8)
                tickets.add(tid, aid, f"user{self.draw.ri(1, 40)}@{aid.lower()}.example",
                            self.draw.pick(rc.TICKET_PRIORITIES, (0.3, 0.45, 0.18, 0.07)), created, first_resp,
                            resolved, escalated, int(self.draw.rng.poisson(0.15)), csat,
                            self.settings.loaded(max(created, resolved or created, first_resp or created), 1))
                if resolved is not None and self.draw.r() < 0.15:
                    ces = int(np.clip(round(self.draw.rng.normal(4.0 if low else 2.2, 1.0)), 1, 7))
                    surveys.add(self.ids.next("SR", 8), aid, f"user{self.draw.ri(1, 40)}@{aid.lower()}.example", "ces",
                                ces, resolved + 3_600_000_000, self.settings.loaded(resolved + 3_600_000_000, 1))
        respondents = {"smb": 1, "mid_market": 2, "enterprise": 4}[seg]
        for block in range(self.draw.ri(0, 60), days, 182):
            d = lo + timedelta(days=block)
            low = low_at(d)
            for _ in range(respondents):
                if self.draw.r() < 0.35:
                    continue
                score = int(np.clip(round(self.draw.rng.normal(4.5 if low else 8.2, 2.0)), 0, 10))
                us = ts_us(d, self.draw.ri(8 * 3600, 20 * 3600))
                surveys.add(self.ids.next("SR", 8), aid, f"user{self.draw.ri(1, 40)}@{aid.lower()}.example", "nps",
                            score, us, self.settings.loaded(us, 1))
            if self.draw.r() < 0.5:
                score = int(np.clip(round(self.draw.rng.normal(3.3 if low else 4.3, 0.8)), 1, 5))
                us = ts_us(d + timedelta(days=3), self.draw.ri(8 * 3600, 20 * 3600))
                if us <= ts_us(last, 86399):
                    surveys.add(self.ids.next("SR", 8), aid, f"user{self.draw.ri(1, 40)}@{aid.lower()}.example", "csat",
                                score, us, self.settings.loaded(us, 1))
        # background customer-success activities and stray sponsor changes
        acts = self.tables["crm.activities"]
        per_year = {"smb": 2, "mid_market": 6, "enterprise": 14}[seg]
        for _ in range(int(self.draw.rng.poisson(per_year * days / 365))):
            d = lo + timedelta(days=self.draw.ri(0, days - 1))
            owner = owner_at(owners, d)
            csm = self.staff.by_id.get(owner)
            proactive = self.draw.r() < (csm.proactive if csm else 0.7)
            us = ts_us(d, self.draw.ri(8 * 3600, 18 * 3600))
            acts.add(self.ids.next("AC", 8), aid, None, owner, self.draw.pick(rc.ACTIVITY_TYPES, (0.5, 0.3, 0.2)),
                     "outbound" if proactive else "inbound", proactive, us, self.settings.loaded(us, 2))
        if seg != "smb":
            for block in range(30, days, 91):
                d = lo + timedelta(days=block)
                if self.draw.r() < 0.7:
                    continue  # most quarterly check-ins are not formal reviews
                status = "completed" if self.draw.r() < 0.85 else self.draw.pick(("cancelled", "no_show"))
                self.tables["crm.value_reviews"].add(
                    self.ids.next("VR", 7), aid, self.draw.pick(("qbr", "executive_business_review"), (0.8, 0.2)), d,
                    status, d if status == "completed" else None, self.settings.loaded(ts_us(d, 16 * 3600), 24))
        if self.draw.r() < min(0.9, 0.12 * days / 365):
            d = lo + timedelta(days=self.draw.ri(0, days - 1))
            k = self.ids.number("sponsor")
            self.tables["crm.sponsor_changes"].add(self.ids.next("SP", 7), aid, d, f"sponsor{k}a@customer.example",
                                                   f"sponsor{k}b@customer.example",
                                                   self.settings.loaded(ts_us(d, 12 * 3600), 24))
