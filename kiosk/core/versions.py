"""Field versions of catalogue, item and patron records: concurrent edits converge.

A record's creation needs no version (its id is new, nobody else can create it). Each
later edit of a field records which event wrote it; an edit carries, per field, the
version its writer had seen (``base``). When an edit arrives whose base is not the
field's current version, the two writers did not see each other: the later stamp
``(hlc, origin_id)`` wins on every node alike, and the losing value is kept in
``record_conflicts`` for a librarian.

A field's version stamp (``vstamp``) is the event's HLC, or one more than the stamp of
the version its writer replaced (``payload["supersedes"]``) when that is larger: an edit
made after seeing a value always beats that value, so a peer whose clock ran years
ahead cannot keep a field forever, and every node still picks the same winner whatever
order the events arrive in, without moving any node's clock.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kiosk.store.db import Store
from kiosk.store.eventlog import Event


NATURAL_KEY_TABLES = {"policies", "libraries", "closed_days"}
BOOKKEEPING_FIELDS = {"updated_at", "created_at"}  # last writer wins, never worth a librarian's time


def note_creation(store: Store, event: Event, table: str, record_id: str, fields: dict) -> None:
    """Two nodes may create the same naturally keyed row (a policy, a closed day):
    stamp its fields so that both converge on the later creation."""
    if table not in NATURAL_KEY_TABLES:
        return
    store.conn.executemany(
        "INSERT OR REPLACE INTO record_versions (tbl, record_id, field, hlc, origin_id, event_uuid, "
        "vstamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(table, record_id, f, event.hlc, event.origin_id, event.uuid, vstamp(event))
         for f in fields])


def vstamp(event: Event) -> int:
    return max(event.hlc, int(event.payload.get("supersedes") or 0) + 1)


def supersedes(store: Store, table: str, record_id: str, fields: list[str]) -> int:
    """The highest version stamp among the fields a local edit replaces."""
    marks = ",".join("?" * len(fields))
    return store.scalar(
        f"SELECT MAX(COALESCE(vstamp, hlc)) FROM record_versions WHERE tbl = ? AND record_id = ? "
        f"AND field IN ({marks})", (table, record_id, *fields)) or 0


def current_bases(store: Store, table: str, record_id: str, fields: list[str]) -> dict[str, str | None]:
    """The versions a local edit is based on: what this node holds now."""
    rows = {r["field"]: r["event_uuid"] for r in store.all(
        "SELECT field, event_uuid FROM record_versions WHERE tbl = ? AND record_id = ?",
        (table, record_id))}
    return {f: rows.get(f) for f in fields}


def _conflict(store: Store, table: str, record_id: str, field: str, winner: str, loser: str,
              loser_value: Any) -> None:
    key = "|".join([table, record_id, field, *sorted([winner, loser])])
    store.execute(
        "INSERT OR IGNORE INTO record_conflicts (id, tbl, record_id, field, winner_uuid, "
        "loser_uuid, loser_value) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (hashlib.sha256(key.encode()).hexdigest()[:16], table, record_id, field, winner, loser,
         json.dumps(loser_value, ensure_ascii=False)),
    )


def winning_fields(store: Store, event: Event, table: str, record_id: str,
                   fields: dict[str, Any], current_row: Any) -> dict[str, Any]:
    """The fields of an edit that win against what this node holds; records versions."""
    base: dict[str, str | None] = event.payload.get("base") or {}
    versions = {r["field"]: r for r in store.all(
        "SELECT field, COALESCE(vstamp, hlc) AS vstamp, origin_id, event_uuid FROM record_versions "
        "WHERE tbl = ? AND record_id = ?", (table, record_id))}
    mine = (vstamp(event), event.origin_id, event.uuid)
    winners = {}
    for field, value in fields.items():
        held = versions.get(field)
        held_uuid = held["event_uuid"] if held else None
        if held_uuid == event.uuid:
            continue
        held_value = current_row[field] if current_row is not None and \
            field in current_row.keys() else None
        # Two writers who did not see each other but wrote the same value agree: no conflict.
        concurrent = base.get(field, held_uuid) != held_uuid and \
            field not in BOOKKEEPING_FIELDS and value != held_value
        if held is not None and (held["vstamp"], held["origin_id"], held_uuid) > mine:
            if concurrent:
                _conflict(store, table, record_id, field, held_uuid, event.uuid, value)
            continue
        if concurrent:
            _conflict(store, table, record_id, field, event.uuid, held_uuid or "creation",
                      held_value)
        winners[field] = value
        store.execute(
            "INSERT INTO record_versions (tbl, record_id, field, hlc, origin_id, event_uuid, vstamp) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tbl, record_id, field) DO UPDATE SET "
            "hlc = excluded.hlc, origin_id = excluded.origin_id, event_uuid = excluded.event_uuid, "
            "vstamp = excluded.vstamp",
            (table, record_id, field, event.hlc, event.origin_id, event.uuid, mine[0]),
        )
    return winners
