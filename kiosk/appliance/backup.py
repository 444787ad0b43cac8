"""Online, consistent backups of a node's database, checked and rotated.

SQLite's backup API copies one consistent snapshot while the kiosk and the sync daemon
keep writing (WAL readers do not block writers), so a backup never needs the kiosk
stopped. Each copy is checked with ``PRAGMA integrity_check`` before it is given its
final name: a file named ``kiosk-*.db`` is always a good backup. Rotation keeps the
newest copy of each of the last N days that have one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
from pathlib import Path

from kiosk.appliance.files import fsync_dir

log = logging.getLogger(__name__)

DEFAULT_KEEP = 14
_NAME = re.compile(r"^kiosk-(\d{8})-(\d{6})(?:-(\d+))?\.db$")


class BackupError(RuntimeError):
    """A backup or restore that did not happen; the message says what to check."""


def integrity(path: Path) -> str:
    """``ok`` for a sound SQLite file, else SQLite's description of the damage."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)


def free_name(folder: Path, now: dt.datetime, prefix: str = "kiosk") -> Path:
    stem = f"{prefix}-{now:%Y%m%d-%H%M%S}"
    candidate, n = folder / f"{stem}.db", 1
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}.db", n + 1
    return candidate


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def snapshot(db: Path, target: Path) -> Path:
    """Copy ``db`` consistently to ``target`` (a single file, checked) and return it."""
    db, target = Path(db), Path(target)
    if not db.is_file():
        raise BackupError(f"không có cơ sở dữ liệu {db} để sao lưu")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.partial")
    temp.unlink(missing_ok=True)
    source = sqlite3.connect(db, timeout=30)
    try:
        copy = sqlite3.connect(temp)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    verdict = integrity(temp)
    if verdict != "ok":
        temp.unlink(missing_ok=True)
        raise BackupError(f"bản sao lưu hỏng ({verdict}): kiểm tra thẻ nhớ")
    _sync_file(temp)
    os.replace(temp, target)
    fsync_dir(target.parent)
    return target


def copy_checked(backup_file: Path, folder: Path) -> Path:
    """Copy a finished backup to another folder (a USB stick), checked there too."""
    if not folder.is_dir():
        raise BackupError(f"không thấy thư mục {folder}: đã cắm và gắn USB chưa?")
    target = folder / backup_file.name
    temp = folder / f".{backup_file.name}.partial"
    shutil.copyfile(backup_file, temp)
    _sync_file(temp)
    verdict = integrity(temp)
    if verdict != "ok":
        temp.unlink(missing_ok=True)
        raise BackupError(f"bản chép sang {folder} bị hỏng ({verdict}): thử USB khác")
    os.replace(temp, target)
    fsync_dir(folder)
    return target


def rotate(folder: Path, keep: int) -> list[Path]:
    """Keep the newest backup of each of the ``keep`` most recent days; remove the rest."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            found.append(((match[1], match[2], int(match[3] or 0)), path))
    found.sort(reverse=True)
    kept_days: set[str] = set()
    removed = []
    for (day, _, _), path in found:
        if day not in kept_days and len(kept_days) < keep:
            kept_days.add(day)
            continue
        path.unlink()
        removed.append(path)
    return removed


def backup(db: Path, folder: Path, *, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None,
           copy_to: Path | None = None) -> list[Path]:
    """A checked backup in ``folder`` (and ``copy_to``), both rotated; the files written."""
    now = now or dt.datetime.now()
    folder = Path(folder)
    made = snapshot(db, free_name(folder, now))
    rotate(folder, keep)
    written = [made]
    if copy_to is not None:
        written.append(copy_checked(made, Path(copy_to)))
        rotate(Path(copy_to), keep)
    log.info("backup written: %s", ", ".join(str(p) for p in written))
    return written
