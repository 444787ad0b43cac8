"""A node writing into another library's partition uses one origin per partition."""

from __future__ import annotations

import pytest
from replication import new_node, transfer

from kiosk.store import open_store
from sync import replica, snapshot


@pytest.fixture
def district(tmp_path):
    lib = new_node(tmp_path / "district.db", code="TAMNONG")
    record = lib.catalogue.add_record({"title": "Truyện Kiều", "authors": ["Nguyễn Du"]})
    lib.catalogue.add_item(record, "TC1", library_id="TN-TRAMCHIM")
    lib.patrons.add("Lê Thị Bé", "adult", card_number="C1", home_library="TN-TRAMCHIM")
    return lib, record


def test_an_event_for_another_library_goes_into_its_partition_under_its_own_origin(district):
    lib, record = district
    own = lib.record("visit", {"count": 1})
    hold = lib.holds.place("C1", record, pickup_library="TN-TRAMCHIM", partition="TN-TRAMCHIM")
    other = lib.record("visit", {"count": 2}, library_id="TN-PHUTHO")
    again = lib.record("visit", {"count": 3}, library_id="TN-TRAMCHIM")
    rows = {r["library_id"]: r for r in lib.store.all(
        "SELECT library_id, origin_id, MAX(seq) AS top FROM events GROUP BY library_id")}
    assert own.library_id == "TAMNONG" and own.origin_id == lib.log.origin_id
    assert rows["TN-TRAMCHIM"]["origin_id"] == again.origin_id != lib.log.origin_id
    assert rows["TN-TRAMCHIM"]["top"] == 2
    assert other.origin_id not in (lib.log.origin_id, again.origin_id) and other.seq == 1
    assert hold["pickup_library"] == "TN-TRAMCHIM"
    assert lib.log.own_origins() == {lib.log.origin_id, other.origin_id, again.origin_id}
    for origin in lib.log.own_origins():
        assert len({r[0] for r in lib.store.all(
            "SELECT DISTINCT library_id FROM events WHERE origin_id = ?", (origin,))}) == 1


def test_a_request_can_be_filed_in_another_librarys_partition(district):
    lib, record = district
    lib.requests.create("postal", "C1", record, {"address": "Ấp 1"}, partition="TN-TRAMCHIM")
    assert lib.store.scalar("SELECT library_id FROM requests") == "TN-TRAMCHIM"
    assert lib.store.scalar("SELECT library_id FROM events WHERE type = 'request.created'") == \
        "TN-TRAMCHIM"


def test_a_device_of_that_library_accepts_the_events_and_its_peers_check_the_partition(district, tmp_path):
    lib, record = district
    lib.holds.place("C1", record, pickup_library="TN-TRAMCHIM", partition="TN-TRAMCHIM")
    device = new_node(tmp_path / "device.db", code="TN-TRAMCHIM")
    events, _ = replica.events_since(lib.store, {}, {"TN-TRAMCHIM"})
    assert [e.type for e in events] == ["hold.placed"]
    result = replica.apply_batch(device, events, allowed={"TN-TRAMCHIM", replica.EVERYWHERE})
    assert (result.applied, result.new_origin) == (1, False)
    assert device.store.scalar("SELECT pickup_library FROM holds") == "TN-TRAMCHIM"


def test_a_new_incarnation_drops_its_per_library_origins(district):
    lib, _ = district
    first = lib.record("visit", {}, library_id="TN-TRAMCHIM").origin_id
    lib.log.mint_new_origin()
    second = lib.record("visit", {}, library_id="TN-TRAMCHIM")
    assert second.origin_id != first and second.seq == 1
    assert first not in lib.log.own_origins()


def test_a_restored_node_that_meets_its_own_per_library_origin_mints_new_origins(district, tmp_path):
    """The backup knew the per-library origin but not its latest event, which a device holds."""
    lib, _ = district
    backup = new_node(tmp_path / "backup.db", code="TAMNONG")
    transfer(lib, backup)
    lost = lib.record("visit", {}, library_id="TN-TRAMCHIM")
    backup.store.set_meta("origin_id:TN-TRAMCHIM", lost.origin_id)
    assert backup.log.partition_origin("TN-TRAMCHIM") == lost.origin_id
    result = replica.apply_batch(backup, [lost])
    assert result.new_origin
    assert backup.log.partition_origin("TN-TRAMCHIM") != lost.origin_id


def test_a_snapshot_for_a_device_carries_none_of_the_district_origins(district, tmp_path):
    lib, record = district
    lib.holds.place("C1", record, pickup_library="TN-TRAMCHIM", partition="TN-TRAMCHIM")
    data, _ = snapshot.make(lib, {"TN-TRAMCHIM", replica.EVERYWHERE})
    snapshot.install(data, tmp_path / "device.db", "TN-TRAMCHIM", "Tràm Chim")
    device = open_store(tmp_path / "device.db")
    assert device.scalar("SELECT COUNT(*) FROM meta WHERE key GLOB 'origin_id*'") == 0
    assert device.scalar("SELECT pickup_library FROM holds") == "TN-TRAMCHIM"
    device.close()
