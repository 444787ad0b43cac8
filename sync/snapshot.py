"""Bootstrapping a new or replaced device from a snapshot instead of event by event.

The server copies its database consistently (``VACUUM INTO``), cuts it down to the
requesting library's partition (other libraries' patrons and circulation never leave
the district), drops its own secrets and identity, and sends it gzipped with the
vector it holds. The device installs it as its database, takes a fresh origin, and
then syncs incrementally from that vector.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from kiosk.core import fold
from kiosk.core.library import Library
from kiosk.store import open_store
from sync import replica

SECRET_META = ("origin_id", "device_id", "device_key", "library_key", "role", "district_url",
               "staff_pin_hash", "peers", "sync_status")
LOCAL_TABLES = ("devices", "enrolment_codes", "sync_rejections", "sync_peers", "import_progress")


def _cut_to_partition(conn: sqlite3.Connection, partitions: set[str]) -> None:
    marks = ",".join("?" * len(partitions))
    keep = list(partitions)
    conn.execute(f"DELETE FROM events WHERE library_id NOT IN ({marks})", keep)
    conn.execute(f"DELETE FROM patrons WHERE home_library NOT IN ({marks})", keep)
    for table, column in (("loans", "library_id"), ("requests", "library_id"),
                          ("holds", "pickup_library")):
        conn.execute(f"DELETE FROM {table} WHERE {column} NOT IN ({marks})", keep)
    conn.execute(f"DELETE FROM items WHERE library_id NOT IN ({marks})", keep)
    conn.execute(
        "DELETE FROM records WHERE id NOT IN (SELECT record_id FROM items) AND id NOT IN "
        "(SELECT json_extract(payload, '$.id') FROM events WHERE type = 'record.put' "
        "AND json_extract(payload, '$.table') = 'records')")
    conn.execute("DELETE FROM attachments WHERE record_id NOT IN (SELECT id FROM records)")
    conn.execute("DELETE FROM records_fts WHERE rowid NOT IN (SELECT rid FROM records)")
    conn.execute("DELETE FROM record_versions WHERE tbl = 'records' AND record_id NOT IN "
                 "(SELECT id FROM records)")
    conn.execute("DELETE FROM record_conflicts WHERE record_id NOT IN (SELECT id FROM records) "
                 "AND record_id NOT IN (SELECT id FROM items) AND record_id NOT IN "
                 "(SELECT id FROM patrons)")


SETTINGS_TABLES = ("policies", "closed_days", "libraries")


def _refold_settings(store) -> None:
    """Rebuild the small naturally keyed tables from the events that survived the cut,
    so no row of another library's rules travels without its event."""
    from kiosk.store.eventlog import Event

    marks = ",".join("?" * len(SETTINGS_TABLES))
    with store.transaction():
        for table in SETTINGS_TABLES:
            store.execute(f"DELETE FROM {table}")
        store.execute(f"DELETE FROM record_versions WHERE tbl IN ({marks})", SETTINGS_TABLES)
        rows = store.all(
            "SELECT * FROM events WHERE type IN ('record.put', 'record.delete') AND "
            f"json_extract(payload, '$.table') IN ({marks}) ORDER BY hlc, origin_id, seq",
            SETTINGS_TABLES)
        for row in rows:
            fold.apply(store, Event.from_row(row))


def make(library: Library, partitions: set[str] | None) -> tuple[bytes, dict[str, int]]:
    """A gzipped SQLite file of ``partitions`` (None: everything) and its vector."""
    with tempfile.TemporaryDirectory(prefix="kiosk-snapshot-") as folder:
        path = Path(folder) / "snapshot.db"
        library.store.execute("VACUUM INTO ?", (str(path),))
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN")
        if partitions is not None:
            _cut_to_partition(conn, partitions)
        conn.execute(f"DELETE FROM meta WHERE key IN ({','.join('?' * len(SECRET_META))}) "
                     "OR key LIKE 'library_key:%' OR key GLOB 'origin_id:*'", SECRET_META)
        for table in LOCAL_TABLES:
            conn.execute(f"DELETE FROM {table}")
        conn.execute("COMMIT")
        conn.execute("VACUUM")
        conn.close()
        store = open_store(path)
        if partitions is not None:
            _refold_settings(store)
        fold.rebuild_circulation(store)
        vector = replica.vector(store)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.execute("PRAGMA journal_mode=DELETE")
        store.close()
        return gzip.compress(path.read_bytes(), compresslevel=6), vector


def install(data: bytes, target: Path, library_code: str, library_name: str | None) -> None:
    """Install a snapshot as the database at ``target`` (which must hold no events)."""
    target = Path(target)
    if target.exists():
        existing = open_store(target)
        held = existing.scalar("SELECT COUNT(*) FROM events")
        kept_meta = {k: existing.get_meta(k) for k in ("device_id", "device_key", "library_key",
                                                        "district_url")}
        existing.close()
        if held:
            raise FileExistsError(f"{target} already holds {held} events: a snapshot only "
                                  "bootstraps an empty device (back it up and remove it first)")
    else:
        kept_meta = {}
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".snapshot-", suffix=".db")
    os.close(fd)
    try:
        with open(temp, "wb") as out:
            out.write(gzip.decompress(data))
        check = sqlite3.connect(temp)
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        check.close()
        if ok != "ok":
            raise ValueError(f"snapshot is damaged: {ok}")
        store = open_store(temp)
        with store.transaction():
            store.set_meta("library_code", library_code)
            if library_name:
                store.set_meta("library_name", library_name)
            for key, value in kept_meta.items():
                if value is not None:
                    store.set_meta(key, value)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.move(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)
