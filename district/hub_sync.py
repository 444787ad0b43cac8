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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from district.pool import Pool, read_library
from sync import protocol
from sync.service import Response, SyncService

if TYPE_CHECKING:
    from district.app import District

READS = {("GET", protocol.HELLO), ("POST", protocol.PULL), ("GET", protocol.SNAPSHOT)}
READERS = 4


class _Writer(SyncService):
    def __init__(self, district: "District"):
        super().__init__(district.library)
        self.district = district

    def push(self, peer, data) -> Response:
        response = super().push(peer, data)
        if response.status == 200:
            self.district._catch_up_locked()  # handle() holds self.lock around push
        return response


class HubSync:
    """``handle`` like :class:`SyncService`, routed to a reader or the writer."""

    def __init__(self, district: "District", readers: int = READERS):
        self.writer = _Writer(district)
        self.lock = self.writer.lock
        self.limits = self.writer.limits
        self.nonces = self.writer.nonces
        library = district.library
        self.readers = Pool(lambda: self._reader(district.path, library.clock), readers)
        self.reader_count = readers

    def _reader(self, path, clock) -> SyncService:
        service = SyncService(read_library(path, clock, query_only=False))
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
