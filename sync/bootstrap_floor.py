"""Floors: the part of a bootstrapped device's vector it holds as state, not as events.

A device installed from a bootstrap file holds the state of every event up to the
file's vector but not every such event (see :mod:`sync.snapshot`). That vector is its
**floor**, kept per origin in the node-local table ``sync_floors`` (migration 7; it is
never replicated and never in a bootstrap file) and merged into the device's
version vector (``origin_tops``), so that:

- it never pulls what it already has the state of: its vector says it holds it;
- above the floor it holds every event, gap-free, like any node, and serves them;
- it never pretends to serve what it lacks: a peer whose vector is below the floor of
  an origin it asks for gets nothing from this device, not part of the history (events
  of other origins that depend on the missing ones would then arrive before them). The
  hub and every device that grew by sync ("full nodes") hold the whole log; such a peer
  catches up from one of them, then syncs here as usual. In practice this is a device
  that was offline since before this one was bootstrapped.
"""

from __future__ import annotations

import logging

from kiosk.store.db import Store
from kiosk.store.eventlog import Event
from sync import replica

log = logging.getLogger(__name__)

def set_floors(store: Store, floors: dict[str, int], libraries: dict[str, str]) -> None:
    """Record the floor of a freshly installed database and raise its vector to it."""
    with store.transaction():
        for origin, seq in floors.items():
            library = libraries.get(origin)
            if not isinstance(library, str) or not isinstance(origin, str):
                continue
            store.execute("INSERT INTO sync_floors (origin_id, seq, library_id) VALUES (?, ?, ?) "
                          "ON CONFLICT (origin_id) DO UPDATE SET seq = MAX(seq, excluded.seq)",
                          (origin, seq, library))
            store.execute("INSERT INTO origin_tops (origin_id, seq, library_id) VALUES (?, ?, ?) "
                          "ON CONFLICT (origin_id) DO UPDATE SET seq = MAX(seq, excluded.seq)",
                          (origin, seq, library))


def floors(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.all("SELECT origin_id, seq FROM sync_floors")}


def behind(store: Store, their: dict[str, int], partitions: set[str] | None) -> dict[str, int]:
    """The origins (with their floors) of ``partitions`` where ``their`` is below this
    device's floor: history this device cannot serve."""
    out = {}
    for origin, seq, library in store.all("SELECT origin_id, seq, library_id FROM sync_floors"):
        if (partitions is None or library in partitions) and int(their.get(origin, 0)) < seq:
            out[origin] = seq
    return out


def events_since(store: Store, their: dict[str, int], partitions: set[str] | None = None,
                 limit: int = replica.BATCH_SIZE) -> tuple[list[Event], bool]:
    """:func:`sync.replica.events_since` on a node that may hold floors: nothing at all
    for a peer below a floor (it must catch up from the hub or a full node first)."""
    gaps = behind(store, their, partitions)
    if gaps:
        log.info("a peer lacks history below this device's bootstrap floor for %d origins: "
                 "it must sync with the hub or a full node first", len(gaps))
        return [], False
    return replica.events_since(store, their, partitions, limit)
