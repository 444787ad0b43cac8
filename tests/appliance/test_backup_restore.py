"""Backups of a live node, and a restore that loses nothing once the node syncs again."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from replication import gossip, new_node, same_state  # noqa: E402

from kiosk.app import open_library  # noqa: E402
from kiosk.appliance.backup import BackupError, backup, integrity, rotate  # noqa: E402
from kiosk.appliance.restore import holders, restore  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 18, 0, 0)


def events(lib) -> set[tuple[str, int, str]]:
    return {tuple(r) for r in lib.store.all("SELECT origin_id, seq, uuid FROM events")}


def loans(lib) -> dict[str, str]:
    return {r["barcode"]: r["card_number"] for r in lib.store.all(
        "SELECT i.barcode, p.card_number FROM loans l JOIN items i ON i.id = l.item_id "
        "JOIN patrons p ON p.id = l.patron_id")}


@pytest.fixture
def pair(tmp_path):
    clock = FixedClock("2026-11-20T09:00:00")
    counter = new_node(tmp_path / "counter.db", clock)
    kiosk = new_node(tmp_path / "kiosk.db", clock)
    record = counter.catalogue.add_record({"title": "Đất rừng phương Nam", "authors": ["Đoàn Giỏi"]})
    for n in range(1, 6):
        counter.catalogue.add_item(record, f"PT{n}")
    counter.patrons.add("Trần Văn An", "adult", card_number="C1")
    counter.patrons.add("Lê Thị Bé", "adult", card_number="C2")
    gossip(counter, kiosk)
    yield counter, kiosk, clock
    counter.store.close()


def test_a_restored_node_gets_its_later_loans_back_from_its_peer_under_a_new_origin(tmp_path, pair):
    counter, kiosk, clock = pair
    path = Path(kiosk.store.path)
    kiosk.circulation.checkout("C1", "PT1")
    kiosk.circulation.checkout("C2", "PT2")
    before_backup = events(kiosk)
    [made] = backup(path, tmp_path / "backups", keep=7, now=NOW)
    assert integrity(made) == "ok"

    kiosk.circulation.checkout("C1", "PT3")
    kiosk.circulation.checkin("PT1")
    gossip(counter, kiosk)
    after_backup = events(kiosk)
    old_origin = kiosk.store.get_meta("origin_id")
    kiosk.store.close()

    new_origin = restore(made, path, clock, now=NOW)
    kiosk = open_library(path, clock)
    assert new_origin != old_origin and kiosk.store.get_meta("origin_id") == new_origin
    assert events(kiosk) == before_backup
    assert loans(kiosk) == {"PT1": "C1", "PT2": "C2"}
    assert list((tmp_path / "backups").glob("pre-restore-*.db"))

    gossip(counter, kiosk)
    assert events(kiosk) == after_backup | events(counter) == after_backup
    assert loans(kiosk) == {"PT2": "C2", "PT3": "C1"}

    kiosk.circulation.checkout("C2", "PT4")
    newest = kiosk.store.one("SELECT origin_id, seq FROM events ORDER BY hlc DESC LIMIT 1")
    assert tuple(newest) == (new_origin, 1)
    gossip(counter, kiosk)
    assert same_state(counter, kiosk)
    assert loans(counter) == {"PT2": "C2", "PT3": "C1", "PT4": "C2"}
    total = kiosk.store.scalar("SELECT COUNT(*) FROM events")
    assert total == len(events(counter) | events(kiosk))
    assert total == kiosk.store.scalar("SELECT COUNT(DISTINCT uuid) FROM events")
    kiosk.store.close()


def test_rotation_keeps_the_newest_backup_of_each_of_the_last_days(tmp_path, pair):
    _, kiosk, _ = pair
    folder = tmp_path / "backups"
    for day in range(1, 6):
        for hour in (9, 18):
            backup(Path(kiosk.store.path), folder, keep=3, now=dt.datetime(2026, 11, day, hour))
    assert sorted(p.name for p in folder.iterdir()) == [
        "kiosk-20261103-180000.db", "kiosk-20261104-180000.db", "kiosk-20261105-180000.db"]
    (folder / "notes.txt").write_text("giữ lại")
    assert rotate(folder, 1) == [folder / "kiosk-20261104-180000.db",
                                 folder / "kiosk-20261103-180000.db"]
    assert (folder / "notes.txt").exists()


def test_a_backup_is_also_copied_to_a_usb_stick_and_a_missing_stick_is_an_error(tmp_path, pair):
    _, kiosk, _ = pair
    usb = tmp_path / "usb"
    usb.mkdir()
    made, copied = backup(Path(kiosk.store.path), tmp_path / "backups", now=NOW, copy_to=usb)
    assert copied == usb / made.name and integrity(copied) == "ok"
    with pytest.raises(BackupError, match="USB"):
        backup(Path(kiosk.store.path), tmp_path / "backups", now=NOW, copy_to=tmp_path / "absent")


def test_a_damaged_backup_or_one_in_use_is_refused_and_the_database_is_untouched(tmp_path, pair):
    _, kiosk, clock = pair
    path = Path(kiosk.store.path)
    [made] = backup(path, tmp_path / "backups", now=NOW)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(made.read_bytes()[:4096] + b"\0" * 8192)
    held = events(kiosk)
    kiosk.store.close()
    with pytest.raises(BackupError):
        restore(damaged, path, clock)

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT 1 FROM meta').fetchall(); print('open', flush=True); sys.stdin.read()",
         str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        assert holder.pid in holders(path)
        with pytest.raises(BackupError, match="kiosk-ui"):
            restore(made, path, clock)
    finally:
        holder.stdin.close()
        holder.wait(10)
    again = open_library(path, clock)
    assert events(again) == held
    again.store.close()


def test_backup_and_restore_from_the_command_line(tmp_path, pair):
    _, kiosk, _ = pair
    path = Path(kiosk.store.path)
    kiosk.circulation.checkout("C1", "PT5")
    kiosk.store.close()
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)

    def kiosk_cli(*args):
        return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(path), *args],
                              capture_output=True, text=True, env=env, timeout=60)

    done = kiosk_cli("backup", "--keep", "2")
    assert done.returncode == 0, done.stderr
    [made] = (tmp_path / "backups").glob("kiosk-*.db")
    assert str(made) in done.stdout
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM loans")
    conn.commit()
    conn.close()
    done = kiosk_cli("restore", str(made))
    assert done.returncode == 0, done.stderr
    restored = open_library(path)
    assert loans(restored) == {"PT5": "C1"}
    restored.store.close()
    assert kiosk_cli("restore", str(tmp_path / "nothing.db")).returncode == 1
