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
from typing import Callable, Iterable

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
    """Kept by a trigger as events are stored (``origin_tops``): no scan of the log."""
    return {r[0]: r[1] for r in store.all("SELECT origin_id, seq FROM origin_tops")}


def origin_partition(store: Store, origin: str) -> str | None:
    return store.scalar("SELECT library_id FROM origin_tops WHERE origin_id = ?", (origin,))


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
    else:
        cursor.close()
        return out, False  # all the holder lacks was seen (withheld events never go)
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


def apply_batch(library: Library, events: list[Event], *, allowed: set[str] | None = None,
                refold: Callable[[Store, list[Event]], object] | None = None) -> ApplyResult:
    """Store and fold a validated batch from a peer, atomically.

    Every event is stored (so vectors advance and nothing is lost); each is folded only
    if its library may write what it touches, otherwise it is quarantined with its
    reason. Circulation is folded incrementally only when every arriving event sorts
    after everything already folded in ``(hlc, origin_id, seq)`` order (ties included);
    otherwise it is refolded, so the derived state is a function of the events alone.
    Events that fold into no state (visits) never force a refold. ``refold`` replaces
    the full refold (the hub refolds only the libraries the late events belong to).
    """
    store = library.store
    result = ApplyResult(received=len(events))
    node_library = store.get_meta("library_code")
    with store.transaction():
        _check_partitions(store, events, allowed)
        stale = set()
        for event in events:
            clash = store.one("SELECT origin_id, seq FROM events WHERE uuid = ?", (event.uuid,))
            if clash is None or (clash[0], clash[1]) == (event.origin_id, event.seq) \
                    or adopt_fork(library, event):
                continue
            if store.one("SELECT 1 FROM forks WHERE origin_id = ? AND moved_to = ?",
                         (event.origin_id, clash[0])):
                # A peer that has not settled the fork yet still sends the losing history
                # under its old origin; this node moved it already: nothing to take.
                stale.add((event.origin_id, event.seq))
                continue
            raise PartitionViolation(f"event uuid {event.uuid} reused by another event")
        if stale:
            result.duplicates += len(stale)
            events = [e for e in events if (e.origin_id, e.seq) not in stale]
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
        stateful = [e for e in circulation if fold.folds_state(e.type)]
        for event in keep:
            if event.type.startswith("record."):
                result.quarantined += not fold.apply_checked(store, event, node_library, now)
        if stateful and folded_until is not None and _canonical(stateful[0]) < folded_until:
            for event in circulation:
                result.quarantined += not fold.check_or_hold(store, event, now)
            if refold is None:
                fold.rebuild_circulation(store)
            else:
                refold(store, circulation)
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


# Forks: one origin, two histories (a cloned SD card, a database restored by copying).

FORK_WINDOW = 1000


def tips(store: Store, origins: Iterable[str] | None = None) -> dict[str, list]:
    """``{origin: [top seq, uuid of that event]}``: what a peer compares to find forks."""
    rows = store.all("SELECT t.origin_id, t.seq, e.uuid FROM origin_tops t JOIN events e "
                     "ON e.origin_id = t.origin_id AND e.seq = t.seq")
    wanted = None if origins is None else set(origins)
    return {r[0]: [r[1], r[2]] for r in rows if wanted is None or r[0] in wanted}


def forked(store: Store, theirs: dict) -> list[str]:
    """Origins whose event at a peer's top seq is not the one this node holds there."""
    out = []
    for origin, tip in theirs.items():
        if not (isinstance(tip, list) and len(tip) == 2 and type(tip[0]) is int):
            continue
        mine = store.scalar("SELECT uuid FROM events WHERE origin_id = ? AND seq = ?",
                            (origin, tip[0]))
        if mine is not None and mine != tip[1]:
            out.append(origin)
    return out


def window(store: Store, origin: str, upto: int | None = None) -> list[list]:
    """The last :data:`FORK_WINDOW` ``[seq, uuid]`` of ``origin`` up to ``upto``."""
    top = upto if upto is not None else (store.scalar(
        "SELECT seq FROM origin_tops WHERE origin_id = ?", (origin,)) or 0)
    return [[r[0], r[1]] for r in store.all(
        "SELECT seq, uuid FROM events WHERE origin_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
        (origin, max(1, top - FORK_WINDOW + 1), top))]


def fork_origin(origin: str, first_uuid: str) -> str:
    """Where the losing history of a fork goes: the same name on every node."""
    import hashlib

    return "fork" + hashlib.sha256(f"{origin}|{first_uuid}".encode()).hexdigest()[:28]


def resolve_fork(library: Library, origin: str, their_window: list) -> int:
    """Settle a fork of ``origin`` against a peer's ``[seq, uuid]`` window.

    At the first seq where the histories differ, the one whose event has the larger
    uuid loses the origin: its events from there on move, unchanged but for their
    ``(origin, seq)``, to :func:`fork_origin`, which every node computes alike, so both
    histories end up everywhere and nothing is lost. A node whose own origin forked
    mints a new one before it writes again. Returns the number of events moved here.
    """
    store = library.store
    theirs = {int(s): u for s, u in their_window if isinstance(s, int) and isinstance(u, str)}
    if not theirs:
        return 0
    with store.transaction():
        mine = {r[0]: r[1] for r in store.all(
            "SELECT seq, uuid FROM events WHERE origin_id = ? AND seq BETWEEN ? AND ?",
            (origin, min(theirs), max(theirs)))}
        differing = sorted(s for s in theirs if s in mine and mine[s] != theirs[s])
        if not differing:
            return 0
        first = differing[0]
        if mine[first] < theirs[first]:
            _report(library, origin, first, None, 0)
            return 0
        return _move(library, origin, first, fork_origin(origin, mine[first]))


def _move(library: Library, origin: str, first: int, moved_to: str) -> int:
    """Move ``origin``'s events from ``first`` on to ``moved_to``, unchanged otherwise."""
    store = library.store
    with store.transaction():
        rows = store.all("SELECT * FROM events WHERE origin_id = ? AND seq >= ? ORDER BY seq",
                         (origin, first))
        start = store.scalar("SELECT COALESCE(MAX(seq), 0) FROM events WHERE origin_id = ?",
                             (moved_to,))
        store.execute("DELETE FROM events WHERE origin_id = ? AND seq >= ?", (origin, first))
        for offset, row in enumerate(rows, start=1):
            store.execute(
                "INSERT INTO events (origin_id, seq, uuid, hlc, wall_time, library_id, type, "
                "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (moved_to, start + offset, row["uuid"], row["hlc"], row["wall_time"],
                 row["library_id"], row["type"], row["payload"]))
            store.execute("UPDATE record_versions SET origin_id = ? WHERE event_uuid = ?",
                          (moved_to, row["uuid"]))
            store.execute("UPDATE quarantine SET origin_id = ?, seq = ? WHERE uuid = ?",
                          (moved_to, start + offset, row["uuid"]))
        fold.rebuild_circulation(store)
        _report(library, origin, first, moved_to, len(rows))
    return len(rows)


def _report(library: Library, origin: str, first: int, moved_to: str | None, moved: int) -> None:
    own = origin in library.log.own_origins()
    library.store.execute(
        "INSERT INTO forks (origin_id, from_seq, moved_to, moved, own, at) VALUES (?, ?, ?, ?, ?, ?)",
        (origin, first, moved_to, moved, int(own), library.now_iso()))
    log.warning("origin %s holds two histories from seq %d: %s", origin[:12], first,
                f"moved {moved} events to {moved_to}" if moved else "kept here")
    if own:
        library.log.mint_new_origin()


def adopt_fork(library: Library, event: Event) -> bool:
    """A peer moved a forked history that this node holds too (the event arrives under
    the fork origin with a uuid held under the original one): move it the same way."""
    store = library.store
    held = store.one("SELECT origin_id, seq FROM events WHERE uuid = ?", (event.uuid,))
    if held is None or not event.origin_id.startswith("fork"):
        return False
    origin, first = held[0], held[1] - event.seq + 1
    first_uuid = store.scalar("SELECT uuid FROM events WHERE origin_id = ? AND seq = ?",
                              (origin, first))
    if first < 1 or first_uuid is None or fork_origin(origin, first_uuid) != event.origin_id:
        return False
    _move(library, origin, first, event.origin_id)
    return True
