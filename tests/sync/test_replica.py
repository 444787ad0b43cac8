import pytest

from replication import gossip, new_node, same_state, transfer
from sync import replica
from sync.validate import InvalidBatch, event_to_wire, events_from_wire


@pytest.fixture
def pair(tmp_path):
    counter = new_node(tmp_path / "counter.db")
    kiosk = new_node(tmp_path / "kiosk.db")
    record = counter.catalogue.add_record({"title": "Truyện Kiều", "authors": ["Nguyễn Du"]})
    counter.catalogue.add_item(record, "PT1")
    counter.patrons.add("Trần Văn An", "adult", card_number="C1")
    counter.patrons.add("Lê Thị Bé", "adult", card_number="C2")
    gossip(counter, kiosk)
    return counter, kiosk, record


def test_two_nodes_converge_and_redelivery_is_a_no_op(pair):
    counter, kiosk, _ = pair
    assert same_state(counter, kiosk)
    assert transfer(counter, kiosk) == 0
    events, more = replica.events_since(counter.store, {})
    again = replica.apply_batch(kiosk, events)
    assert (again.applied, again.duplicates, more) == (0, len(events), False)
    assert same_state(counter, kiosk)


def test_a_loan_made_offline_at_the_kiosk_reaches_the_counter(pair):
    counter, kiosk, _ = pair
    kiosk.circulation.checkout("C1", "PT1")
    gossip(counter, kiosk)
    [loan] = counter.circulation.loans()
    assert (loan["barcode"], loan["card_number"]) == ("PT1", "C1")
    assert same_state(counter, kiosk)


def test_the_same_copy_lent_twice_offline_is_one_conflict_with_the_same_id_everywhere(pair, clock=None):
    counter, kiosk, _ = pair
    counter.circulation.checkout("C1", "PT1")
    kiosk.clock.advance(minutes=5)
    kiosk.circulation.checkout("C2", "PT1")
    gossip(counter, kiosk)
    assert same_state(counter, kiosk)
    [a] = counter.conflicts.list()
    [b] = kiosk.conflicts.list()
    assert a["id"] == b["id"] and a["kind"] == "double_checkout"
    assert [e["type"] for e in a["events"]] == ["loan.checkout", "loan.checkout"]
    assert a["barcode"] == "PT1"

    counter.conflicts.resolve(a["id"], "keep_second", "Bé đang giữ sách")
    gossip(counter, kiosk)
    assert kiosk.conflicts.list() == []
    [loan] = kiosk.circulation.loans()
    assert loan["card_number"] == "C2"
    assert same_state(counter, kiosk)


def test_a_return_at_one_node_and_a_renewal_at_the_other_is_a_conflict(pair):
    counter, kiosk, _ = pair
    counter.circulation.checkout("C1", "PT1")
    gossip(counter, kiosk)
    counter.clock.advance(days=3)
    counter.circulation.checkin("PT1")
    kiosk.clock.advance(days=4)
    kiosk.circulation.renew("C1", "PT1")
    gossip(counter, kiosk)
    assert [c["kind"] for c in counter.conflicts.list()] == ["renew_after_return"]
    assert same_state(counter, kiosk)
    assert counter.circulation.loans() == []


def test_concurrent_edits_of_a_field_converge_and_the_loser_is_kept(pair):
    counter, kiosk, record = pair
    counter.catalogue.update_record(record, {"year": 2019})
    kiosk.clock.advance(minutes=1)
    kiosk.catalogue.update_record(record, {"year": 2020})
    gossip(counter, kiosk)
    assert counter.catalogue.get_record(record)["year"] == 2020
    assert kiosk.catalogue.get_record(record)["year"] == 2020
    losers = counter.store.all("SELECT field, loser_value FROM record_conflicts")
    assert [(r["field"], r["loser_value"]) for r in losers] == [("year", "2019")]
    assert [tuple(r) for r in kiosk.store.all("SELECT id, field, loser_value FROM record_conflicts")] == \
        [tuple(r) for r in counter.store.all("SELECT id, field, loser_value FROM record_conflicts")]
    [field] = counter.conflicts.field_conflicts()
    assert (field["current_value"], field["loser_value"]) == (2020, 2019)
    counter.conflicts.settle_field(field["id"], "other")
    gossip(counter, kiosk)
    assert kiosk.catalogue.get_record(record)["year"] == 2019
    assert counter.conflicts.field_conflicts() == []


def test_sequential_edits_are_not_conflicts(pair):
    counter, kiosk, record = pair
    counter.catalogue.update_record(record, {"year": 2019})
    gossip(counter, kiosk)
    kiosk.catalogue.update_record(record, {"year": 2021})
    gossip(counter, kiosk)
    assert counter.catalogue.get_record(record)["year"] == 2021
    assert counter.store.scalar("SELECT COUNT(*) FROM record_conflicts") == 0


def test_events_beyond_a_gap_are_held_back_until_the_gap_is_filled(pair):
    counter, kiosk, _ = pair
    counter.circulation.checkout("C1", "PT1")
    counter.circulation.checkin("PT1")
    events, _ = replica.events_since(counter.store, replica.vector(kiosk.store))
    result = replica.apply_batch(kiosk, events[1:])
    assert (result.applied, result.held_back) == (0, len(events) - 1)
    assert replica.apply_batch(kiosk, events).applied == len(events)
    assert same_state(counter, kiosk)


def test_hostile_payloads_are_rejected_whole_and_nothing_is_applied(pair):
    counter, kiosk, _ = pair
    counter.circulation.checkout("C1", "PT1")
    events, _ = replica.events_since(counter.store, replica.vector(kiosk.store))
    wire = [event_to_wire(e) for e in events]
    bad = [dict(wire[0], type="loan.explode"), dict(wire[0], payload={"table": "sqlite_master",
                                                                      "id": "x", "fields": {}},
                                                        type="record.put"),
           dict(wire[0], seq=-1), dict(wire[0], extra=1), "nonsense",
           dict(wire[0], payload={"item_id": 5})]
    for hostile in bad:
        with pytest.raises(InvalidBatch):
            events_from_wire([*wire[1:], hostile])
    before = kiosk.store.scalar("SELECT COUNT(*) FROM events")
    with pytest.raises(replica.PartitionViolation):
        foreign = [dict(w, library_id="TN-ANLONG") for w in wire]
        replica.apply_batch(kiosk, events_from_wire(foreign), allowed={"TN-PHUTHO"})
    assert kiosk.store.scalar("SELECT COUNT(*) FROM events") == before


def test_a_node_that_finds_its_own_lost_events_at_a_peer_mints_a_new_origin(tmp_path, pair):
    counter, kiosk, _ = pair
    import shutil
    kiosk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(kiosk.store.path, tmp_path / "backup.db")
    kiosk.circulation.checkout("C1", "PT1")
    gossip(counter, kiosk)
    old_origin = kiosk.store.get_meta("origin_id")
    from kiosk.app import open_library
    restored = open_library(tmp_path / "backup.db", kiosk.clock)
    transfer(counter, restored)
    assert restored.store.get_meta("origin_id") != old_origin
    restored.circulation.checkin("PT1")
    gossip(counter, restored)
    assert counter.circulation.loans() == []
    origins = [r[0] for r in counter.store.all("SELECT DISTINCT origin_id FROM events")]
    assert len(origins) == 3
