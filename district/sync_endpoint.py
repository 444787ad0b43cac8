"""The device protocol on the hub: ``/sync/v1/{endpoint}`` over FastAPI.

The route itself is thin (``district/app.py``); this is what it does. The body is
streamed under the endpoint's cap (:func:`sync.protocol.body_limit`: 256 KB for what
anyone may send, 16 MB for a signed push) and refused with 413 before it is read whole;
then :meth:`sync.service.SyncService.handle` runs in a worker thread, never on the event
loop, so decoding, signature checks and applying a batch cannot freeze the OPAC. Sync
requests get their own few threads (:data:`SYNC_THREADS`): twenty devices waiting for
the database lock never take the threads the pages need.
"""

from __future__ import annotations

import functools

import anyio
import anyio.to_thread
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from district.limits import BodyRefused, declared_length, read_body
from sync import protocol
from sync.service import SyncService

SYNC_THREADS = 4


def refusal(status: int, message: str) -> Response:
    """An error in the protocol's own shape (gzip JSON ``{"error": ...}``), closing the
    connection so the rest of a refused body is never read."""
    return Response(protocol.encode({"error": message}), status,
                    {"Content-Type": "application/json", "Content-Encoding": "gzip",
                     "Connection": "close"})


class SyncEndpoint:
    def __init__(self, service: SyncService, threads: int = SYNC_THREADS):
        self.service = service
        self.threads = threads
        self._limiter: anyio.CapacityLimiter | None = None

    def _workers(self) -> anyio.CapacityLimiter:
        if self._limiter is None:  # made inside the event loop that will use it
            self._limiter = anyio.CapacityLimiter(self.threads)
        return self._limiter

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
        reply = await anyio.to_thread.run_sync(handle, limiter=self._workers())
        return Response(reply.body, reply.status, reply.headers)
