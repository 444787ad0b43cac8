"""Ids minted at several nodes never collide: not between the devices of a library, not
between the hub and a library it writes for, and not between two cards that share an
origin (a clone, a copied restore) until the fork is found."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil

from replication import gossip, settle_forks, state, transfer
from test_ordering_and_identity import START, node, shared_library

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.store.eventlog import PREFIX_HEX


def catalogue_some(lib, tag: str, titles: int = 5) -> None:
    for n in range(titles):
        record = lib.catalogue.add_record({"title": f"Sách {tag} {n}"})
        lib.catalogue.add_item(record, f"{tag}{n:03d}")
    lib.patrons.add(f"Bạn đọc {tag}", "adult", card_number=f"C-{tag}")


def test_ids_minted_at_three_devices_and_the_hub_never_collide(tmp_path):
    devices = [node(tmp_path / f"d{i}.db", FixedClock(START)) for i in range(3)]
    for a, b in itertools.permutations(devices, 2):
        transfer(a, b)
    hub = node(tmp_path / "hub.db", FixedClock(START), code="DONGTHAP")
    for n, device in enumerate(devices):
        catalogue_some(device, f"D{n}")
    for _ in range(2):
        for a, b in itertools.permutations(devices, 2):
            gossip(a, b)
    transfer(devices[0], hub)
    record = devices[0].store.scalar("SELECT id FROM records ORDER BY rid LIMIT 1")
    hold = hub.holds.place("C-D1", record, partition="TN-PHUTHO")   # a web patron's hold
    for device in devices:
        transfer(hub, device, partitions={"TN-PHUTHO", "*"})
        gossip(device, devices[0])

    assert state(devices[0]) == state(devices[1]) == state(devices[2])
    ids = [r[0] for r in devices[0].store.all(
        "SELECT id FROM records UNION ALL SELECT id FROM items UNION ALL "
        "SELECT id FROM patrons UNION ALL SELECT id FROM holds")]
    assert len(ids) == len(set(ids)) == 3 * (5 + 5 + 1) + 1
    assert len({i[:PREFIX_HEX] for i in ids}) == 4
    assert devices[2].holds.get(hold["id"])["card_number"] == "C-D1"


def test_two_clones_that_each_register_a_patron_before_they_meet_keep_two_patrons(tmp_path):
    a, b = shared_library(tmp_path)
    b.store.close()
    shutil.copy(tmp_path / "b.db", tmp_path / "clone.db")          # the SD card, copied
    b = open_library(tmp_path / "b.db", FixedClock(START + dt.timedelta(minutes=5)))
    clone = open_library(tmp_path / "clone.db", FixedClock(START + dt.timedelta(minutes=6)))
    assert b.log.origin_id == clone.log.origin_id                  # one counter, copied too
    here = b.patrons.add("Người ở máy gốc", "adult", card_number="C7")
    there = clone.patrons.add("Người ở máy nhân bản", "adult", card_number="C8")
    assert here["id"] != there["id"]

    transfer(b, a)
    settle_forks(clone, a)
    gossip(clone, a)
    settle_forks(b, a)
    gossip(b, a)
    gossip(clone, a)
    assert state(a) == state(b) == state(clone)
    for lib in (a, b, clone):
        assert lib.patrons.get("C7")["name"] == "Người ở máy gốc"
        assert lib.patrons.get("C8")["name"] == "Người ở máy nhân bản"
        assert lib.conflicts.field_conflicts() == []
