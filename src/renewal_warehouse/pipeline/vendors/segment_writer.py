"""Segment writer: a generated extract's product usage rewritten as the events Segment lands in a warehouse.

``write_segment(raw_dir)`` reads ``product/usage_daily.parquet`` of a generated extract, keeps the clean rows (no
planted quarantine rows; one version per key, the latest load), writes every table of ``SEGMENT`` (``segment.py``)
to ``<raw_dir>/segment/<table>.parquet``, plants the vendor quirks the adapter must exclude or resolve, removes the
usage file (licensed seats stay in the contract's format: Segment has no seats) and records all of it in
``_manifest.json``. It returns, beside the manifest, the contract rows the adapter derives from those tables
(``twin``); ``contract_twin(raw_dir, converted)`` rewrites another copy of the same extract with them, so a test can
build both and compare.

Usage is the largest table, so the events are made in DuckDB, not row by row. The rules are the ones the dbt
adapter ``models/staging/product/segment/`` inverts, for a contract row of ``s`` sessions, ``m`` active minutes,
``c`` core and ``o`` other feature events:

* the day's sessions start at 08:00 UTC (earlier when they would not fit in the day), one after another with 31
  minutes between them (more than the adapter's 30-minute session gap, var segment_session_gap_minutes);
* session ``j`` lasts ``m // s`` minutes, one more for the first ``m % s`` sessions: it opens with an
  ``Application Opened`` event and ends with ``Application Backgrounded`` that many whole minutes later (activity
  events, var segment_activity_events), and the adapter's active minutes are the sum of the sessions' spans;
* the ``c + o`` feature events go round-robin to the sessions, evenly spaced inside them: the first ``c`` are core
  events (var segment_core_events), the others other-feature events; a session with too few events for its length
  gets more ``Application Opened`` events (the app back in the foreground), evenly spaced with the others, so that no
  two events of a session are more than 25 minutes apart;
* every event of a row is synced at the row's ``_loaded_at`` (the adapter's ``_loaded_at`` is the latest sync of
  the day's events); each user has one identify call (its device's anonymous id) and one group call (its account,
  trait ``account_id``) at midnight of its first usage day, synced with its earliest loaded row.

A row whose sessions do not fit in a day, or that has active minutes without a session, cannot be expressed: it is
counted in the manifest's ``not_expressed``, and left out of the twin.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from renewal_warehouse.pipeline import contract as rc
from renewal_warehouse.pipeline.vendors.extract import raw_path, record_vendor, write_manifest
from renewal_warehouse.pipeline.vendors.segment import SEGMENT

USAGE = "product.usage_daily"
REPLACED = (USAGE,)

DAY_START_MINUTE = 8 * 60  # the first session of a day opens at 08:00 UTC when the day has room
SESSION_GAP_MINUTES = 31  # between two sessions: more than the adapter's 30-minute gap
FILL_EVERY_MINUTES = 25.0  # an activity event at least every 25 minutes of a session, so no gap inside it ends it
OPENED, BACKGROUNDED = "Application Opened", "Application Backgrounded"  # activity events (Segment's spec names)
CORE_EVENTS = ("Report Created", "Dashboard Shared", "Workflow Run")  # var segment_core_events
OTHER_EVENTS = ("Search Performed", "Comment Added", "File Exported", "Settings Updated")
LIBRARY = "analytics.js"

# Planted rows
DUPLICATE_SUFFIX = ":2"  # the ledger's key of a second delivery of a message id
ANONYMOUS_ID = "anon-never-identified"
PROSPECT_USER = "prospect-U0001"
PROSPECT_GROUP = "grp_prospect"
DELETED_USER_NO_GROUP = "former-U0001"

DUCKDB_TYPES = {"string": "varchar", "int": "bigint", "float": "double", "bool": "boolean", "date": "date",
                "timestamp": "timestamp"}  # as contract.arrow_type writes them

# Columns Segment lands that the adapter does not read.
EXTRA_COLUMNS = {
    "tracks": (("received_at", "timestamp"), ("context_library_name", "string")),
    "identifies": (("received_at", "timestamp"),),
    "groups": (("name", "string"), ("received_at", "timestamp")),
}


def _quarantined_keys(manifest: dict) -> list[tuple[str, str]]:
    return sorted({(e["key"], e["reason"]) for e in manifest["expected_quarantine"] if e["table"] == USAGE})


def _clean(con: duckdb.DuckDBPyConnection, raw_dir: Path, manifest: dict) -> Counter:
    """Table ``clean``: the latest version of every usage key the manifest does not quarantine; returns the rows
    dropped per reason (the manifest's reason, else duplicate / superseded)."""
    con.execute("create table quarantined (key varchar, reason varchar)")
    if keys := _quarantined_keys(manifest):
        con.executemany("insert into quarantined values (?, ?)", keys)
    con.execute(f"""
        create table usage as
        select *, concat_ws('|', coalesce(account_id, ''), coalesce(user_id, ''),
                            coalesce(cast(usage_date as varchar), '')) as key
        from read_parquet('{raw_path(raw_dir, USAGE)}')""")
    dropped: Counter = Counter()
    for reason, n in con.execute("""
            select q.reason, count(*) from usage join (select key, min(reason) as reason from quarantined group by key)
                as q using (key) group by 1""").fetchall():
        dropped[reason] += n
    con.execute("""
        create table ranked as
        select usage.*, row_number() over (
                partition by key order by _loaded_at desc, sessions desc, active_minutes desc,
                core_feature_events desc, other_feature_events desc) as version_rank,
            count(*) over (partition by key, sessions, active_minutes, core_feature_events, other_feature_events)
                as same_content
        from usage where key not in (select key from quarantined)""")
    for duplicate, n in con.execute("""
            select latest.sessions is not distinct from r.sessions
                and latest.active_minutes is not distinct from r.active_minutes
                and latest.core_feature_events is not distinct from r.core_feature_events
                and latest.other_feature_events is not distinct from r.other_feature_events, count(*)
            from ranked as r join ranked as latest on latest.key = r.key and latest.version_rank = 1
            where r.version_rank > 1 group by 1""").fetchall():
        dropped["duplicate" if duplicate else "superseded"] += n
    con.execute("create table clean as select * exclude (version_rank, same_content) from ranked "
                "where version_rank = 1")
    return dropped


def _expressible(con: duckdb.DuckDBPyConnection) -> Counter:
    """Table ``expressed``: the clean rows Segment's events can carry, each with its day's first session start
    (minutes after midnight); returns the others per reason."""
    con.execute(f"""
        create table judged as
        select clean.*,
            least({DAY_START_MINUTE}, 1439 - (active_minutes + {SESSION_GAP_MINUTES} * (sessions - 1)))
                as start_minute,
            case
                when sessions is null or active_minutes is null or core_feature_events is null
                    or other_feature_events is null then 'null_measure'
                when sessions = 0 then 'no_session'
                when active_minutes + {SESSION_GAP_MINUTES} * (sessions - 1) > 1439 then 'no_room_in_the_day'
            end as problem
        from clean""")
    problems = Counter(dict(con.execute("select problem, count(*) from judged where problem is not null group by 1")
                            .fetchall()))
    con.execute("create table expressed as select * exclude (problem) from judged where problem is null")
    return problems


def _events(con: duckdb.DuckDBPyConnection) -> None:
    """Tables ``tracks``, ``identifies``, ``groups`` from ``expressed`` (the module docstring's rules)."""
    core = "[" + ", ".join(f"'{e}'" for e in CORE_EVENTS) + "]"
    other = "[" + ", ".join(f"'{e}'" for e in OTHER_EVENTS) + "]"
    con.execute("create table numbered as select *, row_number() over (order by account_id, user_id, usage_date) "
                "as row_no from expressed")
    con.execute(f"""
        create table sessions as
        with split as (
            select numbered.*, j as session_no,
                active_minutes // sessions + case when j < active_minutes % sessions then 1 else 0 end as minutes,
                (core_feature_events + other_feature_events) // sessions
                    + case when j < (core_feature_events + other_feature_events) % sessions then 1 else 0 end
                    as session_events
            from numbered, range(numbered.sessions) as t(j)
        )
        select split.*,
            greatest(0, cast(ceil(minutes / {FILL_EVERY_MINUTES}) as bigint) - 1 - session_events) as fillers,
            start_minute + coalesce(sum(minutes + {SESSION_GAP_MINUTES}) over (
                partition by row_no order by session_no rows between unbounded preceding and 1 preceding), 0)
                as session_minute
        from split""")
    con.execute(f"""
        create table tracks as
        with features as (
            select numbered.row_no, t.e as event_no, t.e % numbered.sessions as session_no,
                t.e // numbered.sessions as rank_in_session
            from numbered, range(numbered.core_feature_events + numbered.other_feature_events) as t(e)
        ),
        events as (
            select row_no, user_id, usage_date, _loaded_at, session_no, 0 as kind, 0 as item,
                session_minute * 60 as second_of_day, '{OPENED}' as event
            from sessions
            union all
            select row_no, user_id, usage_date, _loaded_at, session_no, 2, 0,
                (session_minute + minutes) * 60, '{BACKGROUNDED}'
            from sessions
            union all
            select row_no, user_id, usage_date, _loaded_at, session_no, 3, k,
                session_minute * 60 + (minutes * 60 * (session_events + k + 1)) // (session_events + fillers + 1),
                '{OPENED}'
            from sessions, range(sessions.fillers) as t(k)
            union all
            select s.row_no, s.user_id, s.usage_date, s._loaded_at, s.session_no, 1, f.event_no,
                s.session_minute * 60
                    + (s.minutes * 60 * (f.rank_in_session + 1)) // (s.session_events + s.fillers + 1),
                case when f.event_no < s.core_feature_events
                    then {core}[1 + f.event_no % {len(CORE_EVENTS)}]
                    else {other}[1 + f.event_no % {len(OTHER_EVENTS)}] end
            from features as f
            join sessions as s on s.row_no = f.row_no and s.session_no = f.session_no
        )
        select
            concat('msg-', row_no, '-', session_no, '-', kind, '-', item) as id,
            user_id,
            concat('anon-', user_id) as anonymous_id,
            event,
            cast(usage_date as timestamp) + to_seconds(second_of_day) as "timestamp",
            cast(null as varchar) as context_group_id,
            _loaded_at as _fivetran_synced,
            _loaded_at as received_at,
            '{LIBRARY}' as context_library_name
        from events""")
    con.execute("""
        create table first_days as
        select account_id, user_id, min(usage_date) as first_day, min(_loaded_at) as first_synced
        from expressed group by 1, 2""")
    con.execute("""
        create table identifies as
        select concat('idf-', user_id) as id, user_id, concat('anon-', user_id) as anonymous_id,
            cast(first_day as timestamp) as "timestamp", first_synced as _fivetran_synced, first_synced as received_at
        from first_days""")
    con.execute("""
        create table groups as
        select concat('grp-', user_id) as id, user_id, concat('grp_', account_id) as group_id, account_id,
            cast(first_day as timestamp) as "timestamp", first_synced as _fivetran_synced,
            concat('Workspace ', account_id) as name, first_synced as received_at
        from first_days""")


def _plant_quirks(con: duckdb.DuckDBPyConnection, extracted_at: str) -> list[dict]:
    """Rows a real Segment warehouse has and the adapter must exclude or resolve (none changes the contract rows)."""
    first = con.execute("select id, user_id from tracks order by id limit 1").fetchone()
    if first is None:
        raise ValueError("no usage to plant Segment's quirks beside")
    quirks: list[dict] = []

    def quirk(table: str, key: str, reason: str) -> None:
        quirks.append({"table": f"segment.{table}", "key": key, "reason": reason})

    # 1. a message delivered twice (Segment delivers at least once): the second copy is a duplicate
    con.execute(f"insert into tracks select * from tracks where id = '{first[0]}'")
    quirk("tracks", first[0] + DUPLICATE_SUFFIX, "duplicate")
    # 2. a feature event sent before the user logged in: no user id, only the device's anonymous id, which the
    # user's identify call links to the user (mapped: it counts as the user's event). That identify call was synced
    # late, at the extract time: the usage row it completes changed then (its _loaded_at, in the twin too).
    anonymous = con.execute(f"""select id, user_id, anonymous_id, _fivetran_synced from tracks
                                where event not in ('{OPENED}', '{BACKGROUNDED}') order by id limit 1""").fetchone()
    if anonymous is not None:
        message, user, device, _synced = anonymous
        con.execute(f"update tracks set user_id = null where id = '{message}'")
        con.execute(f"update identifies set _fivetran_synced = timestamp '{extracted_at}' "
                    f"where anonymous_id = '{device}'")
        row_no = int(message.split("-")[1])
        con.execute(f"""update expressed set _loaded_at = timestamp '{extracted_at}' from numbered
                        where numbered.row_no = {row_no} and expressed.account_id = numbered.account_id
                            and expressed.user_id = numbered.user_id and expressed.usage_date = numbered.usage_date""")
        quirk("tracks", message, "identified_by_anonymous_id")
        quirk("identifies", f"idf-{user}", "synced_late")
    # 3. a visitor's event that no identify call ever linked to a user
    con.execute(f"""insert into tracks select concat(id, '-visitor'), null, '{ANONYMOUS_ID}', 'Search Performed',
                    "timestamp", null, _fivetran_synced, received_at, context_library_name
                    from tracks where id = '{first[0]}' limit 1""")
    quirk("tracks", first[0] + "-visitor", "anonymous")
    # 4. a prospect's trial workspace: a group call whose account trait is empty, and its user's events
    con.execute(f"""insert into groups select 'grp-{PROSPECT_USER}', '{PROSPECT_USER}', '{PROSPECT_GROUP}', null,
                    "timestamp", _fivetran_synced, 'Trial workspace', received_at
                    from groups order by id limit 1""")
    quirk("groups", f"grp-{PROSPECT_USER}", "no_account")
    con.execute(f"""insert into tracks select concat(id, '-prospect'), '{PROSPECT_USER}',
                    'anon-{PROSPECT_USER}', 'Report Created', "timestamp", null, _fivetran_synced, received_at,
                    context_library_name from tracks where id = '{first[0]}' limit 1""")
    quirk("tracks", first[0] + "-prospect", "no_account")
    # 5. an event of a user who was never in a group (a deleted workspace's user)
    con.execute(f"""insert into tracks select concat(id, '-former'), '{DELETED_USER_NO_GROUP}',
                    'anon-{DELETED_USER_NO_GROUP}', 'Search Performed', "timestamp", null, _fivetran_synced,
                    received_at, context_library_name from tracks where id = '{first[0]}' limit 1""")
    quirk("tracks", first[0] + "-former", "no_account")
    # 6. an event that names its account in the call (context.groupId): mapped through that group
    named = con.execute(f"""select t.id, g.group_id from tracks as t join groups as g on g.user_id = t.user_id
                            where t.event = '{BACKGROUNDED}' order by t.id limit 1""").fetchone()
    if named is not None:
        con.execute(f"update tracks set context_group_id = '{named[1]}' where id = '{named[0]}'")
        quirk("tracks", named[0], "account_from_context")
    return quirks


def _write(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    spec = SEGMENT.table(table)
    columns = [(c.name, c.type) for c in spec.columns] + list(EXTRA_COLUMNS.get(table, ()))
    select = ", ".join(f'cast("{name}" as {DUCKDB_TYPES[type_]}) as "{name}"' for name, type_ in columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy (select {select} from {table} order by id, _fivetran_synced) to '{path}' "
                "(format parquet, compression zstd)")


def write_segment(raw_dir: Path, progress: Callable[[str], None] = print) -> dict:
    """Convert the extract at ``raw_dir`` in place to Segment's tables (see the module docstring).

    Returns {"twin": {"product.usage_daily": the contract rows the adapter derives, an Arrow table sorted by key},
    "manifest": ...}."""
    raw_dir = Path(raw_dir)
    manifest = json.loads((raw_dir / "_manifest.json").read_text())
    con = duckdb.connect()
    try:
        dropped = _clean(con, raw_dir, manifest)
        dropped.update(_expressible(con))
        _events(con)
        quirks = _plant_quirks(con, manifest["extracted_at"])
        for table in ("tracks", "identifies", "groups"):
            _write(con, table, raw_dir / "segment" / f"{table}.parquet")
        columns = ", ".join(c.name for c in rc.table(USAGE).columns)
        twin = (con.sql(f"select {columns} from expressed order by account_id, user_id, usage_date")
                .to_arrow_table().cast(rc.arrow_schema(rc.table(USAGE))))
        counts = {f"segment.{t}": con.execute(f"select count(*) from {t}").fetchone()[0]
                  for t in ("tracks", "identifies", "groups")}
    finally:
        con.close()
    raw_path(raw_dir, USAGE).unlink()
    record_vendor(manifest, SEGMENT.system, SEGMENT.name, REPLACED, counts, {USAGE: dropped}, quirks)
    write_manifest(raw_dir, manifest)
    progress(f"wrote {sum(counts.values()):,} rows in {len(SEGMENT.tables)} {SEGMENT.title} tables to "
             f"{raw_dir / SEGMENT.name} ({twin.num_rows:,} usage rows as events)")
    return {"twin": {USAGE: twin}, "manifest": manifest}


def contract_twin(raw_dir: Path, converted: dict) -> None:
    """Rewrite ``raw_dir``'s product usage (contract format) as the world ``write_segment`` expressed: the contract
    rows the adapter derives from its events (``converted["twin"]``), one per key, sorted by key."""
    pq.write_table(converted["twin"][USAGE], raw_path(Path(raw_dir), USAGE), compression="zstd")
