"""Bootstrapping a new or replaced device from a snapshot instead of event by event.

A snapshot is built by **allow-list**: a fresh database is created from the replicated
schema and only the replicated tables are copied into it, cut to the requesting
library's partition plus the shared rows. Nothing else can travel: not the sender's
``meta`` (keys, identity, the hub's web secret), not the hub's accounts, sessions,
audit or device table, not another library's patrons or circulation. Derived state
(loans, holds, requests, conflicts, the search index, settings) is refolded in the copy.
It is sent gzipped with the vector it holds; the device installs it as its database,
takes a fresh origin, and then syncs incrementally from that vector.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from kiosk.core import fold, search_index
from kiosk.core.library import Library
from kiosk.store import open_store
from sync import replica

# The replicated tables, in foreign-key order, each with the rows a partition may see.
# ``{p}`` stands for the partition list; every other table is left behind.
ALLOWED: dict[str, str] = {
    "events": "library_id IN ({p})",
    "records": "library_id IN ({p}) OR library_id IS NULL OR id IN "
               "(SELECT record_id FROM src.items WHERE library_id IN ({p}))",
    "attachments": "record_id IN (SELECT id FROM main.records)",
    "items": "library_id IN ({p})",
    "patrons": "home_library IN ({p})",
    "record_versions": "(tbl = 'records' AND record_id IN (SELECT id FROM main.records)) OR "
                       "(tbl = 'items' AND record_id IN (SELECT id FROM main.items)) OR "
                       "(tbl = 'patrons' AND record_id IN (SELECT id FROM main.patrons)) OR "
                       "(tbl = 'attachments' AND record_id IN (SELECT id FROM main.attachments)) OR "
                       "(tbl = 'device_registry' AND record_id IN (SELECT id FROM main.device_registry)) OR "
                       "(tbl = 'device_origins' AND record_id IN (SELECT id FROM main.device_origins))",
    "device_registry": "library_id IN ({p})",
    "device_origins": "library_id IN ({p})",
}
SETTINGS_TABLES = ("policies", "closed_days", "libraries")


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _copy(conn: sqlite3.Connection, partitions: set[str] | None) -> None:
    marks = ",".join("?" * len(partitions or ()))
    for table, where in ALLOWED.items():
        source = set(_columns(conn, "src", table))
        columns = ", ".join(c for c in _columns(conn, "main", table) if c in source)
        clause, params = "1", []
        if partitions is not None:
            clause = where.replace("{p}", marks)
            params = sorted(partitions) * where.count("{p}")
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM src.{table} "
                     f"WHERE {clause}", params)


def _refold_settings(store, library_code: str | None) -> None:
    """Rebuild the library's rules and its ``libraries`` row from the events that came
    along, with their field versions, so no row travels without its event (the hub folds
    only its own rules)."""
    from kiosk.core import ownership
    from kiosk.store.eventlog import Event

    marks = ",".join("?" * len(SETTINGS_TABLES))
    with store.transaction():
        store.execute(f"DELETE FROM record_versions WHERE tbl IN ({marks})", SETTINGS_TABLES)
        rows = store.all(
            "SELECT * FROM events WHERE type IN ('record.put', 'record.delete') AND "
            f"json_extract(payload, '$.table') IN ({marks}) ORDER BY hlc, origin_id, seq",
            SETTINGS_TABLES)
        for row in rows:
            event = Event.from_row(row)
            if ownership.applies_here(event, library_code):
                fold.apply(store, event)


def make(library: Library, partitions: set[str] | None) -> tuple[bytes, dict[str, int]]:
    """A gzipped SQLite file of ``partitions`` (None: everything) and its vector."""
    with tempfile.TemporaryDirectory(prefix="kiosk-snapshot-") as folder:
        path = Path(folder) / "snapshot.db"
        open_store(path).close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("ATTACH DATABASE ? AS src", (library.store.path,))
        conn.execute("BEGIN")  # one read transaction: a consistent cut while others write
        _copy(conn, partitions)
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        conn.close()
        store = open_store(path)
        code = None
        if partitions is not None:
            code = next((p for p in partitions if p != replica.EVERYWHERE), None)
        _refold_settings(store, code)
        fold.rebuild_circulation(store)
        search_index.reindex_all(store)
        vector = replica.vector(store)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.execute("PRAGMA journal_mode=DELETE")
        store.execute("VACUUM")
        store.close()
        return gzip.compress(path.read_bytes(), compresslevel=6), vector


IDENTITY_META = ("device_id", "device_private_key", "district_url", "peers", "hub_public_key",
                 "device_certificate")


def install(data: bytes, target: Path, library_code: str, library_name: str | None) -> None:
    """Install a snapshot as the database at ``target`` (which must hold no events),
    keeping this device's own identity and settings."""
    target = Path(target)
    if target.exists():
        existing = open_store(target)
        held = existing.scalar("SELECT COUNT(*) FROM events")
        kept_meta = {k: existing.get_meta(k) for k in IDENTITY_META}
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
            try:
                out.write(gzip.decompress(data))
            except (OSError, EOFError) as exc:
                raise ValueError(f"snapshot is damaged: {exc}") from None
        check = sqlite3.connect(temp)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            ok = str(exc)
        check.close()
        if ok != "ok":
            raise ValueError(f"snapshot is damaged: {ok}")
        store = open_store(temp)
        with store.transaction():
            store.execute("DELETE FROM meta")
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
