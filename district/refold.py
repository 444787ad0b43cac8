"""Refold only the libraries a late push belongs to, not the whole province.

A push whose events sort before what the hub has folded must be refolded so the hub
derives the same loans, holds, requests and conflicts as every other node
(:func:`kiosk.core.fold.rebuild_circulation`). Replaying every library's circulation
for that costs the whole log, on the single writer, for most pushes. But circulation
is confined to one library: ownership lets a library lend, return and trap only its
own copies and holds, so a library's events read and write only rows no other library
touches. The hub therefore refolds the *group* of libraries the late events belong to:
those libraries, plus any library that ever touched the same copy, loan, hold or
request (``district_circulation_links``, kept by a trigger: see ``district/schema.py``),
plus the libraries of a conflict a late resolution settles. Rows of every other library
are left exactly as they are; the result is the same as a full refold
(``tests/district/test_partial_refold.py``).
"""

from __future__ import annotations

import sqlite3

from kiosk.core import fold, quarantine
from kiosk.store.db import Store
from kiosk.store.eventlog import Event

_NOT_HELD = ("NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.origin_id = e.origin_id "
             "AND q.seq = e.seq AND q.status != 'applied')")


def group(store: Store, libraries: set[str]) -> set[str]:
    """``libraries`` and every library linked to them, transitively."""
    found, frontier = set(libraries), list(libraries)
    while frontier:
        for (other,) in store.all("SELECT b FROM district_circulation_links WHERE a = ?",
                                  (frontier.pop(),)):
            if other not in found:
                found.add(other)
                frontier.append(other)
    return found


def _settled_libraries(store: Store, events: list[Event]) -> set[str]:
    """The libraries whose conflicts the resolutions among ``events`` settle."""
    out: set[str] = set()
    for event in events:
        if event.type != "conflict.resolved":
            continue
        out.update(r[0] for r in store.all(
            "SELECT e.library_id FROM conflicts c, json_each(c.event_uuids) j "
            "JOIN events e ON e.uuid = j.value WHERE c.id = ?",
            (str(event.payload.get("conflict_id")),)))
    return out


def refold(store: Store, arriving: list[Event]) -> int:
    """What :func:`sync.replica.apply_batch` calls at the hub for a late batch."""
    libraries = {e.library_id for e in arriving if fold.folds_state(e.type)}
    return refold_libraries(store, group(store, libraries | _settled_libraries(store, arriving)))


def refold_libraries(store: Store, libraries: set[str]) -> int:
    """Rebuild the circulation state of ``libraries`` (a closed group) from their events;
    returns the events replayed. Resolutions are replayed from every library, but only
    onto the group's own conflicts."""
    if not libraries:
        return 0
    names = sorted(libraries)
    marks = ",".join("?" * len(names))
    count = 0
    with store.transaction():
        store.execute(f"DELETE FROM loans WHERE library_id IN ({marks})", names)
        store.execute(f"DELETE FROM requests WHERE library_id IN ({marks})", names)
        store.execute(f"DELETE FROM holds WHERE EXISTS (SELECT 1 FROM district_circulation_keys k "
                      f"WHERE k.key = 'h:' || holds.id AND k.library_id IN ({marks}))", names)
        store.execute(f"DELETE FROM conflicts WHERE EXISTS (SELECT 1 FROM "
                      f"json_each(conflicts.event_uuids) j JOIN events e ON e.uuid = j.value "
                      f"WHERE e.library_id IN ({marks}))", names)
        others = {r[0] for r in store.all("SELECT id FROM conflicts")}
        rows = store.execute(
            f"SELECT * FROM events e WHERE library_id IN ({marks}) AND type NOT LIKE "
            f"'record.%' AND type != 'visit' AND {_NOT_HELD} UNION "
            f"SELECT * FROM events e WHERE type = 'conflict.resolved' AND {_NOT_HELD} "
            f"ORDER BY hlc, origin_id, seq", names)
        for row in rows:
            event = Event.from_row(row)
            if event.type == "conflict.resolved" and event.payload.get("conflict_id") in others:
                continue
            try:
                fold.apply(store, event)
            except (sqlite3.IntegrityError, ValueError, KeyError, TypeError) as exc:
                quarantine.hold(store, event, "constraint", str(exc), event.wall_time)
            count += 1
    return count
