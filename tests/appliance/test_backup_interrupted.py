"""A `kiosk backup` killed in the middle of its copy leaves nothing behind for long: the next
backup removes what it left, but never the copy of a backup that is still running."""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.appliance.backup import integrity
from kiosk.store import open_store

FILLER_MB = 80


@pytest.fixture
def big_db(tmp_path) -> Path:
    """A node database big enough that copying and checking it takes a visible moment."""
    path = tmp_path / "kiosk.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE filler (data BLOB)")
    conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                 "INSERT INTO filler SELECT randomblob(1048576) FROM n", (FILLER_MB,))
    conn.commit()
    conn.close()
    return path


def start_backup(db: Path) -> subprocess.Popen:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.Popen([sys.executable, "-m", "kiosk", "--db", str(db), "backup"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def partials(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".partial" in p.name) if folder.exists() else []


def wait_for_partial(folder: Path, proc: subprocess.Popen, timeout: float = 60) -> Path:
    """The partial copy a running backup is writing, as soon as it appears."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in partials(folder) if p.name.endswith(".partial")]
        if found:
            return found[-1]
        assert proc.poll() is None, f"backup finished before it could be interrupted: {proc.stderr.read()}"
        time.sleep(0.001)
    raise AssertionError("no partial copy appeared")


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("kiosk-*.db"))


def test_backups_killed_mid_copy_should_leave_no_partial_files_after_the_next_backup(big_db):
    folder = big_db.parent / "backups"
    for _ in range(3):
        proc = start_backup(big_db)
        wait_for_partial(folder, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert proc.returncode == -signal.SIGKILL
    left = partials(folder)
    assert left, "the kills should have interrupted copies in progress"
    assert backups(folder) == []

    done = start_backup(big_db)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert partials(folder) == []
    [made] = backups(folder)
    assert f"Đã sao lưu: {made}" in out
    assert integrity(made) == "ok"
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT COUNT(*) FROM filler").fetchone()[0] == FILLER_MB
    conn.close()


def readable(db: Path) -> bool:
    """Another process can open ``db`` and read it now."""
    try:
        conn = sqlite3.connect(db, timeout=0.2)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return False
    return True


def folder_free(folder: Path) -> bool:
    """No backup holds the folder's lock (taken only while partials are made or removed)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def stopped_mid_copy(db: Path, folder: Path, tries: int = 5) -> tuple[subprocess.Popen, Path]:
    """A backup stopped (SIGSTOP) while its partial copy exists, in the middle of copying.

    A process stopped inside SQLite's brief WAL-index locking keeps every other process out
    ("locking protocol", measured on a busy machine), and one stopped just as it made its
    partial still holds the folder's lock: no running backup holds either for long, so such
    a stop is undone and taken again a moment later. On a busy machine the copy can
    also finish between being seen and the signal: that backup is let finish, its file
    removed, and another one started."""
    for _ in range(tries):
        proc = start_backup(db)
        try:
            partial = wait_for_partial(folder, proc)
        except AssertionError:
            proc.communicate(timeout=120)          # finished before its copy was seen
        else:
            for _ in range(200):
                proc.send_signal(signal.SIGSTOP)
                if proc.poll() is not None or not partial.exists():
                    break
                if folder_free(folder) and readable(db):
                    return proc, partial
                proc.send_signal(signal.SIGCONT)
                time.sleep(0.002)
            proc.send_signal(signal.SIGCONT)
            proc.communicate(timeout=120)
        for made in backups(folder):
            made.unlink()
    raise AssertionError(f"no backup could be stopped in the middle of its copy in {tries} tries")


def test_a_backup_running_meanwhile_should_keep_its_copy_and_finish(big_db):
    folder = big_db.parent / "backups"
    slow, theirs = stopped_mid_copy(big_db, folder)  # alive, holding its copy, mid-way
    try:
        quick = start_backup(big_db)
        out, err = quick.communicate(timeout=120)
        assert quick.returncode == 0, err
        assert theirs.exists(), "a live backup's copy was removed"
        [made] = backups(folder)
        assert integrity(made) == "ok"
    finally:
        slow.send_signal(signal.SIGCONT)
    out, err = slow.communicate(timeout=120)
    assert slow.returncode == 0, err
    assert partials(folder) == []
    assert "Đã sao lưu:" in out
    [kept] = backups(folder)                       # rotation keeps one backup a day
    assert integrity(kept) == "ok"


def test_a_backup_that_fails_its_check_should_remove_its_partial_at_once(tmp_path):
    from kiosk.appliance.backup import BackupError, backup

    path = tmp_path / "damaged.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"sách {n:05}",) for n in range(5000)])
    conn.commit()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 't_x'").fetchone()[0]
    conn.close()
    with path.open("r+b") as raw:                  # a bad sector in the index
        raw.seek((root - 1) * page_size + 8)
        raw.write(os.urandom(page_size - 8))

    with pytest.raises((BackupError, sqlite3.DatabaseError)):
        backup(path, tmp_path / "backups")
    assert partials(tmp_path / "backups") == []
    assert backups(tmp_path / "backups") == []
