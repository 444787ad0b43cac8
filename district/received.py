"""When the hub received each record's latest change: the OAI-PMH datestamps.

A record edited at a library offline for a week reaches the hub with an old
``updated_at``; a harvester that asked "what changed since yesterday" would never see
it if datestamps came from the record. So the hub stamps a record when it *receives*
a change to it (the record itself, or a copy of it: copies decide which library sets
it is in and whether every copy is withdrawn), in its own tables
(``district_oai_records``, ``district_oai_sets``; see ``district/schema.py``).

:func:`catch_up` reads the event log past the last event it looked at (a rowid mark
in ``district_marks``) and runs on the writer after each applied push, after the
hub's own writes and from a background timer. Each stamp takes a new ``seq``, so a
record changed again while a harvester pages moves to the end of the list and is sent
again rather than missed.

A record is *deleted* for harvesters when its row is gone or when it had copies and
every one is withdrawn; it leaves a library's set (reported there as deleted) when
that library's last copy goes. Deleted records stay listed (``deletedRecord`` is
``persistent``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from kiosk.core.library import Library
from kiosk.store.db import Store

log = logging.getLogger(__name__)
MARK = "oai_event_rowid"
CHUNK = 500


def get_mark(store: Store, name: str) -> int:
    return int(store.scalar("SELECT value FROM district_marks WHERE name = ?", (name,)) or 0)


def set_mark(store: Store, name: str, value: int) -> None:
    store.execute("INSERT INTO district_marks (name, value) VALUES (?, ?) "
                  "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, value))


def utc_now(library: Library) -> str:
    now = library.clock.now()
    if now.tzinfo is None:
        now = now.astimezone()
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _changed_records(store: Store, mark: int, top: int) -> set[str]:
    records: set[str] = set()
    items: set[str] = set()
    for row in store.all(
            "SELECT payload FROM events WHERE rowid > ? AND rowid <= ? "
            "AND +type IN ('record.put', 'record.delete')", (mark, top)):
        payload = json.loads(row[0])
        table, key = payload.get("table"), str(payload.get("id"))
        if table == "records":
            records.add(key)
        elif table == "items":
            items.add(key)
            record = (payload.get("fields") or {}).get("record_id")
            if record:
                records.add(str(record))
    listed = sorted(items)
    for start in range(0, len(listed), CHUNK):
        part = listed[start:start + CHUNK]
        records.update(r[0] for r in store.all(
            f"SELECT record_id FROM items WHERE id IN ({','.join('?' * len(part))})", part))
    return records


def _restamp(store: Store, record_ids: list[str], stamp: str) -> None:
    seq = int(store.scalar("SELECT COALESCE(MAX(seq), 0) FROM district_oai_records"))
    for start in range(0, len(record_ids), CHUNK):
        part = record_ids[start:start + CHUNK]
        marks = ",".join("?" * len(part))
        present = {r[0] for r in store.all(f"SELECT id FROM records WHERE id IN ({marks})", part)}
        copies: dict[str, int] = {}
        live: dict[str, set[str]] = {}
        for r in store.all(f"SELECT record_id, library_id, status != 'withdrawn' AS live "
                           f"FROM items WHERE record_id IN ({marks})", part):
            copies[r[0]] = copies.get(r[0], 0) + 1
            if r[2]:
                live.setdefault(r[0], set()).add(r[1])
        listed: dict[str, set[str]] = {}
        for r in store.all(f"SELECT record_id, set_spec FROM district_oai_sets "
                           f"WHERE record_id IN ({marks})", part):
            listed.setdefault(r[0], set()).add(r[1])
        record_rows, set_rows = [], []
        for record_id in part:
            seq += 1
            sets = live.get(record_id, set())
            deleted = record_id not in present or (copies.get(record_id, 0) > 0 and not sets)
            record_rows.append((record_id, stamp, seq, int(deleted)))
            for spec in sets:
                set_rows.append((spec, record_id, stamp, seq, 0))
            for spec in listed.get(record_id, set()) - sets:
                set_rows.append((spec, record_id, stamp, seq, 1))
        store.conn.executemany(
            "INSERT INTO district_oai_records (record_id, stamp, seq, deleted) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (record_id) DO UPDATE SET stamp = excluded.stamp, seq = excluded.seq, "
            "deleted = excluded.deleted", record_rows)
        store.conn.executemany(
            "INSERT INTO district_oai_sets (set_spec, record_id, stamp, seq, deleted) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (set_spec, record_id) DO UPDATE SET "
            "stamp = excluded.stamp, seq = excluded.seq, deleted = excluded.deleted", set_rows)


def catch_up(library: Library) -> int:
    """Stamp the records changed by events the hub stored since the last call; returns
    how many. Call on the writer (it writes); cheap when nothing arrived."""
    store = library.store
    top = int(store.scalar("SELECT COALESCE(MAX(rowid), 0) FROM events"))
    mark = get_mark(store, MARK)
    if top == mark:
        return 0
    with store.transaction():
        if mark == 0:  # a hub from before datestamps: every record counts as received now
            changed = [r[0] for r in store.all("SELECT id FROM records ORDER BY rid")]
        else:
            changed = sorted(_changed_records(store, mark, top))
        if changed:
            _restamp(store, changed, utc_now(library))
        set_mark(store, MARK, top)
    if changed:
        log.debug("stamped %d records received by the hub", len(changed))
    return len(changed)
