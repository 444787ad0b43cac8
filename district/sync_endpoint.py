"""The device protocol on the hub: ``/sync/v1/{endpoint}`` over FastAPI.

The route itself is thin (``district/app.py``); this is what it does. The body is
streamed under the endpoint's cap (:func:`sync.protocol.body_limit`: 256 KB for what
anyone may send, 16 MB for a signed push) and refused with 413 before it is read whole;
then the hub's sync service (``district/hub_sync.py``) runs in a worker thread, never on
the event loop, so decoding, signature checks and applying a batch cannot freeze the
OPAC. Sync requests get their own threads, apart from the pages': pulls, hellos and
snapshots as many as the service has read connections, writes (pushes, enrolment,
pairing) :data:`WRITE_THREADS`, since only one of them holds the writer at a time:
two hundred devices pushing never take the threads the pages or the pulls need.
"""

from __future__ import annotations

import functools

import anyio
import anyio.to_thread
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from district.hub_sync import READS
from district.limits import BodyRefused, declared_length, read_body
from sync import protocol

SYNC_THREADS = 4
WRITE_THREADS = 2


def refusal(status: int, message: str) -> Response:
    """An error in the protocol's own shape (gzip JSON ``{"error": ...}``), closing the
    connection so the rest of a refused body is never read."""
    return Response(protocol.encode({"error": message}), status,
                    {"Content-Type": "application/json", "Content-Encoding": "gzip",
                     "Connection": "close"})


class SyncEndpoint:
    def __init__(self, service, threads: int | None = None):
        self.service = service
        self.threads = threads or getattr(service, "reader_count", SYNC_THREADS)
        self._limiters: dict[bool, anyio.CapacityLimiter] = {}

    def _workers(self, method: str, path: str) -> anyio.CapacityLimiter:
        read = (method, path) in READS
        if read not in self._limiters:  # made inside the event loop that will use them
            self._limiters[read] = anyio.CapacityLimiter(self.threads if read else WRITE_THREADS)
        return self._limiters[read]

    async def __call__(self, request: Request) -> Response:
        path = request.url.path
        cap, _ = protocol.body_limit(path)
        try:
            body = await read_body(request.stream(), declared_length(request.headers), cap)
        except BodyRefused as exc:
            return refusal(exc.status, exc.message)
        except ClientDisconnect:
            return Response(status_code=400)  # nobody left to read it
        client = request.client.host if request.client else ""
        handle = functools.partial(self.service.handle, request.method, path, request.headers,
                                   body, client)
        reply = await anyio.to_thread.run_sync(handle, limiter=self._workers(request.method, path))
        return Response(reply.body, reply.status, reply.headers)
