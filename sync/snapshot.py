"""Bootstrapping a new or replaced device from its library's state instead of its history.

What travels is decided by **allow-list**: :data:`ALLOWED` names every replicated table a
device may receive and the rows of it a partition may see. Nothing else can travel: not
the sender's ``meta`` (keys, identity, the hub's web secret), not the hub's accounts,
sessions, audit or device table, not another library's patrons or circulation.

Of the event log only what the device needs comes along:

- every **circulation** event of the partition (checkouts, returns, renewals, holds,
  requests, resolutions, visits): the fold replays the whole circulation log whenever an
  older event arrives from a device that was offline (:func:`kiosk.core.fold.rebuild_circulation`),
  so open loans, holds and requests, the conflicts a late offline checkout must raise and
  the circulation reports are only right on a device that holds all of it. It is a few
  per cent of the bytes (see ``bench/bootstrap_bench.py``).
- the **settings** record events (rules, closed days, the library's own row): the hub
  folds only its own rules, so the device refolds its library's from these.
- not the catalogue, item, patron and device **record** history, the bulk of the log: the
  rows come as they are with their field versions (``record_versions``), which is all
  that detecting a concurrent edit needs.

The file states the version vector of the cut as its **floor** (:mod:`sync.bootstrap_floor`):
the device holds the state of every event up to it without holding every event.
The format is in :mod:`sync.bootstrap`; serving and downloading in :mod:`sync.bootstrap_serve`.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from kiosk.core import fold, search_index
from kiosk.core.library import Library
from kiosk.store import open_store
from kiosk.store.eventlog import FLOOR_KEY
from kiosk.store.hlc import DEFAULT_DRIFT_BOUND_MS, pack
from sync import bootstrap, bootstrap_floor, replica

log = logging.getLogger(__name__)

SETTINGS_TABLES = ("policies", "closed_days", "libraries")
_RECORDS = ("library_id IN ({p}) OR library_id IS NULL OR id IN "
            "(SELECT record_id FROM items WHERE library_id IN ({p}))")
_EVENT_KINDS = ("type NOT IN ('record.put', 'record.delete') OR "
                "json_extract(payload, '$.table') IN ('policies', 'closed_days', 'libraries')")

# The replicated tables, in foreign-key order, each with the rows a partition may see.
# ``{p}`` stands for the partition list, ``{records}`` for the records clause; every
# other table is left behind.
ALLOWED: dict[str, str] = {
    "records": _RECORDS,
    "attachments": "record_id IN (SELECT id FROM records WHERE {records})",
    "items": "library_id IN ({p})",
    "patrons": "home_library IN ({p})",
    "device_registry": "library_id IN ({p})",
    "device_origins": "library_id IN ({p})",
    "record_versions": "(tbl = 'records' AND record_id IN (SELECT id FROM records WHERE {records})) "
                       "OR (tbl = 'attachments' AND record_id IN (SELECT id FROM attachments "
                       "WHERE record_id IN (SELECT id FROM records WHERE {records}))) "
                       "OR (tbl = 'items' AND record_id IN (SELECT id FROM items WHERE library_id IN ({p}))) "
                       "OR (tbl = 'patrons' AND record_id IN (SELECT id FROM patrons WHERE home_library IN ({p}))) "
                       "OR (tbl IN ('device_registry', 'device_origins') AND record_id IN "
                       "(SELECT id FROM device_registry WHERE library_id IN ({p}) UNION ALL "
                       "SELECT id FROM device_origins WHERE library_id IN ({p})))",
    "events": "library_id IN ({p}) AND (" + _EVENT_KINDS + ")",
}


def selections(partitions: set[str] | None) -> list[tuple[str, str, list[str]]]:
    """``(table, where, params)`` for each allowed table, cut to ``partitions``."""
    out = []
    for table, where in ALLOWED.items():
        if partitions is None:  # the hub's own backup of everything: the same kinds of rows
            out.append((table, _EVENT_KINDS if table == "events" else "1", []))
            continue
        where = where.replace("{records}", _RECORDS)
        marks = ",".join("?" * len(partitions))
        out.append((table, where.replace("{p}", marks), sorted(partitions) * where.count("{p}")))
    return out


def _refold_settings(store, library_code: str | None) -> None:
    """Rebuild the library's rules and its ``libraries`` row from the events that came
    along, with their field versions, so no row travels without its event."""
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


def make(library: Library, partitions: set[str] | None, *,
         compression: str = "gzip") -> tuple[bytes, dict[str, int]]:
    """The bootstrap file of ``partitions`` as bytes, and its floor: for tests and small
    libraries. Devices download files made by :class:`sync.bootstrap_serve.BootstrapFiles`."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bootstrap-") as folder:
        made = bootstrap.make(library.store.path, partitions, Path(folder) / "b.kboot",
                              library=_code(partitions), compression=compression)
        return made.path.read_bytes(), made.floors


def _code(partitions: set[str] | None) -> str | None:
    if partitions is None:
        return None
    return next((p for p in sorted(partitions) if p != replica.EVERYWHERE), None)


IDENTITY_META = ("device_id", "device_private_key", "district_url", "peers", "hub_public_key",
                 "device_certificate")


def install(data: bytes | str | Path, target: Path, library_code: str,
            library_name: str | None, progress: bootstrap.Progress = bootstrap._quiet) -> dict:
    """Install a bootstrap file (a path, or its bytes) as the database at ``target``, which
    must hold no events, keeping this device's own identity. A damaged file raises
    :class:`sync.bootstrap.Damaged` and leaves ``target`` as it was. Returns the counts."""
    target = Path(target)
    if target.exists():
        existing = open_store(target)
        held = existing.scalar("SELECT COUNT(*) FROM events")
        kept_meta = {k: existing.get_meta(k) for k in IDENTITY_META}
        existing.close()
        if held:
            raise FileExistsError(f"{target} đã có {held} sự kiện: tệp khởi tạo chỉ dùng cho "
                                  "thiết bị trống (sao lưu rồi xóa cơ sở dữ liệu trước)")
    else:
        kept_meta = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".bootstrap-", suffix=".db")
    os.close(fd)
    source, scratch = Path(data) if isinstance(data, (str, Path)) else None, None
    try:
        if source is None:
            scratch = Path(temp + ".kboot")
            scratch.write_bytes(data)
            source = scratch
        Path(temp).unlink()
        counts = _load(source, Path(temp), library_code, progress)
        store = open_store(temp)
        with store.transaction():
            store.execute("DELETE FROM meta WHERE key NOT IN (?)", (search_index.VOCABULARY_FILLED,))
            store.set_meta("library_code", library_code)
            if library_name:
                store.set_meta("library_name", library_name)
            for key, value in kept_meta.items():
                if value is not None:
                    store.set_meta(key, value)
            store.set_meta(FLOOR_KEY, str(_clock_floor(store)))
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.move(temp, target)
    finally:
        for leftover in (Path(temp), Path(temp + "-wal"), Path(temp + "-shm"), scratch):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
    return counts


def _clock_floor(store) -> int:
    """The newest stamp of the installed state within the drift bound: the device's
    clock starts there, as if it had received the history (a far-future stamp is not
    adopted, as in sync)."""
    limit = pack(int(time.time() * 1000) + DEFAULT_DRIFT_BOUND_MS, 0)
    return max(store.scalar("SELECT MAX(hlc) FROM events WHERE hlc <= ?", (limit,)) or 0,
               store.scalar("SELECT MAX(hlc) FROM record_versions WHERE hlc <= ?", (limit,)) or 0)


def _load(source: Path, temp: Path, library_code: str, progress: bootstrap.Progress) -> dict:
    from sync import bootstrap_install

    store = open_store(temp)
    try:
        counts = bootstrap_install.load_rows(store, source, progress)
        bootstrap_floor.set_floors(store, counts["floors"], counts["origin_libraries"])
        _refold_settings(store, library_code)
        progress("circulation", 0, None)
        fold.rebuild_circulation(store)
        bootstrap_install.reindex(store, progress)
    finally:
        store.close()
    return counts
