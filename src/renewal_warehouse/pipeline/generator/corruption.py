"""The bad rows planted in an extract, and the manifest entries that say which rows and why."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.generator.common import DAY_US, Rows, Settings


# ------------------------------------------------------------------------------------- corruption
def corrupt(settings: Settings, tables: dict[str, Rows], usage_sample: tuple | None) -> list[dict]:
    """Inject rows that break one staging rule each into `tables` (fresh keys, so the clean world is untouched).
    Usage is streamed to disk: its bad rows are made from `usage_sample`, a real usage row kept aside.

    Returns the list of {table, key, reason} the staging quarantine must hold, plus exact duplicates
    as {table, key, reason: "duplicate"} (these are deduplicated, not quarantined) and older versions of
    real rows as {table, key, reason: "superseded"} (a later load replaced them).
    """
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 13]))
    expected: list[dict] = []

    def key_of(t: rc.Table, row: tuple) -> str:
        names = [c.name for c in t.columns]
        return "|".join("" if row[names.index(k)] is None else str(
            row[names.index(k)].isoformat() if isinstance(row[names.index(k)], date) else row[names.index(k)])
            for k in t.primary_key)

    def corrupt_table(qualified: str, rows: Rows) -> None:
        t = rows.table
        names = rows.names
        if qualified == "product.usage_daily":
            # usage is streamed to disk: its base is a real row kept aside, drawn without the shared rng so the
            # other tables' corruptions stay as they were
            if usage_sample is None:
                return
            base = usage_sample
        elif not rows.rows:
            return
        else:
            base = rows.rows[int(rng.integers(0, len(rows.rows)))]
            if qualified == "billing.contract_lines":
                # The bad copies are of the smallest USD line (a free one where there is one; the draw above is
                # kept, so the other tables' corruptions stay as they were): planted noise must stay within the
                # quarantine's ARR tolerance, which copies of a large customer's line break in a small extract.
                price, quantity, currency = (rows.names.index(c)
                                             for c in ("unit_net_price_minor", "quantity", "currency"))
                usd = [r for r in rows.rows if r[currency] == "USD" and r[price] is not None and (r[quantity] or 0) > 0]
                if usd:
                    base = min(usd, key=lambda r: (r[price] * r[quantity], key_of(t, r)))

        def fresh(row: tuple, tag: str) -> tuple:
            row = list(row)
            strings = [k for k in t.primary_key if t.column(k).type == "string"]
            k = next((k for k in reversed(strings) if k != "account_id"), strings[0])
            i = names.index(k)
            row[i] = f"{row[i]}-X{tag}"
            return tuple(row)

        def put(row: tuple, reason: str) -> None:
            rows.rows.append(row)
            expected.append({"table": qualified, "key": key_of(t, row), "reason": reason})

        def with_(row: tuple, **changes) -> tuple:
            row = list(row)
            for k, v in changes.items():
                row[names.index(k)] = v
            return tuple(row)

        # exact duplicate, re-extracted later: deduplicated, not quarantined
        dup = with_(base, _loaded_at=min(base[names.index("_loaded_at")] + 1_000_000, settings.extracted_at))
        rows.rows.append(dup)
        expected.append({"table": qualified, "key": key_of(t, base), "reason": "duplicate"})
        # an older version of a real row (other content, loaded a day earlier), as a CDC or re-sync extract
        # carries it: the later load wins and this one is superseded, counted, never staged
        updatable = next((c for c in t.columns if c.name not in t.primary_key and c.name != "_loaded_at"
                          and c.type in ("int", "string", "float", "date") and c.enum is None
                          and not c.name.endswith("_id")), None)
        if updatable is not None:
            v = base[names.index(updatable.name)]
            older_value = {"int": lambda: (v or 0) + 1, "float": lambda: round((v or 0) * 1.01 + 0.01, 6),
                           "date": lambda: (v or date(2020, 1, 1)) - timedelta(days=1),
                           "string": lambda: f"{v}-previous"}[updatable.type]()
            older = with_(base, **{updatable.name: older_value, "_loaded_at": base[names.index("_loaded_at")] - DAY_US})
            rows.rows.append(older)
            expected.append({"table": qualified, "key": key_of(t, base), "reason": "superseded"})
        if qualified in ("billing.fx_rates",):
            # conflicting versions on a Saturday (no published rate), so no real line loses its rate
            sat = date(2020, 1, 4)
            r1 = with_(base, rate_date=sat)
            r2 = with_(base, rate_date=sat, usd_per_unit=round(base[names.index("usd_per_unit")] * 1.01, 6))
            put(r1, "conflicting_versions")
            put(r2, "conflicting_versions")
            put(with_(base, currency="XYZ", rate_date=sat), "unknown_currency")
            return
        if qualified == "crm.renewal_targets":
            odd = with_(base, segment="giant")
            put(odd, "invalid_enum")
            return
        if qualified == "product.licensed_seats":
            put(with_(base, account_id="A9999999"), "unknown_account")
            return
        # conflicting versions: same fresh key, two different contents
        c1 = fresh(base, "1")
        changed = next((c for c in t.columns if c.name not in t.primary_key and c.name != "_loaded_at"
                        and c.type in ("int", "string") and c.enum is None and not c.name.endswith("_id")), None)
        if changed is not None:
            v = c1[names.index(changed.name)]
            c2 = with_(c1, **{changed.name: (v or 0) + 1 if changed.type == "int" else f"{v}-changed"})
            put(c1, "conflicting_versions")
            put(c2, "conflicting_versions")
        # null key
        put(with_(fresh(base, "2"), **{t.primary_key[-1] if qualified != "product.usage_daily" else "user_id": None}),
            "null_key")
        enum_col = next((c for c in t.columns if c.enum is not None and c.name != "currency"), None)
        if enum_col is not None:
            put(with_(fresh(base, "3"), **{enum_col.name: "not_a_value"}), "invalid_enum")
        if "account_id" in names and qualified != "crm.accounts":
            put(with_(fresh(base, "4"), account_id="A9999999"), "unknown_account")
        if qualified == "billing.contracts":
            put(with_(fresh(base, "5"), start_date=date(2024, 5, 1), end_date=date(2024, 4, 1)), "invalid_date_range")
            put(with_(fresh(base, "6"), currency="XYZ"), "unknown_currency")
            put(with_(fresh(base, "7"), signed_date=settings.as_of + timedelta(days=40)), "future_date")
        if qualified == "billing.contract_lines":
            put(with_(fresh(base, "5"), unit_net_price_minor=-5000), "negative_amount")
            put(with_(fresh(base, "6"), start_date=date(2024, 5, 1), end_date=date(2024, 4, 1)), "invalid_date_range")
            put(with_(fresh(base, "7"), contract_id="C9999999"), "unknown_contract")
            # starts before the first published rate of its currency: no rate to convert it at
            put(with_(fresh(base, "9"), currency="EUR", start_date=date(1999, 1, 4), end_date=date(1999, 12, 31)),
                "missing_fx_rate")
        if qualified == "crm.activities":
            put(with_(fresh(base, "5"), occurred_at=settings.extracted_at + 5 * DAY_US), "future_date")
            # dated and loaded "in the future" (after any run): it must move neither the as-of date nor a key
            far = int((datetime(2100, 1, 4, 9) - datetime(1970, 1, 1)).total_seconds()) * 1_000_000
            put(with_(fresh(base, "8"), occurred_at=far, _loaded_at=far), "future_date")
        if qualified == "cs_platform.survey_responses":
            put(with_(fresh(base, "5"), survey_type="csat", score=9), "out_of_range")
        if qualified == "product.usage_daily":
            put(with_(fresh(base, "5"), usage_date=settings.as_of + timedelta(days=3)), "future_date")
    for qualified, rows in tables.items():
        corrupt_table(qualified, rows)
    return expected
