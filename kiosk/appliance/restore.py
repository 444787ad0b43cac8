"""Restoring a backup in place of a node's database, without ever reusing an event id.

A restored file holds the origin it had when it was backed up, while peers may already
hold later events of that origin (written after the backup). Writing again under that
origin would reuse ``(origin, seq)`` pairs for different events, so the restored copy
mints a new origin before it becomes the database; the lost later events come back from
the peers at the next sync, under their old origin.

The swap is atomic (rename), but a process that still has the old file open keeps
writing into it; so restore refuses while another process holds the database and the
operator stops the services first (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from pathlib import Path

from kiosk.appliance.backup import BackupError, free_name, integrity, snapshot
from kiosk.appliance.files import fsync_dir
from kiosk.store import open_store
from kiosk.store.eventlog import EventLog, WallClock

log = logging.getLogger(__name__)


def holders(db: Path, proc: Path = Path("/proc")) -> list[int]:
    """Other processes with the database (or its WAL) open."""
    names = {str(Path(db).resolve()), str(Path(db).resolve()) + "-wal"}
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:
            continue
        if names.intersection(links):
            found.append(int(entry.name))
    return sorted(found)


def _library_code(path: Path) -> str | None:
    store = open_store(path, migrate=False)
    try:
        return store.get_meta("library_code")
    finally:
        store.close()


def restore(backup_file: Path, db: Path, clock: WallClock, *, force: bool = False,
            now: dt.datetime | None = None) -> str:
    """Replace ``db`` with ``backup_file`` under a new origin; returns that origin.

    The current database, if any, is first saved as ``backups/pre-restore-*.db``.
    """
    backup_file, db = Path(backup_file), Path(db)
    verdict = integrity(backup_file) if backup_file.is_file() else "không tìm thấy tệp"
    if verdict != "ok":
        raise BackupError(f"không khôi phục được từ {backup_file}: {verdict}")
    busy = holders(db) if db.exists() else []
    if busy and not force:
        raise BackupError(f"cơ sở dữ liệu đang được dùng bởi tiến trình {busy}: dừng dịch vụ "
                          "kiosk-ui, kiosk-sync, kiosk-serve-sync trước khi khôi phục")
    db.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=db.parent, prefix=".restore-", suffix=".db")
    os.close(fd)
    temp = Path(name)
    try:
        shutil.copyfile(backup_file, temp)
        if db.exists() and os.geteuid() == 0:
            owner = db.stat()
            os.chown(temp, owner.st_uid, owner.st_gid)
        restored = open_store(temp)
        try:
            if db.exists() and not force:
                current = _library_code(db)
                theirs = restored.get_meta("library_code")
                if current and theirs != current:
                    raise BackupError(f"bản sao lưu là của thư viện {theirs}, máy này thuộc "
                                      f"{current}")
            origin = EventLog(restored, clock).mint_new_origin()
            restored.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            restored.close()
        if db.exists():
            kept = snapshot(db, free_name(db.parent / "backups", now or dt.datetime.now(),
                                           prefix="pre-restore"))
            log.info("current database saved as %s before restoring", kept)
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(temp, db)
        fsync_dir(db.parent)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
    log.info("database restored from a backup; new sync origin minted")
    return origin
