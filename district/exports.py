"""Open-data catalogue files, built in the background from a read transaction.

A MARCXML export of a province's catalogue takes minutes; built inside a request
under the database lock it froze the hub. Here each file is built by a worker thread
on a connection of its own, inside one read transaction (a consistent snapshot that
never blocks the writer), into a folder of finished files; a download is then a
plain file response. A file is rebuilt when the catalogue has changed since it was
made (the newest OAI stamp says so) and it is older than :data:`FRESH_SECONDS`; until
the new one is ready the previous file is served. A hub that has no file yet waits
up to :data:`WAIT_SECONDS` (in the threadpool, not the event loop) and otherwise
answers "being prepared, come back shortly".
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from district import catalogue_data
from district.pool import read_library
from kiosk.io.marc_export import export_marc
from kiosk.store.eventlog import WallClock

log = logging.getLogger(__name__)
FRESH_SECONDS = 3600.0
WAIT_SECONDS = 20.0
FORMATS = {  # format: (file name, media type)
    "csv": ("thu-muc.csv", "text/csv; charset=utf-8"),
    "json": ("thu-muc.json", "application/json"),
    "mrc": ("thu-muc.mrc", "application/marc"),
    "xml": ("thu-muc-marcxml.xml", "application/marcxml+xml"),
}


@dataclass
class Built:
    path: Path
    generation: tuple
    at: float


class Exports:
    def __init__(self, db_path: str | Path, clock: WallClock, folder: str | Path | None = None):
        self.db_path = db_path
        self.clock = clock
        self.folder = Path(folder or tempfile.mkdtemp(prefix="district-exports-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._built: dict[str, Built] = {}
        self._building: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def _generation(self, store) -> tuple:
        return tuple(store.one(
            "SELECT (SELECT MAX(seq) FROM district_oai_records), (SELECT COUNT(*) FROM records)"))

    def file(self, fmt: str, generation: tuple, wait: float = WAIT_SECONDS) -> Path | None:
        """The newest finished file of ``fmt``; starts a rebuild when it is stale."""
        with self._lock:
            built = self._built.get(fmt)
            stale = built is None or (built.generation != generation
                                      and time.monotonic() - built.at > FRESH_SECONDS)
            done = self._building.get(fmt)
            if stale and done is None:
                done = self._building[fmt] = threading.Event()
                threading.Thread(target=self._build, args=(fmt, done), daemon=True,
                                 name=f"district-export-{fmt}").start()
        if built is not None:
            return built.path
        if done is not None:
            done.wait(wait)
        with self._lock:
            built = self._built.get(fmt)
        return built.path if built else None

    def _build(self, fmt: str, done: threading.Event) -> None:
        name = FORMATS[fmt][0]
        started = time.monotonic()
        library = read_library(self.db_path, self.clock)
        try:
            store = library.store
            store.execute("BEGIN")  # one snapshot for the whole file
            generation = self._generation(store)
            target = self.folder / f"{generation[0] or 0}-{name}"
            partial = target.with_name(target.name + ".partial")
            if fmt in ("mrc", "xml"):
                export_marc(library, partial, xml=fmt == "xml")
            else:
                data = (catalogue_data.catalogue_csv(store) if fmt == "csv"
                        else catalogue_data.catalogue_json(store))
                partial.write_bytes(data)
            store.execute("COMMIT")
            os.replace(partial, target)
            with self._lock:
                old = self._built.get(fmt)
                self._built[fmt] = Built(target, generation, time.monotonic())
            if old is not None and old.path != target:
                old.path.unlink(missing_ok=True)
            log.info("open-data file %s built in %.1f s", name, time.monotonic() - started)
        except Exception:  # noqa: BLE001 - logged; the next download starts another build
            log.exception("building the open-data file %s failed", name)
        finally:
            library.store.close()
            with self._lock:
                self._building.pop(fmt, None)
            done.set()
