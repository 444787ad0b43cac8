"""Bootstrap from state: a device installed from its library's bootstrap file has what a
librarian sees, syncs on from the file's floor without pulling history again, and still
raises the conflicts a late offline loan must raise."""

from __future__ import annotations

import lzma

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from replication import new_node, transfer
from sync import bootstrap, bootstrap_floor, replica, snapshot

PARTITION = {"TN-PHUTHO", replica.EVERYWHERE}


def a_library(path, clock=None):
    lib = new_node(path, clock or FixedClock("2026-11-20T09:00:00"))
    titles = ["Đất rừng phương Nam", "Dế Mèn phiêu lưu ký", "Số đỏ", "Tắt đèn", "Truyện Kiều"]
    for n, title in enumerate(titles):
        record = lib.catalogue.add_record({"title": title, "authors": [f"Tác giả {n}"]})
        for copy in range(2):
            lib.catalogue.add_item(record, f"PT{n}{copy}")
    for card in ("C1", "C2", "C3"):
        lib.patrons.add(f"Bạn đọc {card}", "adult", card_number=card)
    lib.circulation.checkout("C1", "PT00")
    lib.circulation.checkout("C2", "PT10")
    lib.circulation.checkin("PT10")
    lib.circulation.checkout("C3", "PT20")
    lib.catalogue.update_record(record, {"year": 1820})
    return lib


def installed(tmp_path, source, name="kiosk.db"):
    data, floors = snapshot.make(source, PARTITION, compression="xz")
    snapshot.install(data, tmp_path / name, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    return open_library(tmp_path / name, FixedClock("2026-11-20T12:00:00")), floors


def loans(lib):
    return lib.store.all("SELECT item_id, patron_id, due_date, renewals FROM loans ORDER BY item_id")


def test_an_installed_device_shows_the_librarys_loans_search_and_rows_and_no_other_librarys(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    other = new_node(tmp_path / "other.db", code="TN-TRAMCHIM")
    other.patrons.add("Người thư viện khác", "adult", card_number="TC-1")
    hub = new_node(tmp_path / "hub.db", code="TAMNONG")
    transfer(counter, hub)
    transfer(other, hub)

    kiosk, floors = installed(tmp_path, hub)
    assert loans(kiosk) == loans(counter) and len(loans(kiosk)) == 2
    assert [h.title for h in kiosk.search.search("de men")][:1] == ["Dế Mèn phiêu lưu ký"]
    assert [h.title for h in kiosk.search.search("Truyện Kiều")][0] == "Truyện Kiều"
    assert kiosk.store.scalar("SELECT year FROM records WHERE title = 'Truyện Kiều'") == 1820
    assert kiosk.store.one("SELECT 1 FROM patrons WHERE card_number = 'TC-1'") is None
    shelves = "SELECT i.barcode, r.title, i.id FROM items i JOIN records r ON r.id = i.record_id " \
              "ORDER BY i.barcode"
    assert kiosk.store.all(shelves) == counter.store.all(shelves)
    # the catalogue's history stayed at the hub; the circulation log came along
    assert kiosk.store.scalar("SELECT COUNT(*) FROM events WHERE type = 'record.put' AND "
                              "json_extract(payload, '$.table') = 'records'") == 0
    assert kiosk.store.scalar("SELECT COUNT(*) FROM events WHERE type LIKE 'loan.%'") == 4
    own = {o: s for o, s in replica.vector(counter.store).items()}
    assert floors == own and bootstrap_floor.floors(kiosk.store) == own
    assert replica.vector(kiosk.store) == own


def test_the_device_pulls_nothing_it_has_the_state_of_and_its_own_work_reaches_the_hub(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    kiosk, _ = installed(tmp_path, counter)
    assert transfer(counter, kiosk, partitions=PARTITION) == 0
    kiosk.circulation.checkin("PT00")
    counter.circulation.checkout("C1", "PT30")
    assert transfer(kiosk, counter) == 1
    assert transfer(counter, kiosk) == 1
    assert loans(kiosk) == loans(counter)
    assert {r[0] for r in loans(kiosk)} == {
        counter.store.scalar("SELECT id FROM items WHERE barcode = 'PT20'"),
        counter.store.scalar("SELECT id FROM items WHERE barcode = 'PT30'")}


def test_a_late_offline_loan_of_a_copy_already_lent_is_the_same_conflict_on_the_installed_device(tmp_path):
    counter = a_library(tmp_path / "counter.db", FixedClock("2026-11-20T09:00:00"))
    laptop = new_node(tmp_path / "laptop.db", FixedClock("2026-11-20T10:00:00"))
    transfer(counter, laptop)
    counter.circulation.checkout("C1", "PT01")     # at 9:00
    laptop.circulation.checkout("C2", "PT01")      # at 10:00, offline: it never saw that loan
    counter.clock.advance(minutes=120)
    counter.circulation.checkin("PT01")            # back at the counter at 11:00
    kiosk, _ = installed(tmp_path, counter)        # knows nothing of the laptop's loan yet
    transfer(laptop, kiosk)
    transfer(laptop, counter)
    listed = [(c["id"], c["kind"]) for c in kiosk.conflicts.list()]
    assert listed == [(c["id"], c["kind"]) for c in counter.conflicts.list()]
    assert [kind for _, kind in listed] == ["double_checkout"]
    assert loans(kiosk) == loans(counter)


def test_a_peer_behind_the_floor_gets_nothing_from_the_installed_device_until_it_catches_up(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    laggard = new_node(tmp_path / "laggard.db", FixedClock("2026-11-20T09:30:00"))
    transfer(counter, laggard)
    counter.circulation.checkout("C2", "PT40")     # the laggard never sees these at the counter
    counter.patrons.add("Bạn đọc mới", "child", card_number="C9")
    kiosk, _ = installed(tmp_path, counter)
    kiosk.circulation.checkout("C9", "PT41")

    events, more = bootstrap_floor.events_since(kiosk.store, replica.vector(laggard.store), PARTITION)
    assert (events, more) == ([], False)           # no history with holes in it
    transfer(counter, laggard)                     # from a full node
    transfer(kiosk, laggard)                       # now the kiosk's own work flows
    transfer(kiosk, counter)
    assert loans(laggard) == loans(counter) == loans(kiosk)
    assert laggard.store.one("SELECT 1 FROM patrons WHERE card_number = 'C9'") is not None


def test_a_damaged_or_cut_file_is_refused_and_nothing_is_installed(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    raw = bytearray(lzma.decompress(data))
    flipped = raw.replace("Số đỏ".encode(), "Số đen".encode())
    for bad in (data[: len(data) * 2 // 3],                                  # cut
                data[:200] + bytes([data[200] ^ 0x40]) + data[201:],         # a flipped bit
                lzma.compress(bytes(flipped), format=lzma.FORMAT_XZ),        # edited rows
                b"SQLite format 3\x00" + data):                              # not a bootstrap file
        target = tmp_path / "kiosk.db"
        with pytest.raises(bootstrap.Damaged) as refused:
            snapshot.install(bad, target, "TN-PHUTHO", None)
        assert "không cài đặt gì" in str(refused.value) or "không phải tệp khởi tạo" in str(refused.value)
        assert not target.exists()
        assert list(tmp_path.glob(".bootstrap-*")) == []


def test_a_file_may_only_fill_the_replicated_tables(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    lines = lzma.decompress(data).split(b"\n")
    lines.insert(1, b'{"table":"meta","columns":["key","value"]}')
    lines.insert(2, b'["device_private_key","stolen"]')
    body = b"\n".join(lines)
    with pytest.raises(bootstrap.Damaged, match="không được phép"):
        snapshot.install(lzma.compress(body), tmp_path / "kiosk.db", "TN-PHUTHO", None)
    assert not (tmp_path / "kiosk.db").exists()


def test_a_file_is_smaller_than_the_gzipped_database_it_replaces(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    for n in range(200):
        record = counter.catalogue.add_record({"title": f"Sách số {n}", "authors": ["Nguyễn Du"],
                                               "publisher": "Nhà xuất bản Kim Đồng"})
        counter.catalogue.add_item(record, f"BC{n:05d}")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    counter.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    import gzip
    whole = gzip.compress((tmp_path / "counter.db").read_bytes())
    assert len(data) * 4 < len(whole)


def test_old_closed_loans_stay_at_the_hub_and_a_refold_on_the_device_changes_nothing(tmp_path):
    clock = FixedClock("2026-01-05T09:00:00")
    counter = a_library(tmp_path / "counter.db", clock)     # a year of history ago
    counter.circulation.checkin("PT20")
    counter.circulation.checkout("C2", "PT01")               # still out, lent long ago
    clock.set(__import__("datetime").datetime.now().astimezone())
    counter.circulation.checkout("C3", "PT31")               # lent today
    laptop = new_node(tmp_path / "laptop.db", FixedClock("2026-01-05T08:00:00"))
    kiosk, _ = installed(tmp_path, counter)
    kept = {r[0] for r in kiosk.store.all("SELECT json_extract(payload, '$.item_id') FROM events "
                                          "WHERE type LIKE 'loan.%'")}
    item = dict(counter.store.all("SELECT barcode, id FROM items"))
    assert kept == {item["PT00"], item["PT01"], item["PT31"]}  # PT10, PT20: returned long ago
    assert loans(kiosk) == loans(counter)
    laptop.store.set_meta("library_code", "TN-PHUTHO")
    laptop.patrons.add("Khách", "adult", card_number="C7")   # an old event arriving late
    transfer(laptop, kiosk)
    transfer(laptop, counter)
    from kiosk.core import fold

    fold.rebuild_circulation(kiosk.store)
    assert loans(kiosk) == loans(counter)
    assert kiosk.conflicts.list() == counter.conflicts.list() == []
