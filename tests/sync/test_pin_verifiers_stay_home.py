"""PIN verifiers reach only the devices of the patron's home library (docs/security.md).

A snapshot is what a new or replaced device starts from; these tests read its raw bytes,
as someone who copies the SD card afterwards would, and look for every verifier.
"""

from __future__ import annotations

import gzip

from replication import new_node, transfer

from kiosk.app import open_library
from kiosk.core import staff
from sync import replica, snapshot


def verifier_of(lib, card: str) -> str:
    return lib.store.scalar("SELECT pin_hash FROM patrons WHERE card_number = ?", (card,))


def digest(verifier: str) -> bytes:
    return verifier.rsplit("$", 1)[1].encode()


def test_a_snapshot_carries_the_home_librarys_verifiers_only(tmp_path):
    phutho = new_node(tmp_path / "phutho.db", code="TN-PHUTHO")
    tramchim = new_node(tmp_path / "tramchim.db", code="TN-TRAMCHIM")
    hub = new_node(tmp_path / "hub.db", code="TAMNONG")
    away = phutho.patrons.add("Nguyễn Thị Phú", pin="482913", card_number="PT-1")["card_number"]
    home = tramchim.patrons.add("Trần Văn Tràm", pin="731950", card_number="TC-1")["card_number"]
    phutho.patrons.set_pin(away, "135790")
    transfer(phutho, hub)
    transfer(tramchim, hub)
    away_verifiers = [digest(verifier_of(hub, away))]
    away_verifiers += [digest(r[0]) for r in hub.store.all(
        "SELECT json_extract(payload, '$.fields.pin_hash') FROM events "
        "WHERE json_extract(payload, '$.fields.pin_hash') IS NOT NULL AND library_id = 'TN-PHUTHO'")]
    assert len(away_verifiers) == 3

    data, _ = snapshot.make(hub, {"TN-TRAMCHIM", replica.EVERYWHERE})
    raw = gzip.decompress(data)
    assert digest(verifier_of(hub, home)) in raw
    for found in away_verifiers:
        assert found not in raw
    assert "Nguyễn Thị Phú".encode() not in raw


def test_a_counters_snapshot_for_a_new_device_carries_neither_area_pin(tmp_path):
    counter = new_node(tmp_path / "counter.db", code="TN-TRAMCHIM")
    staff.set_pin(counter.store, staff.STAFF, "482913")
    staff.set_pin(counter.store, staff.TECHNICIAN, "731950")
    verifiers = [digest(counter.store.get_meta(key)) for key in staff.META_KEYS.values()]
    data, _ = snapshot.make(counter, {"TN-TRAMCHIM", replica.EVERYWHERE})
    raw = gzip.decompress(data)
    for found in verifiers:
        assert found not in raw
    snapshot.install(data, tmp_path / "kiosk.db", "TN-TRAMCHIM", "Tràm Chim")
    kiosk = open_library(tmp_path / "kiosk.db")
    try:
        assert not any(staff.has_pin(kiosk.store, area) for area in staff.AREAS)
    finally:
        kiosk.store.close()
