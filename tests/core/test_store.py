import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.store import DatabaseTooNew, SCHEMA_VERSION, open_store
from kiosk.store import migrations
from kiosk.store.db import Store, connect


def schema(store: Store) -> list[tuple]:
    return sorted(
        (row["type"], row["name"], row["sql"])
        for row in store.all("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    )


def test_pragmas_protect_loans_against_power_cuts(lib):
    conn = lib.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize("start", range(0, SCHEMA_VERSION))
def test_a_database_at_every_earlier_version_upgrades_without_losing_data(tmp_path, start):
    old = Store(connect(tmp_path / "old.db"), str(tmp_path / "old.db"))
    migrations.upgrade(old, target=start)
    if start >= 1:
        old.execute(
            "INSERT INTO records (id, title, authors, subjects, created_at, updated_at) "
            "VALUES ('r1', 'Lịch sử Đồng Tháp', '[\"Nguyễn Văn A\"]', '[]', '2026-01-01', '2026-01-01')")
        old.execute("INSERT INTO meta (key, value) VALUES ('library_code', 'TN-X')")
        if start >= 2:
            from kiosk.core import search_index
            search_index.index_record(old, "r1")
    old.close()

    upgraded = open_store(tmp_path / "old.db")
    fresh = open_store(tmp_path / "fresh.db")
    assert migrations.current_version(upgraded) == SCHEMA_VERSION
    assert schema(upgraded) == schema(fresh)
    if start >= 1:
        assert upgraded.scalar("SELECT title FROM records WHERE id = 'r1'") == "Lịch sử Đồng Tháp"
        lib = open_library(tmp_path / "old.db", FixedClock("2026-11-20T09:00:00"))
        assert [h.id for h in lib.search.search("dong thap")] == ["r1"]


def test_a_database_from_newer_software_is_refused(tmp_path):
    store = open_store(tmp_path / "n.db")
    store.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'now')",
                  (SCHEMA_VERSION + 1,))
    store.close()
    with pytest.raises(DatabaseTooNew, match="newer version"):
        open_store(tmp_path / "n.db")


def test_a_failing_migration_leaves_the_database_at_the_previous_version(tmp_path, monkeypatch):
    def broken(store):
        store.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrations, "MIGRATIONS",
                        migrations.MIGRATIONS + [(SCHEMA_VERSION + 1, "broken", broken)])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        open_store(tmp_path / "m.db")
    store = Store(connect(tmp_path / "m.db"), str(tmp_path / "m.db"))
    assert migrations.current_version(store) == SCHEMA_VERSION
    assert store.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'") == 0


def test_every_change_is_an_event_with_gap_free_sequence_and_rising_clock(lib, book, patron, clock):
    lib.circulation.checkout(patron["card_number"], "PT000001")
    clock.advance(days=-400)  # a Pi without RTC battery boots in the past
    lib.circulation.checkin("PT000001")
    rows = lib.store.all("SELECT * FROM events ORDER BY seq")
    origin = lib.store.get_meta("origin_id")
    assert {r["origin_id"] for r in rows} == {origin}
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    stamps = [r["hlc"] for r in rows]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert len({r["uuid"] for r in rows}) == len(rows)
    assert {r["library_id"] for r in rows} == {"TN-PHUTHO"}
    checkin = rows[-1]
    assert checkin["type"] == "loan.checkin"
    assert json.loads(checkin["payload"])["item_id"]


def test_a_new_origin_starts_its_own_sequence(lib, book, patron):
    old_origin = lib.store.get_meta("origin_id")
    lib.log.mint_new_origin()
    lib.circulation.checkout(patron["card_number"], "PT000001")
    vector = lib.log.vector()
    assert vector[lib.store.get_meta("origin_id")] == 1
    assert vector[old_origin] > 1


def test_a_loan_survives_the_process_being_killed_right_after_checkout(tmp_path, lib, book, patron):
    path = lib.store.path
    child = textwrap.dedent(f"""
        import os, signal
        from kiosk.app import open_library
        lib = open_library({path!r})
        lib.circulation.checkout({patron["card_number"]!r}, "PT000001")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    reopened = open_library(path)
    [loan] = reopened.circulation.loans(patron["card_number"])
    assert loan["barcode"] == "PT000001"
    assert reopened.store.scalar("PRAGMA integrity_check") == "ok"


def test_patron_pins_are_stored_only_as_memory_hard_hashes(lib, patron):
    stored = lib.store.scalar("SELECT pin_hash FROM patrons")
    assert stored.startswith("scrypt$") and "2468" not in stored
    assert "2468" not in json.dumps([dict(r) for r in lib.store.all("SELECT payload FROM events")])
    assert lib.patrons.authenticate(patron["card_number"], "2468")["name"] == "Nguyễn Thị Hoà"
    with pytest.raises(Exception) as info:
        lib.patrons.authenticate(patron["card_number"], "1111")
    assert "PIN" in str(info.value)
    assert "pin_hash" not in lib.patrons.get(patron["card_number"])


def test_the_core_imports_no_qt_http_or_device_code():
    probe = ("import sys, kiosk.app, kiosk.core.library, kiosk.core.search, kiosk.core.circulation; "
             "bad = [m for m in sys.modules if m.split('.')[0] in "
             "('PySide6', 'requests', 'serial', 'escpos', 'cv2', 'zxingcpp', 'http')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sqlite_has_fts5():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
