"""``record_copies`` (migration 10): the copies search shows, kept by triggers whatever
writes items, loans and holds, and equal at every step to counting the tables afresh."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace

import pytest

from kiosk.core import fold
from kiosk.store import migrations, open_store
from kiosk.store.db import Store, connect
from sync import replica
from sync.validate import InvalidBatch, event_to_wire, events_from_wire

from tests.conftest import LIBRARY

OTHER = "TN-PHUHIEP"


def counted(store) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """(total, available, on_loan, held) per (record, library), straight from the tables."""
    loans = {r[0] for r in store.all("SELECT item_id FROM loans")}
    trapped = {r[0] for r in store.all(
        "SELECT item_id FROM holds WHERE status = 'trapped' AND item_id IS NOT NULL")}
    out: dict[tuple[str, str], list[int]] = {}
    for item, record, library, status in store.all(
            "SELECT id, record_id, library_id, status FROM items"):
        count = out.setdefault((record, library), [0, 0, 0, 0])
        count[0] += 1
        if item in loans:
            count[2] += 1
        elif item in trapped:
            count[3] += 1
        elif status == "available":
            count[1] += 1
    return {key: tuple(value) for key, value in out.items()}


def kept(store) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    return {(r[0], r[1]): (r[2], r[3], r[4], r[5]) for r in store.all(
        "SELECT record_id, library_id, total, available, on_loan, held FROM record_copies")}


def shown(lib, query: str) -> tuple[int, int, int, int]:
    [hit] = lib.search.search(query)
    return hit.total, hit.available, hit.on_loan, hit.held


def test_search_shows_the_copies_through_every_circulation_step(lib, patron):
    record = lib.catalogue.add_record({"title": "Đất rừng phương Nam", "authors": ["Đoàn Giỏi"]})
    for barcode in ("PT1", "PT2", "PT3"):
        lib.catalogue.add_item(record, barcode)
    other = lib.patrons.add("Lê Văn Tám", "adult")
    steps = [
        (lambda: None, (3, 3, 0, 0)),
        (lambda: lib.circulation.checkout(patron["card_number"], "PT1"), (3, 2, 1, 0)),
        (lambda: lib.circulation.checkout(patron["card_number"], "PT2"), (3, 1, 2, 0)),
        (lambda: lib.holds.place(other["card_number"], record), (3, 1, 2, 0)),
        (lambda: lib.circulation.checkin("PT2"), (3, 1, 1, 1)),          # trapped for Tám
        (lambda: lib.circulation.checkout(other["card_number"], "PT2"), (3, 1, 2, 0)),
        (lambda: lib.circulation.checkin("PT1"), (3, 2, 1, 0)),
        (lambda: lib.catalogue.update_item("PT3", status="lost"), (3, 1, 1, 0)),
        (lambda: lib.catalogue.add_item(record, "PT4"), (4, 2, 1, 0)),
    ]
    for step, expected in steps:
        step()
        assert shown(lib, "dat rung phuong nam") == expected
        assert kept(lib.store) == counted(lib.store)


def test_a_hold_cancelled_on_the_shelf_puts_the_copy_back(lib, patron):
    record = lib.catalogue.add_record({"title": "Quê nội", "authors": ["Võ Quảng"]})
    lib.catalogue.add_item(record, "PT7")
    lib.circulation.checkout(patron["card_number"], "PT7")
    other = lib.patrons.add("Lê Văn Tám", "adult")
    hold = lib.holds.place(other["card_number"], record)
    lib.circulation.checkin("PT7")
    assert shown(lib, "que noi") == (1, 0, 0, 1)
    lib.holds.cancel(hold["id"])
    assert shown(lib, "que noi") == (1, 1, 0, 0)
    assert kept(lib.store) == counted(lib.store)


def test_only_this_librarys_copies_are_shown_and_each_library_is_counted(lib):
    record = lib.catalogue.add_record({"title": "Mùa lá rụng trong vườn"})
    lib.catalogue.add_item(record, "PT8")
    # A copy held by another library arrives with the union catalogue (as sync writes it).
    lib.store.execute("INSERT INTO items (id, barcode, record_id, library_id, created_at) "
                      "VALUES (?, 'PH1', ?, ?, '2026-01-01')", (uuid.uuid4().hex, record, OTHER))
    assert shown(lib, "mua la rung") == (1, 1, 0, 0)
    assert kept(lib.store) == {(record, LIBRARY): (1, 1, 0, 0), (record, OTHER): (1, 1, 0, 0)}


def test_counts_survive_any_sequence_of_direct_writes(lib):
    """Sync, a bootstrap and the hub's refold write the tables directly: random inserts,
    moves, status changes and deletes of items, loans and holds, checked after each."""
    rng = random.Random(10)
    store = lib.store
    records = [lib.catalogue.add_record({"title": f"Sách số {n}"}) for n in range(4)]
    items: list[str] = []
    for step in range(300):
        kind = rng.choice(["item", "item", "move", "status", "loan", "unloan", "hold",
                           "hold_status", "drop_item", "drop_loans"])
        item = rng.choice(items) if items else None
        if kind == "item" or item is None:
            item = uuid.uuid4().hex
            items.append(item)
            store.execute("INSERT INTO items (id, barcode, record_id, library_id, created_at) "
                          "VALUES (?, ?, ?, ?, '2026-01-01')",
                          (item, f"B{step}", rng.choice(records), rng.choice([LIBRARY, OTHER])))
        elif kind == "move":
            store.execute("UPDATE items SET record_id = ?, library_id = ? WHERE id = ?",
                          (rng.choice(records), rng.choice([LIBRARY, OTHER]), item))
        elif kind == "status":
            store.execute("UPDATE items SET status = ? WHERE id = ?",
                          (rng.choice(["available", "lost", "withdrawn"]), item))
        elif kind == "loan":
            store.execute("INSERT OR IGNORE INTO loans (id, item_id, patron_id, library_id, "
                          "checked_out_at, due_date) VALUES (?, ?, 'p', ?, 'a', 'b')",
                          (uuid.uuid4().hex, item, LIBRARY))
        elif kind == "unloan":
            store.execute("DELETE FROM loans WHERE item_id = ?", (item,))
        elif kind == "hold":
            store.execute("INSERT INTO holds (id, record_id, patron_id, pickup_library, status, "
                          "placed_hlc, item_id) VALUES (?, ?, 'p', ?, ?, 1, ?)",
                          (uuid.uuid4().hex, rng.choice(records), LIBRARY,
                           rng.choice(["waiting", "trapped"]), rng.choice([item, None])))
        elif kind == "hold_status":
            store.execute("UPDATE holds SET status = ?, item_id = ? WHERE id IN "
                          "(SELECT id FROM holds ORDER BY random() LIMIT 1)",
                          (rng.choice(["waiting", "trapped", "fulfilled", "cancelled"]),
                           rng.choice([item, None])))
        elif kind == "drop_item":
            store.execute("DELETE FROM items WHERE id = ?", (item,))
            items.remove(item)
        else:
            store.execute("DELETE FROM loans WHERE library_id = ?", (LIBRARY,))
        assert kept(store) == counted(store), (step, kind)
    assert len(kept(store)) >= 4


def test_a_database_from_before_migration_10_gets_its_copies_counted(tmp_path):
    path = tmp_path / "old.db"
    old = Store(connect(path), str(path))
    migrations.upgrade(old, target=9)
    with old.transaction():
        old.execute("INSERT INTO records (id, title, created_at, updated_at) "
                    "VALUES ('r1', 'Tắt đèn', 'a', 'a')")
        for n, status in enumerate(["available", "available", "lost"]):
            old.execute("INSERT INTO items (id, barcode, record_id, library_id, status, "
                        "created_at) VALUES (?, ?, 'r1', ?, ?, 'a')",
                        (f"i{n}", f"B{n}", LIBRARY, status))
        old.execute("INSERT INTO loans (id, item_id, patron_id, library_id, checked_out_at, "
                    "due_date) VALUES ('l1', 'i0', 'p', ?, 'a', 'b')", (LIBRARY,))
    old.close()
    store = open_store(path)
    assert kept(store) == counted(store) == {("r1", LIBRARY): (3, 1, 1, 0)}
    store.close()


def test_no_event_can_write_the_counts(lib):
    """The counts are derived: a record event naming their table is refused at the wire
    and by the fold, and they stay what the tables say."""
    record = lib.catalogue.add_record({"title": "Bến không chồng"})
    lib.catalogue.add_item(record, "PT9")
    before = kept(lib.store)
    events, _ = replica.events_since(lib.store, {})
    forged = {"table": "record_copies", "id": record,
              "fields": {"record_id": record, "library_id": LIBRARY, "total": 99,
                         "available": 99, "on_loan": 0, "held": 0}}
    with pytest.raises(InvalidBatch, match="unknown table"):
        events_from_wire([dict(event_to_wire(events[-1]), payload=forged)])
    with pytest.raises(ValueError, match="unknown table"), lib.store.transaction():
        fold.apply(lib.store, replace(events[-1], payload=forged))
    assert kept(lib.store) == before == counted(lib.store)
