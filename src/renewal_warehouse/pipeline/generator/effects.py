"""The planted effects: every number the simulation draws a renewal from, in one place.

The simulation (accounts.py) draws each renewal with `renewal_probability` and each save discount with
`SAVE_DISCOUNT_EXTRA`; the manifest writes `PLANTED_EFFECTS`, built from the same constants: what the marts
(and a renewal model) must recover. `_truth/renewal_events.parquet` keeps each renewal's probability.

* Renewal probability by segment: SMB 0.80, Mid-Market 0.88, Enterprise 0.93 before the effects below.
* Health at renewal (high / mid / low): +0.05 / 0 / -0.30 (the health also shapes usage, tickets, NPS).
* Executive sponsor change in the 90 days before the end date: -0.15.
* No value review done in the window T-150..T-61: -0.10.
* Risk flag raised >= 90 days before the end date: +0.15 (saves work when early); 30-89 days: +0.05.
* A CSM's skill (a small random effect per CSM, PLANTED_CSMS for the planted roles).
* The sum is clipped to [0.03, 0.99].
* Saved at-risk renewals carry an extra save discount of 10-25 points.
"""

from __future__ import annotations

GRACE_DAYS = 30

SEGMENT_SHARE = (0.60, 0.28, 0.12)
HEALTH_P = {"smb": (0.45, 0.35, 0.20), "mid_market": (0.50, 0.36, 0.14), "enterprise": (0.55, 0.34, 0.11)}

SEGMENT_BASE_RENEWAL = {"smb": 0.80, "mid_market": 0.88, "enterprise": 0.93}
HEALTH_EFFECT = {"high": 0.05, "mid": 0.0, "low": -0.30}
SPONSOR_CHANGE_EFFECT = -0.15  # a sponsor change in the 90 days before the end date
NO_VALUE_REVIEW_EFFECT = -0.10  # no value review in T-150..T-61
EARLY_FLAG_EFFECT = 0.15  # a risk flag raised 90 days or more before the end date
MID_FLAG_EFFECT = 0.05  # a risk flag raised 30 to 89 days before
PROBABILITY_RANGE = (0.03, 0.99)
SAVE_DISCOUNT_EXTRA = (0.10, 0.25)  # drawn uniformly, added to an at-risk renewal's discount

PLANTED_CSMS = {
    "U0001": "heavy_discounter",
    "U0002": "optimist",
    "U0003": "sandbagger",
    "U0004": "smb_star",
    "U0005": "enterprise_underperformer",
    "U0006": "staller",
}
PLANTED_EFFECTS = {
    "segment_base_renewal_probability": SEGMENT_BASE_RENEWAL,
    "health_effect_on_renewal_probability": HEALTH_EFFECT,
    "sponsor_change_within_90_days_effect": SPONSOR_CHANGE_EFFECT,
    "no_value_review_t150_t61_effect": NO_VALUE_REVIEW_EFFECT,
    "risk_flag_90_plus_days_early_effect": EARLY_FLAG_EFFECT,
    "risk_flag_30_89_days_early_effect": MID_FLAG_EFFECT,
    "renewal_probability_range": list(PROBABILITY_RANGE),
    "save_discount_extra_points": [round(x * 100) for x in SAVE_DISCOUNT_EXTRA],
    "planted_csms": PLANTED_CSMS,
    "grace_days": GRACE_DAYS,
}


def renewal_probability(segment: str, csm_skill: float, health: str, sponsor_changed: bool, review_done: bool,
                        flag_lead_days: int | None) -> float:
    """The probability the simulation renews a contract with: the segment's base, the CSM's skill and the
    planted effects, clipped to PROBABILITY_RANGE."""
    p = SEGMENT_BASE_RENEWAL[segment] + csm_skill + HEALTH_EFFECT[health]
    p += SPONSOR_CHANGE_EFFECT * sponsor_changed + NO_VALUE_REVIEW_EFFECT * (not review_done)
    if flag_lead_days is not None:
        p += EARLY_FLAG_EFFECT if flag_lead_days >= 90 else MID_FLAG_EFFECT if flag_lead_days >= 30 else 0.0
    low, high = PROBABILITY_RANGE
    return min(max(p, low), high)
