"""What the simulation knows and the warehouse must find: the `_truth/` tables."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from renewal_warehouse.pipeline.generator.common import epoch_day
from renewal_warehouse.pipeline.generator.entities import Csm, RenewalEvent


def truth_tables(evs: list[RenewalEvent], csm_list: list[Csm]) -> dict[str, pa.Table]:
    """The renewal events as simulated (with the probability each was drawn with) and the CSMs' hidden traits."""
    cols: dict[str, list] = defaultdict(list)
    for ev in evs:
        c = ev.contract
        cols["account_id"].append(ev.account_id)
        cols["contract_id"].append(c.contract_id)
        cols["contract_type"].append(c.contract_type)
        cols["segment"].append(ev.extra["segment"])
        cols["end_date"].append(ev.end)
        cols["health"].append(ev.health)
        cols["had_sponsor_change"].append(ev.sponsor_change is not None)
        cols["value_review_done"].append(ev.review_done)
        cols["is_at_risk"].append(ev.at_risk)
        cols["flag_lead_days"].append(ev.flag_lead)
        cols["is_stalled"].append(ev.stalled)
        cols["outcome"].append(ev.outcome)
        cols["successor_contract_id"].append(ev.successor.contract_id if ev.successor else None)
        cols["csm_at_t90"].append(ev.csm_at_t90)
        cols["opportunity_id"].append(ev.extra.get("opportunity_id"))
        cols["expansion_types"].append(",".join(t for t in ev.extra.get("expansion_types", [])))
        cols["crm_says_won"].append(bool(ev.extra.get("crm_says_won", False)))
        cols["expiring_arr_usd"].append(round(ev.expiring_arr_usd, 2))
        # the probability the simulation drew the outcome with (none for evergreen roll-overs)
        cols["renewal_probability"].append(ev.extra.get("renewal_probability"))
    events = pa.table({k: pa.array([epoch_day(x) for x in v], pa.int32()).cast(pa.date32())
                       if k == "end_date" else pa.array(v) for k, v in cols.items()})
    csms = pa.table({
        "user_id": [c.user_id for c in csm_list],
        "focus_segment": [c.focus for c in csm_list],
        "skill": [round(c.skill, 4) for c in csm_list],
        "discount_habit": [round(c.discount, 4) for c in csm_list],
        "forecast_bias": [round(c.bias, 4) for c in csm_list],
        "stall_probability": [c.stall for c in csm_list],
        "planted_role": [c.planted for c in csm_list],
    })
    return {"renewal_events": events, "csms": csms}
