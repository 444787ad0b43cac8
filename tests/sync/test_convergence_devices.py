"""Property: nodes modelled as the devices they really are agree after full gossip.

Each operation runs in a freshly opened library (every CLI command is a new process on
a device), clocks run behind, ahead within the drift bound and beyond it, stamps tie on
purpose (clocks that stand still), nodes restart, one is cloned (its file copied to a
new card) and one is restored from a copy of its own file; batches arrive duplicated
and reordered. After full gossip every node holds the same events and the same complete
derived state (who holds each copy and until when, holds, requests, conflicts with their
contents), and each node's state equals a refold of its own log.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replication import refolded, settle_forks, state

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.errors import LibraryError
from sync import replica
from sync.joining import found_library
from sync.validate import event_to_wire, events_from_wire

BARCODES = ["PT1", "PT2"]
CARDS = ["C1", "C2", "C3"]
BASE = dt.datetime(2026, 11, 20, 9)
SKEWS = [0, 0, -45, 3, 60 * 24 * 400]   # minutes: equal, behind, ahead within, beyond

op = st.tuples(st.sampled_from(["checkout", "checkin", "renew", "hold", "cancel", "edit",
                                "block", "resolve"]),
               st.integers(0, 3), st.integers(0, 2), st.integers(0, 1),
               st.sampled_from([0, 0, 0, 1, 7]))
sync = st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 6), st.booleans(),
                 st.booleans())
step = st.one_of(op.map(lambda o: ("op", o)), sync.map(lambda s: ("sync", s)),
                 st.integers(0, 3).map(lambda n: ("restart", n)),
                 st.integers(0, 3).map(lambda n: ("snapshot", n)),
                 st.integers(0, 3).map(lambda n: ("restore", n)),
                 st.tuples(st.integers(0, 3), st.integers(0, 3)).map(lambda p: ("clone", p)))


def uuids(lib) -> set[str]:
    return {r[0] for r in lib.store.all("SELECT uuid FROM events")}


class Device:
    def __init__(self, path, skew: int):
        self.path, self.skew, self.minutes = path, skew, 0
        self.copy = None

    def clock(self) -> FixedClock:
        return FixedClock(BASE + dt.timedelta(minutes=self.skew + self.minutes))

    def open(self):
        return open_library(self.path, self.clock())


def perform(lib, action, patron, item, record_id):
    card, barcode = CARDS[patron], BARCODES[item]
    try:
        if action == "checkout":
            lib.circulation.checkout(card, barcode, override="kiểm thử")
        elif action == "checkin":
            lib.circulation.checkin(barcode)
        elif action == "renew":
            lib.circulation.renew(card, barcode, override="kiểm thử")
        elif action == "hold":
            lib.holds.place(card, record_id)
        elif action == "cancel":
            for hold in lib.holds.of_patron(card):
                lib.holds.cancel(hold["id"])
        elif action == "edit":
            lib.catalogue.update_record(record_id, {"year": 2000 + item + patron})
        elif action == "block":
            lib.patrons.update(card, blocked_reason=None if item == 0 else f"lý do {item}")
        elif action == "resolve":
            for conflict in lib.conflicts.list()[:1]:
                lib.conflicts.resolve(conflict["id"], "acknowledge")
    except LibraryError:
        pass


def exchange(a, b, batch=500, duplicate=False, shuffle=False, rng=None) -> None:
    """One sync of ``b`` from ``a`` as a round does it: compare tips, settle forks, then
    move what ``b`` lacks in batches, possibly re-sent and reordered."""
    settle_forks(a, b)
    for _ in range(10_000):
        events, more = replica.events_since(a.store, replica.vector(b.store), limit=batch)
        wire = [event_to_wire(e) for e in events]
        if shuffle:
            rng.shuffle(wire)
        replica.apply_batch(b, events_from_wire(wire))
        if duplicate:
            replica.apply_batch(b, events_from_wire(wire))
        if not more or not events:
            return


EXAMPLES = int(os.environ.get("KIOSK_PROPERTY_EXAMPLES", "25"))  # bench/convergence_soak.py: more


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=4, max_size=24),
       skews=st.lists(st.sampled_from(SKEWS), min_size=4, max_size=4), seed=st.integers(0, 999))
def test_devices_agree_after_full_gossip_whatever_happened(tmp_path_factory, steps, skews, seed):
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("devices")
    devices = [Device(folder / f"d{i}.db", skews[i]) for i in range(4)]
    first = devices[0].open()
    found_library(first, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    record_id = first.catalogue.add_record({"title": "Đất rừng phương Nam"})
    for barcode in BARCODES:
        first.catalogue.add_item(record_id, barcode)
    for card in CARDS:
        first.patrons.add(f"Bạn đọc {card}", "adult", card_number=card)
    first.store.close()
    for device in devices[1:]:
        shutil.copy(devices[0].path, device.path)
        lib = device.open()
        lib.log.mint_new_origin()   # an honest second device: its own origin
        lib.store.close()
    replicated: set[str] = set()   # events held by two nodes at once: a synced success
    for kind, args in steps:
        if kind == "op":
            action, node, patron, item, minutes = args
            devices[node].minutes += minutes
            lib = devices[node].open()       # a new process
            perform(lib, action, patron, item, record_id)
            lib.store.close()
        elif kind == "sync":
            src, dst, batch, duplicate, shuffle = args
            if src != dst:
                a, b = devices[src].open(), devices[dst].open()
                exchange(a, b, batch, duplicate, shuffle, rng)
                replicated |= uuids(a) & uuids(b)
                a.store.close()
                b.store.close()
        elif kind == "snapshot":
            devices[args].copy = folder / f"copy-{args}-{rng.random()}.db"
            shutil.copy(devices[args].path, devices[args].copy)
        elif kind == "restore" and devices[args].copy is not None:
            shutil.copy(devices[args].copy, devices[args].path)    # restored by copying
            for suffix in ("-wal", "-shm"):
                devices[args].path.with_name(devices[args].path.name + suffix).unlink(
                    missing_ok=True)
        elif kind == "clone":
            source, target = args
            if source != target:
                shutil.copy(devices[source].path, devices[target].path)
                for suffix in ("-wal", "-shm"):
                    devices[target].path.with_name(devices[target].path.name + suffix).unlink(
                        missing_ok=True)
        # "restart" needs nothing more: every step opens its libraries afresh.

    libs = [d.open() for d in devices]
    for _ in range(3):
        for a, b in itertools.permutations(libs, 2):
            exchange(a, b)
    states = [state(lib) for lib in libs]
    assert states[0] == states[1] == states[2] == states[3]
    for lib, held in zip(libs, states):
        assert refolded(lib) == held, "stored state is not a refold of the node's own log"
    assert uuids(libs[0]) >= replicated, "a synced success was lost"
    for lib in libs:
        lib.store.close()
