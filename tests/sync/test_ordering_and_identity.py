"""Regression tests for nodes that must agree: equal stamps, far-future stamps, restarts,
cloned cards and copied restores. Each fails on the code before the fix."""

from __future__ import annotations

import datetime as dt
import shutil

from replication import gossip, refolded, settle_forks, state, transfer

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.store.hlc import DEFAULT_DRIFT_BOUND_MS, unpack
from sync import replica
from sync.joining import found_library
from sync.validate import event_to_wire, events_from_wire

START = dt.datetime(2026, 11, 20, 9, 0)


def node(path, clock, code="TN-PHUTHO"):
    lib = open_library(path, clock)
    if lib.store.get_meta("library_code") is None:
        found_library(lib, code, "Thư viện xã Phú Thọ")
    return lib


def shared_library(tmp_path):
    """Two nodes of one library holding one title with a copy and two patrons."""
    a = node(tmp_path / "a.db", FixedClock(START))
    record = a.catalogue.add_record({"title": "Số đỏ", "authors": ["Vũ Trọng Phụng"]})
    a.catalogue.add_item(record, "PT000001")
    for card in ("C1", "C2"):
        a.patrons.add(f"Bạn đọc {card}", "adult", card_number=card)
    b = node(tmp_path / "b.db", FixedClock(START))
    transfer(a, b)
    return a, b


def holder(lib) -> str | None:
    return lib.store.scalar("SELECT p.card_number FROM loans l JOIN patrons p "
                            "ON p.id = l.patron_id")


def test_equal_stamps_fold_in_canonical_order_so_both_nodes_agree_who_holds_the_copy(tmp_path):
    a, b = shared_library(tmp_path)
    # Both clocks behind the newest shared stamp (a Pi back from a power cut without an
    # RTC): each node's next stamp is that stamp plus one, on both nodes alike.
    behind = START - dt.timedelta(minutes=30)
    a.clock.set(behind)
    b.clock.set(behind)
    a.circulation.checkout("C1", "PT000001")
    b.circulation.checkout("C2", "PT000001")
    stamp_a = a.store.scalar("SELECT hlc FROM events WHERE type = 'loan.checkout'")
    stamp_b = b.store.scalar("SELECT hlc FROM events WHERE type = 'loan.checkout'")
    assert stamp_a == stamp_b                                      # a tie, on purpose
    gossip(a, b)
    gossip(a, b)
    assert holder(a) == holder(b)
    assert state(a)["conflicts"] == state(b)["conflicts"]
    for lib in (a, b):
        assert refolded(lib) == state(lib), "stored state is not a refold of the log"
    conflict = a.conflicts.list()[0]
    a.conflicts.resolve(conflict["id"], "keep_first")
    gossip(a, b)
    assert holder(a) == holder(b) and not b.conflicts.list()


def test_a_stamp_near_2_63_is_kept_aside_and_the_next_checkout_still_works(tmp_path):
    a, b = shared_library(tmp_path)
    with a.store.transaction():
        forged = a.log.append("record.put", {"table": "patrons", "id": "9" * 32, "fields": {
            "card_number": "C9", "name": "Ai đó", "category": "adult", "home_library": a.code,
            "expires_on": "2030-01-01", "created_at": "2026-11-20"}}, a.code)
        a.store.execute("UPDATE events SET hlc = ? WHERE uuid = ?", ((1 << 63) - 1, forged.uuid))
    transfer(a, b)
    assert b.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C9'") == 0
    assert b.store.scalar("SELECT reason FROM quarantine") == "far_future"
    loan = b.circulation.checkout("C1", "PT000001")                 # no OverflowError
    assert loan.due_date.year == 2026
    again = open_library(tmp_path / "b.db", FixedClock(START))      # a new process
    again.circulation.checkin("PT000001")
    assert unpack(again.store.scalar("SELECT MAX(hlc) FROM events WHERE type = 'loan.checkin'"))[0] \
        < int((START + dt.timedelta(days=1)).timestamp() * 1000)


def test_the_drift_bound_holds_across_a_restart(tmp_path):
    a, b = shared_library(tmp_path)
    far = START + dt.timedelta(days=730)                             # a peer two years fast
    a.clock.set(far)
    a.patrons.add("Bạn đọc tương lai", "adult", card_number="C3")
    result = replica.apply_batch(b, events_from_wire(
        [event_to_wire(e) for e in replica.events_since(a.store, replica.vector(b.store))[0]]))
    assert result.future_stamps == 1
    b.store.close()
    restarted = open_library(tmp_path / "b.db", FixedClock(START + dt.timedelta(minutes=1)))
    restarted.circulation.checkout("C1", "PT000001")
    stamp = restarted.store.scalar("SELECT hlc FROM events WHERE type = 'loan.checkout'")
    assert unpack(stamp)[0] <= int(START.timestamp() * 1000) + 60_000 + DEFAULT_DRIFT_BOUND_MS
    assert restarted.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C3'") == 1




def test_a_cloned_card_is_found_its_history_moved_aside_and_nothing_is_lost(tmp_path):
    a, b = shared_library(tmp_path)
    b.store.close()
    shutil.copy(tmp_path / "b.db", tmp_path / "clone.db")          # the SD card, copied
    b = open_library(tmp_path / "b.db", FixedClock(START + dt.timedelta(minutes=5)))
    clone = open_library(tmp_path / "clone.db", FixedClock(START + dt.timedelta(minutes=6)))
    assert b.log.origin_id == clone.log.origin_id
    b.circulation.checkout("C1", "PT000001")
    clone.patrons.add("Người ở máy nhân bản", "adult", card_number="C7")
    ours = b.store.scalar("SELECT uuid FROM events WHERE type = 'loan.checkout'")
    theirs = clone.store.scalar("SELECT uuid FROM events ORDER BY seq DESC LIMIT 1")
    old_origin = b.log.origin_id

    transfer(b, a)
    settle_forks(clone, a)                  # the clone meets a node that saw the original
    gossip(clone, a)
    settle_forks(b, a)
    gossip(b, a)
    gossip(clone, a)
    for lib in (a, b, clone):
        uuids = {r[0] for r in lib.store.all("SELECT uuid FROM events")}
        assert {ours, theirs} <= uuids, "a synced success was lost"
    assert state(a) == state(b) == state(clone)
    assert old_origin not in (b.log.origin_id, clone.log.origin_id) or \
        b.log.origin_id != clone.log.origin_id
    reported = a.store.all("SELECT origin_id, moved FROM forks") + \
        clone.store.all("SELECT origin_id, moved FROM forks") + \
        b.store.all("SELECT origin_id, moved FROM forks")
    assert any(r[0] == old_origin and r[1] >= 1 for r in reported)
    # The two nodes that shared an origin write apart from now on.
    b.patrons.add("Sau khi tách", "adult", card_number="C8")
    clone.patrons.add("Sau khi tách 2", "adult", card_number="C9")
    gossip(b, a)
    gossip(clone, a)
    gossip(b, a)
    assert state(a) == state(b) == state(clone)


def test_a_database_restored_by_copying_the_file_keeps_what_was_synced_after_the_copy(tmp_path):
    a, b = shared_library(tmp_path)
    b.store.close()
    shutil.copy(tmp_path / "b.db", tmp_path / "copy.db")           # a "backup" by file copy
    b = open_library(tmp_path / "b.db", FixedClock(START + dt.timedelta(hours=1)))
    b.circulation.checkout("C1", "PT000001")
    transfer(b, a)
    synced = b.store.scalar("SELECT uuid FROM events WHERE type = 'loan.checkout'")
    b.store.close()
    shutil.copy(tmp_path / "copy.db", tmp_path / "b.db")           # ...restored over it
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"b.db{suffix}").unlink(missing_ok=True)
    b = open_library(tmp_path / "b.db", FixedClock(START + dt.timedelta(hours=2)))
    b.patrons.add("Sau khi khôi phục", "adult", card_number="C5")    # same (origin, seq)
    settle_forks(b, a)
    gossip(b, a)
    gossip(b, a)
    assert synced in {r[0] for r in b.store.all("SELECT uuid FROM events")}
    assert b.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C5'") == 1
    assert a.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C5'") == 1
    assert holder(a) == holder(b) == "C1"
    assert state(a) == state(b)


def test_over_http_a_clone_is_settled_in_its_first_round_with_a_peer(tmp_path):
    from sync.client import PeerClient
    from sync.server import SyncServer
    from sync.service import SyncService

    a, b = shared_library(tmp_path)
    gossip(a, b)                                   # each knows the other's device key
    b.store.close()
    shutil.copy(tmp_path / "b.db", tmp_path / "clone.db")
    b = open_library(tmp_path / "b.db", FixedClock(START + dt.timedelta(minutes=5)))
    clone = open_library(tmp_path / "clone.db", FixedClock(START + dt.timedelta(minutes=6)))
    b.circulation.checkout("C1", "PT000001")
    clone.patrons.add("Người ở máy nhân bản", "adult", card_number="C7")
    server = SyncServer(SyncService(a), "127.0.0.1", 0)
    server.start()
    try:
        url = f"http://127.0.0.1:{server.port}"
        assert PeerClient(b, url).round().ok
        assert PeerClient(clone, url).round().ok   # tips differ: one history moves aside
        for _ in range(2):
            assert PeerClient(b, url).round().ok
            assert PeerClient(clone, url).round().ok
    finally:
        server.stop()
    assert state(a) == state(b) == state(clone)
    assert a.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C7'") == 1
    assert holder(a) == "C1"
    assert b.log.origin_id != clone.log.origin_id
    assert a.store.scalar("SELECT COUNT(*) FROM forks") + \
        clone.store.scalar("SELECT COUNT(*) FROM forks") >= 1
