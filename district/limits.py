"""Request bodies on the hub: capped while they stream in, never read whole first.

:func:`read_body` is shared by the device protocol route (``district/sync_endpoint.py``,
caps from :func:`sync.protocol.body_limit`) and :class:`BodyLimit`, the ASGI wrapper that
gives every other route (the admin and OPAC forms) a 1 MB cap. A declared
``Content-Length`` over the cap is refused before a byte of the body is read; a chunked
body is counted as it arrives and refused one chunk past the cap; a body that trickles
in slower than :data:`MIN_BYTES_PER_SECOND` is cut off. A refusal closes the connection,
so the server never has to swallow the rest of what the client meant to send.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from sync import protocol

MAX_FORM_BODY = 1024 * 1024
GRACE_SECONDS = 20.0
MIN_BYTES_PER_SECOND = 16 * 1024


class BodyRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class ClientGone(Exception):
    """The client disconnected while sending: there is nobody left to answer."""


def declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    if not value.isdigit() or len(value) > 12:
        raise BodyRefused(400, "Content-Length không hợp lệ")
    return int(value)


async def read_body(chunks: AsyncIterator[bytes], declared: int | None, cap: int) -> bytes:
    """The whole body from ``chunks``, or :class:`BodyRefused` as soon as it is over
    ``cap`` (413) or too slow (408)."""
    if declared is not None and declared > cap:
        raise BodyRefused(413, protocol.too_large_message(cap))
    body = bytearray()
    try:
        with anyio.fail_after(GRACE_SECONDS + (declared or cap) / MIN_BYTES_PER_SECOND):
            async for chunk in chunks:
                body += chunk
                if len(body) > cap:
                    raise BodyRefused(413, protocol.too_large_message(cap))
    except TimeoutError:
        raise BodyRefused(408, "dữ liệu gửi lên quá chậm: kết nối bị cắt") from None
    return bytes(body)


async def receive_chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


class BodyLimit:
    """ASGI wrapper: a body over ``cap`` gets a 413 before the app sees the request.

    Paths under ``exempt`` (the device protocol, which caps each endpoint itself and
    streams pushes of up to 16 MB) pass through untouched, as do requests without a body.
    A body within the cap is read here and handed on whole.
    """

    def __init__(self, app: ASGIApp, cap: int = MAX_FORM_BODY,
                 exempt: tuple[str, ...] = (protocol.PREFIX + "/",)):
        self.app = app
        self.cap = cap
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if headers.get("content-length") in (None, "0") and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        try:
            body = await read_body(receive_chunks(receive), declared_length(headers), self.cap)
        except BodyRefused as exc:
            text = exc.message[:1].upper() + exc.message[1:] + ". Không có gì bị thay đổi."
            await PlainTextResponse(text, exc.status,
                                    headers={"Connection": "close"})(scope, receive, send)
            return
        except ClientGone:
            return
        delivered = False

        async def replay():
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
