"""PIN verifiers at rest: the cost a copied card's rows carry, old hashes, 6 digits, file modes."""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import stat
import time

import pytest

from kiosk.app import open_library
from kiosk.core import pins, staff
from kiosk.core.errors import LibraryError
from kiosk.core.node import init_library
from kiosk.store import open_store

OLD_COST = (2**14, 8, 1)  # what every verifier before 2026-12 was made with


def old_verifier(pin: str) -> str:
    n, r, p = OLD_COST
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return (f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}$"
            f"{base64.b64encode(digest).decode()}")


def row_as_copied_from_the_card(path, card: str) -> str:
    """What someone who copies the SD card reads, without the application."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT pin_hash FROM patrons WHERE card_number = ?",
                            (card,)).fetchone()[0]
    finally:
        conn.close()


def test_a_copied_patron_row_carries_a_verifier_at_the_new_cost_and_no_pin(lib):
    patron = lib.patrons.add("Nguyễn Văn Sáu", pin="482913")
    stored = row_as_copied_from_the_card(lib.store.path, patron["card_number"])
    assert "482913" not in stored
    assert pins.cost(stored) == (pins.N, pins.R, pins.P) == (2**14, 12, 1)
    assert pins.memory_bytes(pins.N, pins.R) >= 24 * 1024 * 1024
    assert pins.N * pins.R > OLD_COST[0] * OLD_COST[1]
    assert not pins.needs_rehash(stored)


def test_six_digit_pins_are_accepted_and_four_to_eight_digits_only(lib):
    patron = lib.patrons.add("Trần Thị Bảy", pin="048213")
    assert lib.patrons.authenticate(patron["card_number"], "048213")["name"] == "Trần Thị Bảy"
    with pytest.raises(LibraryError) as refused:
        lib.patrons.authenticate(patron["card_number"], "48213")
    assert refused.value.code == "bad_pin"
    for good in ("1234", "048213", "12345678"):
        assert pins.valid_pin_format(good)
    for bad in ("123", "123456789", "12a4", "²³⁴⁵", "١٢٣٤", " 1234", ""):
        assert not pins.valid_pin_format(bad), bad


def test_an_old_verifier_still_opens_and_is_replaced_at_the_new_cost_after_a_success(lib):
    patron = lib.patrons.add("Lê Văn Tám")
    card = patron["card_number"]
    lib.put("patrons", lib.store.scalar("SELECT id FROM patrons WHERE card_number = ?", (card,)),
            {"pin_hash": old_verifier("2468")})
    before = row_as_copied_from_the_card(lib.store.path, card)
    assert pins.cost(before) == OLD_COST and pins.needs_rehash(before)

    with pytest.raises(LibraryError):
        lib.patrons.authenticate(card, "1111")
    assert row_as_copied_from_the_card(lib.store.path, card) == before

    assert lib.patrons.authenticate(card, "2468")["card_number"] == card
    after = row_as_copied_from_the_card(lib.store.path, card)
    assert pins.cost(after) == (pins.N, pins.R, pins.P) and after != before
    assert lib.patrons.authenticate(card, "2468")["card_number"] == card
    assert row_as_copied_from_the_card(lib.store.path, card) == after
    rehash = lib.store.one("SELECT library_id, payload FROM events WHERE type = 'record.put' "
                           "ORDER BY rowid DESC LIMIT 1")
    assert rehash["library_id"] == "TN-PHUTHO" and "2468" not in rehash["payload"]


def test_a_device_of_another_library_verifies_an_old_hash_but_never_rewrites_the_row(lib):
    visitor = lib.patrons.add("Phạm Thị Chín", home_library="TN-TRAMCHIM")
    card = visitor["card_number"]
    row_id = lib.store.scalar("SELECT id FROM patrons WHERE card_number = ?", (card,))
    lib.store.execute("UPDATE patrons SET pin_hash = ? WHERE id = ?", (old_verifier("1357"), row_id))
    events = lib.store.scalar("SELECT COUNT(*) FROM events")
    assert lib.patrons.authenticate(card, "1357")["card_number"] == card
    assert pins.cost(row_as_copied_from_the_card(lib.store.path, card)) == OLD_COST
    assert lib.store.scalar("SELECT COUNT(*) FROM events") == events


def test_a_card_without_a_pin_or_unknown_costs_as_much_as_a_wrong_pin(lib):
    with_pin = lib.patrons.add("Đỗ Văn Mười", pin="135790")["card_number"]
    without = lib.patrons.add("Đỗ Thị Một")["card_number"]

    def timed(card: str) -> float:
        started = time.perf_counter()
        with pytest.raises(LibraryError):
            lib.patrons.authenticate(card, "000000")
        return time.perf_counter() - started

    wrong, no_pin, unknown = (min(timed(c) for _ in range(3))
                              for c in (with_pin, without, "KHONG-CO-THE"))
    assert no_pin > wrong / 3 and unknown > wrong / 3


@pytest.mark.parametrize("stored", [
    "scrypt$1048576$64$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2$1$2$3$4$5", "scrypt$16384$8$1$not base64!$x", "", None,
])
def test_a_damaged_or_hostile_verifier_is_refused_without_a_huge_derivation(stored):
    started = time.perf_counter()
    assert not pins.verify_pin("1234", stored)
    assert time.perf_counter() - started < 5
    assert not pins.needs_rehash(stored)


def test_staff_and_technician_pins_are_separate_and_neither_has_a_default(lib):
    for area in staff.AREAS:
        assert not staff.has_pin(lib.store, area)
        for guess in ("0000", "1234", "000000"):
            assert not staff.verify(lib.store, area, guess)
    staff.set_pin(lib.store, staff.STAFF, "482913")
    assert staff.verify(lib.store, staff.STAFF, "482913")
    assert not staff.verify(lib.store, staff.TECHNICIAN, "482913")
    assert not staff.has_pin(lib.store, staff.TECHNICIAN)

    staff.change_technician_pin(lib.store, "731950", current=None)
    assert staff.verify(lib.store, staff.TECHNICIAN, "731950")
    with pytest.raises(LibraryError) as refused:
        staff.change_technician_pin(lib.store, "111222", current="000000")
    assert refused.value.code == "bad_pin"
    staff.change_technician_pin(lib.store, "111222", current="731950")
    assert staff.verify(lib.store, staff.TECHNICIAN, "111222")
    assert staff.verify(lib.store, staff.STAFF, "482913")
    for key in staff.META_KEYS.values():
        assert "482913" not in lib.store.get_meta(key) and "111222" not in lib.store.get_meta(key)


def test_an_old_staff_verifier_still_opens_and_is_replaced(lib):
    lib.store.set_meta(staff.META_KEYS[staff.STAFF], old_verifier("864200"))
    assert staff.verify(lib.store, staff.STAFF, "864200")
    assert pins.cost(lib.store.get_meta(staff.META_KEYS[staff.STAFF])) == (pins.N, pins.R, pins.P)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_wal_and_shm_are_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        library = open_library(tmp_path / "kiosk.db")
        init_library(library, "TN-PHUTHO", "Thư viện xã Phú Thọ")
        library.patrons.add("Võ Thị Hai", pin="246802")
        files = [tmp_path / "kiosk.db", tmp_path / "kiosk.db-wal", tmp_path / "kiosk.db-shm"]
        assert all(f.exists() for f in files)
        assert [mode(f) for f in files] == [0o600] * 3
        library.store.close()
    finally:
        os.umask(old)


def test_an_existing_readable_database_is_made_owner_only_when_opened(tmp_path):
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"old.db{suffix}").write_bytes(b"")
        os.chmod(tmp_path / f"old.db{suffix}", 0o644)
    store = open_store(path)
    assert mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        assert mode(tmp_path / f"old.db{suffix}") == 0o600
    store.close()
