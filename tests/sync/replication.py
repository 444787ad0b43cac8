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


def gossip(a, b):
    transfer(a, b)
    transfer(b, a)


def state(lib):
    """What a librarian would see, in a comparable form."""
    s = lib.store
    return {
        "loans": s.all("SELECT item_id, patron_id, due_date, renewals FROM loans ORDER BY item_id"),
        "holds": s.all("SELECT id, status, item_id FROM holds ORDER BY id"),
        "conflicts": s.all("SELECT id, kind, resolution FROM conflicts ORDER BY id"),
        "records": s.all("SELECT id, title, authors, year FROM records ORDER BY id"),
        "patrons": s.all("SELECT id, name, expires_on, blocked_reason FROM patrons ORDER BY id"),
        "items": s.all("SELECT id, barcode, status, location FROM items ORDER BY id"),
        "events": s.all("SELECT origin_id, seq, uuid FROM events ORDER BY origin_id, seq"),
        "policies": s.all("SELECT * FROM policies ORDER BY patron_category, item_type"),
    }


def same_state(a, b) -> bool:
    sa, sb = state(a), state(b)
    return {k: [tuple(r) for r in v] for k, v in sa.items()} == \
        {k: [tuple(r) for r in v] for k, v in sb.items()}
