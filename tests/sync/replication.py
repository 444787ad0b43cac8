"""In-process replication helpers for the sync tests (the wire is tested elsewhere)."""

from __future__ import annotations

import json

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from sync import replica
from sync.validate import event_to_wire, events_from_wire


def new_node(path, clock=None, code="TN-PHUTHO"):
    lib = open_library(path, clock or FixedClock("2026-11-20T09:00:00"))
    init_library(lib, code, "Thư viện xã Phú Thọ")
    return lib


def transfer(source, target, batch=replica.BATCH_SIZE, partitions=None):
    """Everything ``target`` lacks from ``source``, through the wire format, batch by batch."""
    total = 0
    while True:
        events, more = replica.events_since(source.store, replica.vector(target.store),
                                            partitions, limit=batch)
        wire = json.loads(json.dumps([event_to_wire(e) for e in events]))
        total += replica.apply_batch(target, events_from_wire(wire)).applied
        if not more:
            return total


def settle_forks(a, b) -> None:
    """What a sync round does before it moves events (``sync.client._settle_forks``): where
    either side sees an origin holding two histories, both settle it with the other's window."""
    detected = set(replica.forked(a.store, replica.tips(b.store))) | \
        set(replica.forked(b.store, replica.tips(a.store)))
    wa = {o: replica.window(a.store, o) for o in detected}
    wb = {o: replica.window(b.store, o) for o in detected}
    for origin in detected:
        replica.resolve_fork(a, origin, wb[origin])
        replica.resolve_fork(b, origin, wa[origin])


def gossip(a, b):
    transfer(a, b)
    transfer(b, a)


def state(lib):
    """What a librarian would see, in a comparable form: every derived row in full."""
    s = lib.store
    rows = lambda sql: [tuple(r) for r in s.all(sql)]  # noqa: E731
    return {
        "loans": rows("SELECT id, item_id, patron_id, library_id, checked_out_at, due_date, "
                      "renewals FROM loans ORDER BY item_id"),
        "holds": rows("SELECT * FROM holds ORDER BY id"),
        "requests": rows("SELECT * FROM requests ORDER BY id"),
        "conflicts": rows("SELECT * FROM conflicts ORDER BY id"),
        "records": rows("SELECT id, title, authors, year FROM records ORDER BY id"),
        "patrons": rows("SELECT id, name, expires_on, blocked_reason FROM patrons ORDER BY id"),
        "items": rows("SELECT id, barcode, status, location FROM items ORDER BY id"),
        "events": rows("SELECT origin_id, seq, uuid FROM events ORDER BY origin_id, seq"),
        "policies": rows("SELECT * FROM policies ORDER BY patron_category, item_type"),
    }


def refolded(lib):
    """The state a full refold of ``lib``'s own log gives, computed on a copy."""
    import shutil
    import tempfile
    from pathlib import Path

    from kiosk.core import fold

    lib.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copy(lib.store.path, copy)
        other = open_library(copy, lib.clock)
        fold.rebuild_circulation(other.store)
        out = state(other)
        other.store.close()
    return out


def same_state(a, b) -> bool:
    return state(a) == state(b)
