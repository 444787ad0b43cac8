"""What a peer lacks, and applying what a peer sends.

The checkpoint is the version vector ``{origin_id: highest seq held}``; every origin's
events are held gap-free, so "seq > vector[origin]" is exactly what is missing. Each
origin writes into one partition (its library, or ``*`` for district-wide records), so a
device that receives only its library's partition still holds whole origins.

A batch is validated first and applied in one transaction together with the vector
it implies; re-delivery is a no-op. Events arriving in stamp order extend the derived
state incrementally; an event older than what was already folded triggers a full,
deterministic refold of circulation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable

from kiosk.core import fold
from kiosk.core.library import Library
from kiosk.store.db import Store
from kiosk.store.eventlog import Event

log = logging.getLogger(__name__)

BATCH_SIZE = 500
EVERYWHERE = "*"


class PartitionViolation(PermissionError):
    """A peer sent events outside the partition it may write."""


@dataclass
class ApplyResult:
    received: int = 0
    applied: int = 0
    duplicates: int = 0
    held_back: int = 0
    refolded: bool = False
    future_stamps: int = 0
    quarantined: int = 0
    new_origin: bool = False
    origins: set[str] = field(default_factory=set)


def vector(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.all(
        "SELECT origin_id, MAX(seq) FROM events GROUP BY origin_id")}


def origin_partition(store: Store, origin: str) -> str | None:
    return store.scalar("SELECT library_id FROM events WHERE origin_id = ? AND seq = 1", (origin,))


def events_since(store: Store, their: dict[str, int], partitions: set[str] | None = None,
                 limit: int = BATCH_SIZE) -> tuple[list[Event], bool]:
    """Up to ``limit`` events the holder of ``their`` lacks, in stamp order; and whether more remain."""
    mine = vector(store)
    wanted = {}
    for origin, top in mine.items():
        have = max(0, int(their.get(origin, 0)))
        if top <= have:
            continue
        if partitions is not None and origin_partition(store, origin) not in partitions:
            continue
        wanted[origin] = have
    if not wanted:
        return [], False
    start = min(store.scalar("SELECT hlc FROM events WHERE origin_id = ? AND seq = ?",
                             (origin, have + 1)) for origin, have in wanted.items())
    withheld = {(r[0], r[1]) for r in store.all(
        "SELECT origin_id, seq FROM quarantine WHERE reason = 'revoked_device'")}
    out: list[Event] = []
    cursor = store.execute(
        "SELECT * FROM events WHERE hlc >= ? ORDER BY hlc, origin_id, seq", (start,))
    for row in cursor:
        have = wanted.get(row["origin_id"])
        if have is None or row["seq"] <= have or (row["origin_id"], row["seq"]) in withheld:
            continue
        out.append(Event.from_row(row))
        if len(out) >= limit:
            break
    cursor.close()
    sent = {}
    for event in out:
        sent[event.origin_id] = max(sent.get(event.origin_id, 0), event.seq)
    more = any(sent.get(o, have) < mine[o] for o, have in wanted.items())
    return out, more


def _contiguous(events: Iterable[Event], held: dict[str, int], result: ApplyResult) -> list[Event]:
    by_origin: dict[str, list[Event]] = {}
    for event in events:
        by_origin.setdefault(event.origin_id, []).append(event)
    keep = []
    for origin, group in by_origin.items():
        top = held.get(origin, 0)
        for event in sorted(group, key=lambda e: e.seq):
            if event.seq <= top:
                result.duplicates += 1
            elif event.seq == top + 1:
                keep.append(event)
                top += 1
            else:
                result.held_back += 1
    return keep


def _check_partitions(store: Store, events: list[Event], allowed: set[str] | None) -> None:
    per_origin: dict[str, str] = {}
    for event in events:
        if allowed is not None and event.library_id not in allowed:
            raise PartitionViolation(
                f"event {event.uuid} belongs to library {event.library_id!r}; "
                f"this peer may only write {sorted(allowed)}")
        known = per_origin.get(event.origin_id) or origin_partition(store, event.origin_id)
        if known is not None and known != event.library_id:
            raise PartitionViolation(
                f"origin {event.origin_id} writes library {known!r}, not {event.library_id!r}")
        per_origin[event.origin_id] = event.library_id


def _canonical(event: Event) -> tuple[int, str, int]:
    return (event.hlc, event.origin_id, event.seq)


def apply_batch(library: Library, events: list[Event], *,
                allowed: set[str] | None = None) -> ApplyResult:
    """Store and fold a validated batch from a peer, atomically.

    Every event is stored (so vectors advance and nothing is lost); each is folded only
    if its library may write what it touches, otherwise it is quarantined with its
    reason. Circulation is folded incrementally only when every arriving event sorts
    after everything already folded in ``(hlc, origin_id, seq)`` order (ties included);
    otherwise it is refolded, so the derived state is a function of the events alone.
    """
    store = library.store
    result = ApplyResult(received=len(events))
    node_library = store.get_meta("library_code")
    with store.transaction():
        _check_partitions(store, events, allowed)
        for event in events:
            clash = store.one("SELECT origin_id, seq FROM events WHERE uuid = ?", (event.uuid,))
            if clash is not None and (clash[0], clash[1]) != (event.origin_id, event.seq):
                raise PartitionViolation(f"event uuid {event.uuid} reused by another event")
        held = vector(store)
        keep = sorted(_contiguous(events, held, result), key=_canonical)
        if not keep:
            return result
        folded_until = fold.fold_key(store)
        my_origins = library.log.own_origins()
        adopt = 0
        for event in keep:
            store.execute(
                "INSERT INTO events (origin_id, seq, uuid, hlc, wall_time, library_id, type, "
                "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (event.origin_id, event.seq, event.uuid, event.hlc, event.wall_time,
                 event.library_id, event.type, _json(event.payload)))
            if library.log.hlc.within_bound(event.hlc):
                adopt = max(adopt, event.hlc)
            else:
                result.future_stamps += 1
            result.origins.add(event.origin_id)
            result.new_origin |= event.origin_id in my_origins
        if adopt:
            library.log.adopt(adopt)
        result.applied = len(keep)
        now = library.now_iso()
        circulation = [e for e in keep if not e.type.startswith("record.")]
        for event in keep:
            if event.type.startswith("record."):
                result.quarantined += not fold.apply_checked(store, event, node_library, now)
        if circulation and folded_until is not None and _canonical(circulation[0]) < folded_until:
            for event in circulation:
                result.quarantined += not fold.check_or_hold(store, event, now)
            fold.rebuild_circulation(store)
            result.refolded = True
        else:
            for event in circulation:
                result.quarantined += not fold.apply_checked(store, event, node_library, now)
        if result.new_origin:
            log.warning("a peer holds events of this node's origin that it had lost "
                        "(restored or cloned): minting a new origin")
            library.log.mint_new_origin()
    return result


def _json(payload: dict) -> str:
    import json

    return json.dumps(payload, ensure_ascii=False)
