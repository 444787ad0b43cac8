"""The deterministic fold: events in, current state (loans, holds, requests, records) out.

Local writes apply each event as it is appended (its stamp is the newest, so applying it
last is the same as refolding). Events that arrive out of order from a peer call
:func:`rebuild_circulation`, which replays the whole circulation log in
``(hlc, origin_id, seq)`` order, so every node derives the same state from the same events.
Impossible sequences that only a merge can produce (the same copy lent twice, a return with
no loan) are not "fixed": they become conflicts with a stable id for a librarian.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from typing import Any, Callable

from kiosk.core import search_index, versions
from kiosk.store.db import Store
from kiosk.store.eventlog import Event

log = logging.getLogger(__name__)

RECORD_KEYS = {
    "records": "id",
    "items": "id",
    "patrons": "id",
    "libraries": "code",
    "attachments": "id",
    "closed_days": "date",
    "policies": None,
    "device_registry": "id",
    "device_origins": "id",
}
JSON_COLUMNS = {"authors", "subjects"}
CIRCULATION_TABLES = ("loans", "holds", "requests", "conflicts")

_columns_cache: dict[tuple[int, str], set[str]] = {}


def _columns(store: Store, table: str) -> set[str]:
    key = (id(store), table)
    if key not in _columns_cache:
        _columns_cache[key] = {row["name"] for row in store.all(f"PRAGMA table_info({table})")}
    return _columns_cache[key]


def record_exists(store: Store, table: str, id_: str) -> bool:
    if table == "policies":
        category, _, item_type = id_.partition("/")
        return store.one("SELECT 1 FROM policies WHERE patron_category = ? AND item_type = ?",
                         (category, item_type)) is not None
    return store.one(f"SELECT 1 FROM {table} WHERE {RECORD_KEYS[table]} = ?", (id_,)) is not None


def _put(store: Store, event: Event) -> None:
    table = event.payload["table"]
    if table not in RECORD_KEYS:
        raise ValueError(f"unknown table in record event {event.uuid}: {table!r}")
    allowed = _columns(store, table)
    fields = {k: v for k, v in event.payload["fields"].items() if k in allowed and k != "rid"}
    for name in JSON_COLUMNS & fields.keys():
        fields[name] = json.dumps(fields[name], ensure_ascii=False)
    if table == "policies":
        keys = {"patron_category": fields.pop("patron_category"),
                "item_type": fields.pop("item_type")}
    else:
        keys = {RECORD_KEYS[table]: event.payload["id"]}
    where = " AND ".join(f"{k} = ?" for k in keys)
    current = store.one(f"SELECT * FROM {table} WHERE {where}", list(keys.values()))
    if current is not None:
        fields = versions.winning_fields(store, event, table, event.payload["id"], fields, current)
        if fields:
            store.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in fields)} WHERE {where}",
                [*fields.values(), *keys.values()],
            )
    else:
        row = {**fields, **keys}
        if table == "records" and "library_id" in allowed and event.library_id != "*":
            row.setdefault("library_id", event.library_id)
        store.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        versions.note_creation(store, event, table, event.payload["id"], fields)
    if table == "records":
        search_index.index_record(store, event.payload["id"])


def _delete(store: Store, event: Event) -> None:
    table = event.payload["table"]
    if table not in ("closed_days", "attachments"):
        raise ValueError(f"records of {table!r} are never deleted, only withdrawn")
    store.execute(f"DELETE FROM {table} WHERE {RECORD_KEYS[table]} = ?", (event.payload["id"],))


def conflict_id(kind: str, *uuids: str) -> str:
    digest = hashlib.sha256("|".join([kind, *sorted(uuids)]).encode()).hexdigest()
    return digest[:16]


def _conflict(store: Store, event: Event, kind: str, others: list[str], **who: Any) -> None:
    uuids = [event.uuid, *others]
    store.execute(
        "INSERT OR IGNORE INTO conflicts (id, kind, item_id, patron_id, event_uuids, detected_hlc) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (conflict_id(kind, *uuids), kind, who.get("item_id"), who.get("patron_id"),
         json.dumps(sorted(uuids)), event.hlc),
    )


def _checkout(store: Store, event: Event) -> None:
    p = event.payload
    open_loan = store.one("SELECT id FROM loans WHERE item_id = ?", (p["item_id"],))
    if open_loan:
        _conflict(store, event, "double_checkout", [open_loan["id"]],
                  item_id=p["item_id"], patron_id=p["patron_id"])
        return
    store.execute(
        "INSERT INTO loans (id, item_id, patron_id, library_id, checked_out_at, due_date) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (event.uuid, p["item_id"], p["patron_id"], event.library_id, event.wall_time,
         p["due_date"]),
    )


def _checkin(store: Store, event: Event) -> None:
    p = event.payload
    deleted = store.execute(
        "DELETE FROM loans WHERE item_id = ? RETURNING id", (p["item_id"],)
    ).fetchall()
    if not deleted:
        _conflict(store, event, "return_without_loan", [], item_id=p["item_id"])


def _renew(store: Store, event: Event) -> None:
    p = event.payload
    updated = store.execute(
        "UPDATE loans SET due_date = ?, renewals = renewals + 1 WHERE id = ? RETURNING id",
        (p["due_date"], p["loan_id"]),
    ).fetchall()
    if not updated:
        _conflict(store, event, "renew_after_return", [p["loan_id"]], item_id=p["item_id"])


def _hold_placed(store: Store, event: Event) -> None:
    p = event.payload
    store.execute(
        "INSERT OR IGNORE INTO holds (id, record_id, patron_id, pickup_library, status, placed_hlc) "
        "VALUES (?, ?, ?, ?, 'waiting', ?)",
        (p["hold_id"], p["record_id"], p["patron_id"], p["pickup_library"], event.hlc),
    )


def _hold_trapped(store: Store, event: Event) -> None:
    p = event.payload
    store.execute(
        "UPDATE holds SET status = 'trapped', item_id = ?, trapped_at = ?, pickup_expires = ? "
        "WHERE id = ? AND status = 'waiting'",
        (p["item_id"], event.wall_time, p["pickup_expires"], p["hold_id"]),
    )


def _hold_closed(status: str) -> Callable[[Store, Event], None]:
    def apply(store: Store, event: Event) -> None:
        hold_id = event.payload["hold_id"]
        changed = store.execute(
            "UPDATE holds SET status = ?, closed_at = ? "
            "WHERE id = ? AND status IN ('waiting', 'trapped') RETURNING id",
            (status, event.wall_time, hold_id),
        ).fetchall()
        if not changed and status == "filled":
            _conflict(store, event, "hold_filled_twice", [], item_id=event.payload.get("item_id"))

    return apply


def _request_created(store: Store, event: Event) -> None:
    p = event.payload
    store.execute(
        "INSERT OR IGNORE INTO requests (id, kind, patron_id, record_id, item_id, library_id, "
        "details, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)",
        (p["request_id"], p["kind"], p["patron_id"], p["record_id"], p.get("item_id"),
         event.library_id, json.dumps(p.get("details", {}), ensure_ascii=False),
         event.wall_time, event.wall_time),
    )


def _request_status(store: Store, event: Event) -> None:
    p = event.payload
    store.execute(
        "UPDATE requests SET status = ?, updated_at = ? WHERE id = ?",
        (p["status"], event.wall_time, p["request_id"]),
    )


def _resolution(store: Store, event: Event) -> None:
    store.execute(
        "UPDATE conflicts SET resolution = ? WHERE id = ?",
        (json.dumps(event.payload, ensure_ascii=False), event.payload["conflict_id"]),
    )


def _no_state(store: Store, event: Event) -> None:
    """Events counted by reports but not folded into current state."""


HANDLERS: dict[str, Callable[[Store, Event], None]] = {
    "record.put": _put,
    "record.delete": _delete,
    "loan.checkout": _checkout,
    "loan.checkin": _checkin,
    "loan.renew": _renew,
    "hold.placed": _hold_placed,
    "hold.trapped": _hold_trapped,
    "hold.filled": _hold_closed("filled"),
    "hold.cancelled": _hold_closed("cancelled"),
    "hold.expired": _hold_closed("expired"),
    "request.created": _request_created,
    "request.status": _request_status,
    "conflict.resolved": _resolution,
    "visit": _no_state,
}


def folds_state(event_type: str) -> bool:
    """False for events that change no derived state (visits): where they sort never matters."""
    return HANDLERS.get(event_type) is not _no_state


def apply(store: Store, event: Event) -> None:
    handler = HANDLERS.get(event.type)
    if handler is None:
        raise ValueError(f"unknown event type {event.type!r} in event {event.uuid}")
    handler(store, event)


def refusal(store: Store, event: Event) -> tuple[str, str] | None:
    """Why ``event`` must not be folded on any node, as ``(reason, detail)``; None if it may."""
    from kiosk.core import ownership
    from kiosk.store.hlc import beyond_limit

    if beyond_limit(event.hlc):
        return "far_future", "dấu thời gian sau năm 2100"
    device = ownership.revoked_device(store, event)
    if device is not None:
        return "revoked_device", f"thiết bị {device} đã bị thu hồi"
    try:
        ownership.check(store, event)
    except ownership.Refused as refused:
        return refused.reason, refused.detail
    return None


def check_or_hold(store: Store, event: Event, now: str) -> bool:
    """Quarantine ``event`` if it is refused (before a refold); True when it may be folded."""
    from kiosk.core import quarantine

    refused = refusal(store, event)
    if refused is not None:
        quarantine.hold(store, event, *refused, now)
    return refused is None


def apply_checked(store: Store, event: Event, node_library: str | None, now: str) -> bool:
    """Fold a peer's event if its library may write what it touches; else quarantine it.

    Runs inside the caller's transaction; a failure rolls back only this event (a
    savepoint), so one bad row never stops the rest of a batch. True when applied.
    """
    from kiosk.core import ownership, quarantine

    refused = refusal(store, event)
    reason, detail = refused if refused else (None, None)
    if reason is None and not ownership.applies_here(event, node_library):
        return True
    if reason is None:
        store.execute("SAVEPOINT fold_event")
        try:
            apply(store, event)
        except (sqlite3.IntegrityError, ValueError, KeyError, TypeError) as exc:
            store.execute("ROLLBACK TO fold_event")
            reason, detail = "constraint", str(exc)
        store.execute("RELEASE fold_event")
    if reason is None:
        return True
    log.warning("event %s:%s quarantined: %s", event.origin_id[:12], event.seq, reason)
    quarantine.hold(store, event, reason, detail, now)
    return False


def fold_key(store: Store) -> tuple[int, str, int] | None:
    """The canonical position of the newest circulation event folded so far."""
    row = store.one("SELECT hlc, origin_id, seq FROM events WHERE type NOT LIKE 'record.%' "
                    "ORDER BY hlc DESC, origin_id DESC, seq DESC LIMIT 1")
    return None if row is None else (row[0], row[1], row[2])


def rebuild_circulation(store: Store) -> int:
    """Refold loans, holds, requests and conflicts from the log. Returns events replayed.

    Quarantined events are skipped, so the result is the same on every node that holds
    the same events, whatever order and batches they came in.
    """
    count = 0
    with store.transaction():
        for table in CIRCULATION_TABLES:
            store.execute(f"DELETE FROM {table}")
        rows = store.execute(
            "SELECT * FROM events e WHERE type NOT LIKE 'record.%' AND NOT EXISTS "
            "(SELECT 1 FROM quarantine q WHERE q.origin_id = e.origin_id AND q.seq = e.seq "
            "AND q.status != 'applied') ORDER BY hlc, origin_id, seq"
        )
        for row in rows:
            event = Event.from_row(row)
            try:
                apply(store, event)
            except (sqlite3.IntegrityError, ValueError, KeyError, TypeError) as exc:
                from kiosk.core import quarantine

                quarantine.hold(store, event, "constraint", str(exc), event.wall_time)
            count += 1
    return count
