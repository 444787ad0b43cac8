"""Which circulation events a bootstrapped device needs: the recent ones, and whatever the
fold must replay to rebuild today's loans, holds, requests and open conflicts from them.

The fold replays the device's whole circulation log when an older event arrives from a
device that was offline (:func:`kiosk.core.fold.rebuild_circulation`), so the events a
device holds must, replayed on their own, give exactly the state the full log gives. The
fold keeps each copy's loan, each hold and each request apart, so the log can be cut per
copy, per hold and per request at a **clean point**:

- a copy is clean right after a return (the fold then holds no loan of it): its loan
  events are kept from its last return before the window (exclusive), or from before the
  first event of a conflict about it that nobody has resolved yet;
- a hold, or a request, is kept whole if it is still open, was touched inside the window,
  or is part of an unresolved conflict; otherwise it is history;
- resolutions are kept (a handful); visits only inside the window.

The **window** starts at the oldest newest-event of the library's devices that wrote in
the last :data:`LIVE_DAYS` days, and at least :data:`MIN_DAYS` before the cut: an event a
device has not sent yet is newer than the last one it did send (its clock never runs
back), so every late event from a known device is judged against the same history on the
device as at the hub. What falls outside stays at the hub: old loans, old holds and old
visits, and the conflicts librarians already settled long ago.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Iterator

from kiosk.store.hlc import pack

MIN_DAYS = 14
LIVE_DAYS = 180
DAY_MS = 86_400_000
_LOAN = ("loan.checkout", "loan.checkin", "loan.renew")
_HOLD_OPEN = ("waiting", "trapped")
_REQUEST_OPEN = ("new", "processing", "sent")


def window_start(conn: sqlite3.Connection, partitions: set[str] | None,
                 now_ms: int | None = None) -> int:
    """The HLC from which every circulation event is kept."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    start = pack(now_ms - MIN_DAYS * DAY_MS, 0)
    live = pack(now_ms - LIVE_DAYS * DAY_MS, 0)
    for origin, seq, library in conn.execute("SELECT origin_id, seq, library_id FROM origin_tops"):
        if partitions is not None and library not in partitions:
            continue
        top = conn.execute("SELECT hlc FROM events WHERE origin_id = ? AND seq = ?",
                           (origin, seq)).fetchone()
        if top is not None and live <= top[0] < start:
            start = top[0]
    return start


def _unresolved(conn: sqlite3.Connection) -> tuple[dict[str, int], set[str]]:
    """Per copy, the first stamp of an unresolved conflict about it; and every event uuid
    named by an unresolved conflict."""
    first: dict[str, int] = {}
    uuids: set[str] = set()
    for item_id, named, detected in conn.execute(
            "SELECT item_id, event_uuids, detected_hlc FROM conflicts WHERE resolution IS NULL"):
        names = json.loads(named)
        uuids.update(names)
        stamps = [r[0] for r in conn.execute(
            f"SELECT hlc FROM events WHERE uuid IN ({','.join('?' * len(names))})", names)]
        if item_id is not None:
            first[item_id] = min([detected, *stamps, first.get(item_id, detected)])
    return first, uuids


def select(where: str, params: list, columns: list[str], conn: sqlite3.Connection,
           partitions: set[str] | None, now_ms: int | None = None) -> Iterator[tuple]:
    """The rows (``columns`` of ``events`` matching ``where``) a device needs, grouped by
    copy, hold and request so that neighbours compress well."""
    start = window_start(conn, partitions, now_ms)
    conflicted, named = _unresolved(conn)
    cols = ", ".join(columns)
    key = "json_extract(payload, '$.item_id')"
    ts = columns.index("type"), columns.index("hlc"), columns.index("uuid")

    # Copies: buffer one copy's loan events at a time, emit what follows its clean point.
    group: list[tuple] = []
    current = None

    def flush() -> Iterator[tuple]:
        if not group:
            return
        limit = min(start, conflicted.get(current, start))
        cut = -1
        for index, row in enumerate(group):
            if row[ts[1]] >= limit:
                break
            if row[ts[0]] == "loan.checkin":
                cut = index
        yield from group[cut + 1:]

    rows = conn.execute(f"SELECT {key} AS k, {cols} FROM events WHERE ({where}) AND type IN "
                        f"{_LOAN} ORDER BY k, hlc, origin_id, seq", params)
    for row in rows:
        if row[0] != current:
            yield from flush()
            group, current = [], row[0]
        group.append(row[1:])
    yield from flush()

    # Holds and requests: whole, or not at all.
    for kind, id_key, table, open_states in (
            ("hold.%", "$.hold_id", "holds", _HOLD_OPEN),
            ("request.%", "$.request_id", "requests", _REQUEST_OPEN)):
        marks = ",".join("?" * len(open_states))
        group, current, keep = [], None, False
        rows = conn.execute(
            f"SELECT json_extract(payload, '{id_key}') AS k, {cols}, "
            f"EXISTS (SELECT 1 FROM {table} t WHERE t.id = json_extract(payload, '{id_key}') "
            f"AND t.status IN ({marks})) FROM events WHERE ({where}) AND type LIKE ? "
            "ORDER BY k, hlc, origin_id, seq", [*open_states, *params, kind])
        for row in rows:
            if row[0] != current:
                if keep:
                    yield from group
                group, current, keep = [], row[0], False
            event = row[1:-1]
            group.append(event)
            keep = keep or bool(row[-1]) or event[ts[1]] >= start or event[ts[2]] in named
        if keep:
            yield from group

    # Everything else: resolutions always, the rest (visits) inside the window.
    yield from conn.execute(
        f"SELECT {cols} FROM events WHERE ({where}) AND type NOT IN {_LOAN} AND type NOT LIKE "
        "'hold.%' AND type NOT LIKE 'request.%' AND (type IN ('conflict.resolved', "
        "'record.put', 'record.delete') OR hlc >= ?) ORDER BY type, hlc, origin_id, seq",
        [*params, start])
