"""Serving bootstrap files: built in the background, served in ranges, never on the
request path.

``GET /sync/v1/snapshot`` (signed) answers with the manifest of the newest file of the
device's partition (its SHA-256, size and floor), or ``202`` with ``Retry-After`` while
the first one is being made; ``GET /sync/v1/bootstrap`` (signed) with
``X-Kiosk-Bootstrap: SHA256`` and ``Range: bytes=A-B`` answers with those bytes of that
file (``206``), at most :data:`MAX_CHUNK`, so a cut download resumes where it stopped and
no request holds more than a chunk in memory. A file is made from a read transaction of
its own connection (WAL: sync and pages go on writing) in a thread of its own, and kept
beside the database (``<db>.bootstrap/``) until a newer one replaces it; the one before is
kept too, so a download that started on it can finish. A file a few hours old is fine:
the device syncs the rest from the floor the file states.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from pathlib import Path

from sync import bootstrap

log = logging.getLogger(__name__)

MAX_CHUNK = 256 * 1024
MAX_AGE_S = 6 * 3600
KEEP = 2
SHA_HEADER = "X-Kiosk-Bootstrap"
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")
_SHA = re.compile(r"^[0-9a-f]{64}$")


def key_of(partitions: set[str] | None) -> str:
    if partitions is None:
        return "all"
    return "+".join(sorted("shared" if p == "*" else p for p in partitions))


class BootstrapFiles:
    """The bootstrap files of one database, one current file per partition."""

    def __init__(self, db_path: str | Path, *, max_age_s: float = MAX_AGE_S,
                 clock=time.time):
        self.db_path = Path(db_path)
        self.folder = Path(str(db_path) + ".bootstrap")
        self.max_age_s = max_age_s
        self.clock = clock
        self._lock = threading.Lock()
        self._building: dict[str, threading.Thread] = {}

    def _manifests(self, key: str, *, stale: bool = False) -> list[dict]:
        """The files of ``key`` in this format version, newest first (``stale``: those
        of other versions, made before an upgrade: never served, pruned)."""
        found = []
        for path in self.folder.glob(f"{key}-*.json"):
            try:
                manifest = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if (manifest.get("version") != bootstrap.VERSION) == stale:
                found.append(manifest)
        return sorted(found, key=lambda m: m["created"], reverse=True)

    def manifest(self, partitions: set[str] | None, library: str | None = None,
                 live: dict[str, int] | None = None) -> dict | None:
        """The newest file's manifest if it is current; None while a current one is made.

        A file is current when its floor is ``live`` (the partition's vector now), or when
        it was finished moments ago (twice its build time): a device then syncs the few
        events since, and a busy partition cannot keep a new device waiting for ever. A
        file older than :attr:`max_age_s` is replaced in the background but still served.
        """
        key = key_of(partitions)
        with self._lock:
            current = next(iter(self._manifests(key)), None)
            if current is None:
                self._start(key, partitions, library)
                return None
            age = self.clock() - current["created"]
            settled = live is None or current.get("floors") == live
            if not settled and age > 2 * float(current.get("seconds", 0)) + 2:
                self._start(key, partitions, library)
                return None
            if age > self.max_age_s:
                self._start(key, partitions, library)
        return current

    def build_now(self, partitions: set[str] | None, library: str | None = None) -> dict:
        """Make a file in this thread (CLI commands, tests); returns its manifest."""
        return self._make(key_of(partitions), partitions, library)

    def wait(self, timeout: float = 60.0) -> None:
        """Until the background builds finish (tests, shutdown)."""
        for thread in list(self._building.values()):
            thread.join(timeout)

    def _start(self, key: str, partitions: set[str] | None, library: str | None) -> None:
        if key in self._building and self._building[key].is_alive():
            return

        def run() -> None:
            try:
                self._make(key, partitions, library)
            except Exception:  # noqa: BLE001 - logged; the next request starts another
                log.exception("making the bootstrap file of %s failed", key)

        thread = threading.Thread(target=run, name=f"bootstrap-{key}", daemon=True)
        self._building[key] = thread
        thread.start()

    def _make(self, key: str, partitions: set[str] | None, library: str | None) -> dict:
        self.folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        scratch = self.folder / f".{key}-{threading.get_ident()}.kboot"
        made = bootstrap.make(self.db_path, partitions, scratch, library=library)
        path = self.folder / f"{key}-{made.sha256}{bootstrap.SUFFIX}"
        scratch.replace(path)
        manifest = {"format": bootstrap.FORMAT, "version": bootstrap.VERSION,
                    "sha256": made.sha256, "size": made.size, "floors": made.floors,
                    "rows": made.rows, "created": self.clock(), "partition": key,
                    "seconds": round(time.perf_counter() - started, 2)}
        temp = path.with_suffix(".json.tmp")
        temp.write_text(json.dumps(manifest))
        temp.replace(path.with_suffix(".json"))
        log.info("bootstrap file of %s made: %d bytes in %.1f s", key, made.size,
                 time.perf_counter() - started)
        self._prune(key)
        return manifest

    def _prune(self, key: str) -> None:
        with self._lock:
            for old in self._manifests(key)[KEEP:] + self._manifests(key, stale=True):
                for suffix in (".json", bootstrap.SUFFIX):
                    (self.folder / f"{key}-{old['sha256']}{suffix}").unlink(missing_ok=True)

    def chunk(self, partitions: set[str] | None, sha: str, range_header: str
              ) -> tuple[int, bytes, dict[str, str]]:
        """``(status, body, headers)`` for a ranged read of the file ``sha``."""
        if not _SHA.match(sha or ""):
            return 400, b"", {}
        path = self.folder / f"{key_of(partitions)}-{sha}{bootstrap.SUFFIX}"
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return 410, b"", {}
        match = _RANGE.match((range_header or "").strip())
        start = int(match.group(1)) if match else 0
        end = int(match.group(2)) if match and match.group(2) else size - 1
        end = min(end, size - 1, start + MAX_CHUNK - 1)
        if start >= size or end < start:
            return 416, b"", {"Content-Range": f"bytes */{size}"}
        with open(path, "rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        return 206, body, {"Content-Type": "application/octet-stream",
                           "Content-Range": f"bytes {start}-{end}/{size}",
                           SHA_HEADER: sha}
