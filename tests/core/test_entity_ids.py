"""Entity ids minted by the node: a prefix of the origin and of the process, and a counter
shared by every process writing the database. They never repeat, not across processes,
not after a restore, and a database that already holds random ids works with both."""

from __future__ import annotations

import multiprocessing
import re
import traceback
from pathlib import Path

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.store.eventlog import ORIGIN_HEX, PREFIX_HEX, new_id

PROCESSES = 3
TITLES = 40
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def counter_of(entity_id: str) -> int:
    return int(entity_id[PREFIX_HEX:], 16)


def test_ids_a_node_mints_carry_its_origin_and_rise(lib, book, patron, clock):
    record_id, _ = book
    prefix = lib.log.origin_id[:ORIGIN_HEX] + lib.log.run
    items = [r[0] for r in lib.store.all("SELECT id FROM items ORDER BY barcode")]
    hold = lib.holds.place(patron["card_number"], record_id)
    minted = [record_id, *items, patron["id"], hold["id"]]
    assert all(HEX32.match(i) and i.startswith(prefix) for i in minted)
    counters = [counter_of(i) for i in minted]
    assert counters == sorted(counters) and len(set(counters)) == len(counters)

    again = open_library(lib.store.path, clock)                 # the next process
    later = again.catalogue.add_record({"title": "Sau khi khởi động lại"})
    assert later[:ORIGIN_HEX] == record_id[:ORIGIN_HEX] and later[:PREFIX_HEX] != prefix
    assert counter_of(later) == max(counters) + 1


def _catalogue(path: str, worker: int, barrier, results) -> None:
    """One process of several writing one database: titles with a copy each."""
    try:
        lib = open_library(Path(path), FixedClock("2026-11-20T09:00:00"))
        barrier.wait(timeout=120)
        for n in range(TITLES):
            record = lib.catalogue.add_record({"title": f"Sách {worker}-{n}"})
            lib.catalogue.add_item(record, f"P{worker}-{n:03d}")
        lib.store.close()
        results.put(None)
    except Exception:
        results.put(traceback.format_exc())


def test_processes_writing_one_database_never_mint_the_same_id(lib):
    lib.store.close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [context.Process(target=_catalogue, args=(str(lib.store.path), w, barrier, results))
               for w in range(PROCESSES)]
    for worker in workers:
        worker.start()
    failures = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(60)
    assert failures == [None] * PROCESSES, failures[0]

    after = open_library(lib.store.path, FixedClock("2026-11-20T10:00:00"))
    ids = [r[0] for r in after.store.all("SELECT id FROM records UNION ALL SELECT id FROM items")]
    assert len(ids) == len(set(ids)) == 2 * PROCESSES * TITLES
    assert sorted(counter_of(i) for i in ids) == list(range(1, len(ids) + 1))
    assert after.store.scalar("SELECT COUNT(*) FROM items i JOIN records r "
                              "ON r.id = i.record_id") == PROCESSES * TITLES


def test_a_new_origin_mints_under_a_new_prefix(lib):
    before = lib.catalogue.add_record({"title": "Trước khi khôi phục"})
    lib.log.mint_new_origin()
    after = lib.catalogue.add_record({"title": "Sau khi khôi phục"})
    assert before[:ORIGIN_HEX] != after[:ORIGIN_HEX] == lib.log.origin_id[:ORIGIN_HEX]
    assert before != after


def test_random_ids_of_an_older_database_work_beside_minted_ones(lib, monkeypatch):
    with monkeypatch.context() as before_the_change:
        before_the_change.setattr(lib.log, "new_entity_id", new_id)
        old = lib.catalogue.add_record({"title": "Truyện Kiều", "authors": ["Nguyễn Du"]})
        lib.catalogue.add_item(old, "PT000009")
        old_patron = lib.patrons.add("Trần Văn Cũ", "adult", card_number="C-OLD")
    new = lib.catalogue.add_record({"title": "Số đỏ"})
    lib.catalogue.add_item(new, "PT000010")
    new_patron = lib.patrons.add("Lê Thị Mới", "adult", card_number="C-NEW")
    prefix = lib.log.origin_id[:ORIGIN_HEX] + lib.log.run
    assert not old.startswith(prefix) and not old_patron["id"].startswith(prefix)
    assert new.startswith(prefix) and new_patron["id"].startswith(prefix)

    lib.circulation.checkout("C-OLD", "PT000010")
    lib.circulation.checkout("C-NEW", "PT000009")
    held = dict(lib.store.all("SELECT i.barcode, p.card_number FROM loans l "
                              "JOIN items i ON i.id = l.item_id JOIN patrons p ON p.id = l.patron_id"))
    assert held == {"PT000010": "C-OLD", "PT000009": "C-NEW"}
    assert [h.title for h in lib.search.find("truyen kieu").hits] == ["Truyện Kiều"]
