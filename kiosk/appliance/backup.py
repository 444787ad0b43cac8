"""Online, consistent backups of a node's database, checked and rotated.

SQLite's backup API copies one consistent snapshot while the kiosk and the sync daemon
keep writing (WAL readers do not block writers), so a backup never needs the kiosk
stopped. Each copy is checked with ``PRAGMA integrity_check`` before it is given its
final name: a file named ``kiosk-*.db`` is always a good backup. Rotation keeps the
newest copy of each of the last N days that have one.

A copy in progress is a hidden ``.NAME.XXXX.partial`` file that its writer holds an
``flock`` on. Any interruption (an exception, a power cut, ``SIGKILL``) leaves at most that
file behind, and the next backup into the same folder removes every partial no live
process holds, so interrupted backups never fill the data partition.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kiosk.appliance.files import fsync_dir

log = logging.getLogger(__name__)

DEFAULT_KEEP = 14
_NAME = re.compile(r"^kiosk-(\d{8})-(\d{6})(?:-(\d+))?\.db$")
PARTIAL_SUFFIX = ".partial"
# What SQLite may put beside a database file it writes (the copy uses a rollback journal).
_COMPANIONS = ("-journal", "-wal", "-shm")


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
    """A backup name not taken yet, not even by a copy still in progress."""
    stem = f"{prefix}-{now:%Y%m%d-%H%M%S}"
    candidate, n = folder / f"{stem}.db", 1
    while candidate.exists() or any(folder.glob(f".{candidate.name}.*{PARTIAL_SUFFIX}")):
        candidate, n = folder / f"{stem}-{n}.db", n + 1
    return candidate


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock while partials are cleaned up or created (never during a copy).

    The lock is an ``flock`` on the folder itself, so no lock file is left in it.
    """
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _with_companions(partial: Path) -> list[Path]:
    return [partial] + [partial.with_name(partial.name + suffix) for suffix in _COMPANIONS]


def remove_stale_partials(folder: Path) -> list[Path]:
    """Remove the partial copies in ``folder`` that no live process is writing; the removed.

    A writer holds an ``flock`` on its partial until it is renamed or removed; the kernel
    drops that lock when the writer dies, however it dies.
    """
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    with _folder_lock(folder):
        for partial in sorted(folder.glob(f".*{PARTIAL_SUFFIX}")):
            try:
                fd = os.open(partial, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                for path in _with_companions(partial):
                    if path.exists():
                        path.unlink()
                        removed.append(path)
            finally:
                os.close(fd)
        for companion in sorted(folder.glob(f".*{PARTIAL_SUFFIX}-*")):
            if not companion.with_name(companion.name.rsplit("-", 1)[0]).exists():
                companion.unlink(missing_ok=True)
                removed.append(companion)
    if removed:
        log.warning("removed %d file(s) left by interrupted backups in %s", len(removed), folder)
    return removed


@contextmanager
def _partial_for(target: Path) -> Iterator[Path]:
    """A new, locked partial file beside ``target``; removed unless renamed to it.

    Stale partials are removed first, under the folder lock, and the new one is locked
    before that lock is released, so two backups at once never remove each other's copy.
    ``mkstemp`` creates it 0600 and the rename keeps that: a backup holds PIN verifiers and
    keys, so it stays owner-only (docs/security.md).
    """
    folder = target.parent
    remove_stale_partials(folder)
    with _folder_lock(folder):
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.",
                                    suffix=PARTIAL_SUFFIX)
        fcntl.flock(fd, fcntl.LOCK_EX)
    temp = Path(name)
    try:
        yield temp
    finally:
        try:
            for path in _with_companions(temp):
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def snapshot(db: Path, target: Path) -> Path:
    """Copy ``db`` consistently to ``target`` (a single file, checked) and return it."""
    db, target = Path(db), Path(target)
    if not db.is_file():
        raise BackupError(f"không có cơ sở dữ liệu {db} để sao lưu")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _partial_for(target) as temp:
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
    with _partial_for(target) as temp:
        shutil.copyfile(backup_file, temp)
        _sync_file(temp)
        verdict = integrity(temp)
        if verdict != "ok":
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
