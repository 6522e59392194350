"""The number check: every value a page shows is looked up again in the warehouse, by its row's key."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from renewal_warehouse.readers.dashboards.fetch import Fetch
from renewal_warehouse.readers.dashboards.pages import Panel


# ------------------------------------------------------------------------------------------ checking
def embedded_panels(page_html: str) -> list[dict]:
    """The panels' rows a page embeds (what its numbers were drawn from)."""
    import re

    return [json.loads(m) for m in
            re.findall(r'<script type="application/json" class="rwh-panel"[^>]*>(.*?)</script>', page_html, re.S)]


def _same(shown, stored) -> bool:
    if shown is None or stored is None:
        return shown is None and stored is None
    if isinstance(stored, Decimal):
        return Decimal(str(shown)) == stored
    if isinstance(stored, (date, datetime)):
        return shown == stored.isoformat()
    return shown == stored


def differences(panels: list[dict], fetch: Fetch) -> list[str]:
    """Every embedded value that is not the value of its relation's row with the same key, said in a line.
    The rows are looked up again by their key, one query per row."""
    said = []
    for embedded in panels:
        columns = embedded["columns"]
        check = Panel(embedded["panel"], "", embedded["relation"], tuple(embedded["key"]), tuple(columns),
                      where=embedded.get("where", "true"),
                      group_by=tuple(tuple(g) for g in embedded.get("group_by", ())),
                      measures=tuple(tuple(m) for m in embedded.get("measures", ())))
        for row in embedded["rows"]:
            values = dict(zip(columns, row, strict=True))
            sql = check.check_sql(values)
            found_columns, found = fetch(sql)
            if len(found) != 1:
                said.append(f"{check.id}: {len(found)} rows from: {sql}")
                continue
            stored = dict(zip(found_columns, found[0], strict=True))
            said.extend(f"{check.id}: {c} is {values[c]!r} on the page, {stored[c]!r} from: {sql}"
                        for c in found_columns if not _same(values[c], stored[c]))
    return said
