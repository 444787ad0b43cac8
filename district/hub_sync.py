"""The device protocol at the hub: reads on read connections, writes on the one writer.

:class:`sync.service.SyncService` answers one request over one Library and serialises
its work with its own lock. The hub runs several of them: one over the writer
(``District.library``, sharing ``District.lock``) for pushes, enrolments and pairings,
and a small pool over read connections for pulls, hellos and snapshots, which
therefore never wait for a push being applied. All of them share one nonce cache and
one set of rate limits, so a request replayed to another thread is still refused.

After a push that stored events the writer catches up the hub's derived tables (union
keys, OAI datestamps: :func:`district.received.catch_up`) before it answers, so the
datestamp a harvester sees is when the hub received the change.

Every commit on the writer is an fsync, so a push is one transaction: the device's
``last_seen``, the batch, its reported status, and the ``last_seen`` of the devices
that only pulled since (a pull on a read connection notes it in :class:`Seen` instead
of waiting for the writer; the hub's background round writes those too). A late push
refolds only its own libraries (:mod:`district.refold`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from district.pool import Pool, read_library
from district.refold import refold as refold_late_push
from kiosk.store.db import Store
from sync import identity, protocol
from sync.service import Response, SyncService

if TYPE_CHECKING:
    from district.app import District

READS = {("GET", protocol.HELLO), ("POST", protocol.PULL), ("GET", protocol.SNAPSHOT)}
READERS = 4


class Seen:
    """When each device was last heard from, kept in memory until the writer writes it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: dict[str, str] = {}

    def note(self, device_id: str, at: str) -> None:
        with self._lock:
            self._pending[device_id] = at

    def flush(self, store: Store) -> int:
        """Write what was noted, inside the caller's transaction (or as one of its own)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if pending:
            with store.transaction():
                store.conn.executemany(
                    "UPDATE devices SET last_seen = MAX(COALESCE(last_seen, ''), ?) "
                    "WHERE device_id = ?", [(at, device) for device, at in pending.items()])
        return len(pending)


class _Writer(SyncService):
    refold = staticmethod(refold_late_push)

    def __init__(self, district: "District", seen: Seen):
        super().__init__(district.library)
        self.district = district
        self.seen = seen
        self._refusals: list | None = None

    def _handle(self, method: str, path: str, headers, body: bytes, data=None) -> Response:
        """A push in one transaction; a refused one leaves only its refusal behind (the
        batch is applied inside the outer transaction, so it is undone to a savepoint)."""
        if (method, path) != ("POST", protocol.PUSH):
            return super()._handle(method, path, headers, body, data)
        store = self.lib.store
        with store.transaction():
            store.execute("SAVEPOINT hub_push")
            self._refusals = []
            try:
                response = super()._handle(method, path, headers, body, data)
                if response.status != 200:
                    store.execute("ROLLBACK TO hub_push")
                store.execute("RELEASE hub_push")
                refusals = self._refusals
            finally:
                self._refusals = None
            for peer, reason in refusals:
                super()._reject(peer, reason)
            self.seen.flush(store)
        return response

    def _reject(self, peer, reason: str) -> None:
        if self._refusals is None:
            super()._reject(peer, reason)
        else:
            self._refusals.append((peer, reason))

    def push(self, peer, data) -> Response:
        response = super().push(peer, data)
        if response.status == 200:
            self.district._catch_up_locked()  # handle() holds self.lock around push
        return response


class _Reader(SyncService):
    """A pull or hello on a read connection: a device the hub knows is noted, not written."""

    def __init__(self, library, seen: Seen):
        super().__init__(library)
        self.seen = seen

    def _seen(self, device: identity.RegisteredDevice) -> None:
        if self.lib.store.one("SELECT 1 FROM devices WHERE device_id = ?",
                              (device.device_id,)) is None:
            super()._seen(device)  # first contact: the fleet page lists it at once
        else:
            self.seen.note(device.device_id, self.lib.now_iso())


class HubSync:
    """``handle`` like :class:`SyncService`, routed to a reader or the writer."""

    def __init__(self, district: "District", readers: int = READERS):
        self.seen = Seen()
        self.writer = _Writer(district, self.seen)
        self.lock = self.writer.lock
        self.limits = self.writer.limits
        self.nonces = self.writer.nonces
        library = district.library
        self.readers = Pool(lambda: self._reader(district.path, library.clock), readers)
        self.reader_count = readers

    def _reader(self, path, clock) -> SyncService:
        service = _Reader(read_library(path, clock, query_only=False), self.seen)
        service.limits = self.limits
        service.nonces = self.nonces
        return service

    @property
    def lib(self):
        return self.writer.lib

    def handle(self, method: str, path: str, headers, body: bytes, client: str = "") -> Response:
        if (method, path) in READS:
            with self.readers.take() as service:
                return service.handle(method, path, headers, body, client)
        return self.writer.handle(method, path, headers, body, client)
