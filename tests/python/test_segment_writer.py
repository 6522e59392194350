"""The Segment writer's events add up to the usage they were written from, by the adapter's rules recomputed here in
Python (sessions split by more than 30 minutes without an event within a UTC day, active minutes the whole minutes
of the sessions' spans, feature events by class), and the rows no events can carry are counted, not written
(issue 27; docs/sources/segment.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.vendors import segment_writer as w

GAP = timedelta(minutes=30)
AS_OF = date(2026, 3, 31)
EXTRACTED = datetime(2026, 4, 1, 6)


def _extract(tmp_path, rows: list[dict]) -> None:
    usage = tmp_path / "product" / "usage_daily.parquet"
    usage.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=rc.arrow_schema(rc.table("product.usage_daily"))), usage)
    manifest = {"as_of": AS_OF.isoformat(), "extracted_at": EXTRACTED.isoformat(), "expected_quarantine": [],
                "expected_duplicates": [], "expected_superseded": [],
                "row_counts": {"product.usage_daily": len(rows)}}
    (tmp_path / "_manifest.json").write_text(json.dumps(manifest))


def _row(account: str, user: str, day: date, sessions: int, minutes: int, core: int, other: int, loaded_hours=26):
    return {"account_id": account, "user_id": user, "usage_date": day, "sessions": sessions,
            "active_minutes": minutes, "core_feature_events": core, "other_feature_events": other,
            "_loaded_at": datetime(day.year, day.month, day.day) + timedelta(hours=loaded_hours)}


def _recompute(tmp_path) -> dict[tuple, tuple]:
    """The usage rows the adapter's rules make of the written events (first deliveries of identified users with a
    group account; activity events count for sessions and minutes only)."""
    tracks = pq.read_table(tmp_path / "segment" / "tracks.parquet").to_pylist()
    identifies = {r["anonymous_id"]: r["user_id"] for r in pq.read_table(tmp_path / "segment" / "identifies.parquet")
                  .to_pylist()}
    accounts = {r["user_id"]: r["account_id"] for r in pq.read_table(tmp_path / "segment" / "groups.parquet")
                .to_pylist() if r["account_id"] is not None}
    seen, days = set(), defaultdict(list)
    for event in sorted(tracks, key=lambda e: (e["_fivetran_synced"], e["id"])):
        if event["id"] in seen:
            continue
        seen.add(event["id"])
        user = event["user_id"] or identifies.get(event["anonymous_id"])
        if user is None or user not in accounts:
            continue
        days[(accounts[user], user, event["timestamp"].date())].append(event)
    out = {}
    for key, events in days.items():
        events.sort(key=lambda e: (e["timestamp"], e["id"]))
        spans, start, last = [], None, None
        for e in events:
            if last is None or e["timestamp"] - last > GAP:
                if start is not None:
                    spans.append(last - start)
                start = e["timestamp"]
            last = e["timestamp"]
        spans.append(last - start)
        names = [e["event"] for e in events]
        core = sum(n in w.CORE_EVENTS for n in names)
        other = sum(n not in w.CORE_EVENTS and n not in (w.OPENED, w.BACKGROUNDED) for n in names)
        out[key] = (len(spans), sum(int(s.total_seconds() // 60) for s in spans), core, other)
    return out


def test_the_events_add_up_to_each_row_and_what_cannot_be_expressed_is_counted(tmp_path):
    day = date(2026, 3, 2)
    rows = [
        _row("A1", "A1-U0001", day, 1, 0, 0, 0),  # one session of no minutes and no feature event
        _row("A1", "A1-U0001", day + timedelta(days=1), 3, 95, 4, 7),
        _row("A1", "A1-U0002", day, 2, 121, 0, 1),  # long sessions with one feature event: filler activity
        _row("A2", "A2-U0001", day, 10, 475, 13, 20),
        _row("A2", "A2-U0001", day + timedelta(days=2), 5, 1400, 1, 1),  # no room: 1400 + 4 * 31 > 1439
        _row("A2", "A2-U0002", day, 0, 10, 1, 0),  # minutes without a session
    ]
    _extract(tmp_path, rows)
    converted = w.write_segment(tmp_path, progress=lambda _m: None)

    expressed = {(r["account_id"], r["user_id"], r["usage_date"]): (
        r["sessions"], r["active_minutes"], r["core_feature_events"], r["other_feature_events"])
        for r in rows[:4]}
    assert _recompute(tmp_path) == expressed
    twin = converted["twin"]["product.usage_daily"].to_pylist()
    assert [(r["account_id"], r["user_id"], r["usage_date"]) for r in twin] == sorted(expressed)
    manifest = json.loads((tmp_path / "_manifest.json").read_text())
    assert manifest["not_expressed"]["product.usage_daily"] == {"no_room_in_the_day": 1, "no_session": 1}
    assert manifest["source_formats"] == {"product": "segment"}
    assert not (tmp_path / "product" / "usage_daily.parquet").exists()
    # no two events of a session more than 25 minutes apart, however few feature events it has
    tracks = pq.read_table(tmp_path / "segment" / "tracks.parquet").to_pylist()
    long_day = sorted(e["timestamp"] for e in tracks if e["user_id"] == "A1-U0002")
    gaps = [b - a for a, b in zip(long_day, long_day[1:], strict=False)]
    assert max(g for g in gaps if g <= GAP) <= timedelta(minutes=25)


def test_the_late_identify_call_moves_its_row_s_load_time_in_the_twin(tmp_path):
    day = date(2026, 3, 2)
    _extract(tmp_path, [_row("A1", "A1-U0001", day, 2, 40, 3, 2), _row("A1", "A1-U0002", day, 1, 5, 1, 0)])
    converted = w.write_segment(tmp_path, progress=lambda _m: None)
    quirks = {q["reason"]: q["key"] for q in converted["manifest"]["vendor_quirks"]}
    anonymous = [e for e in pq.read_table(tmp_path / "segment" / "tracks.parquet").to_pylist()
                 if e["id"] == quirks["identified_by_anonymous_id"]]
    assert len(anonymous) == 1 and anonymous[0]["user_id"] is None
    identify = [r for r in pq.read_table(tmp_path / "segment" / "identifies.parquet").to_pylist()
                if r["anonymous_id"] == anonymous[0]["anonymous_id"]]
    assert [r["_fivetran_synced"] for r in identify] == [EXTRACTED]
    loaded = {r["user_id"]: r["_loaded_at"] for r in converted["twin"]["product.usage_daily"].to_pylist()}
    owner = identify[0]["user_id"]
    assert loaded[owner] == EXTRACTED
    assert all(at < EXTRACTED for user, at in loaded.items() if user != owner)
