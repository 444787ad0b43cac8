"""The web pages' gate: who the client is, the session cookie, Origin and CSRF checks.

A pure ASGI middleware in front of every page (the device protocol under ``/sync/`` is
signed per request and carries no cookie, so it is not a browser's business here).
For every request it works out the client's address and scheme (believing
``X-Forwarded-For``/``X-Forwarded-Proto`` only from the proxies named in
:class:`WebSettings`), makes sure the browser has a session-cookie token and exposes
it, with its CSRF token, as ``request.state.web``. A state-changing request (anything
but GET/HEAD/OPTIONS) is refused with a 403 page and never reaches a route when its
``Origin`` (or, without one, its ``Referer``) is another origin than the hub's, or when
it lacks the form's ``csrf_token`` (or an ``X-CSRF-Token`` header). Cookies are
HttpOnly, SameSite=Lax and, when the request came over HTTPS, Secure.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

from district.web import sessions

log = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
EXEMPT_PREFIXES = ("/sync/",)
READ_ONLY_POSTS = {"/oai"}  # OAI-PMH allows a POST of the same read-only query
MAX_FORM_BYTES = 256 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"
_MULTIPART_TOKEN = re.compile(rb'name="csrf_token"\r\n\r\n([A-Za-z0-9_.=-]{1,200})\r\n')
OTHER_ORIGIN = ("Yêu cầu bị từ chối: nó được gửi từ một trang web khác, không phải từ trang "
                "của máy chủ này. Không có gì bị thay đổi.")
BAD_TOKEN = ("Yêu cầu bị từ chối: biểu mẫu đã hết hạn hoặc không hợp lệ. Xin tải lại trang "
             "rồi thử lại. Không có gì bị thay đổi.")
TOO_BIG = "Yêu cầu quá lớn."


@dataclass(frozen=True)
class WebSettings:
    """How the hub is reached, declared once and passed to ``create_app``.

    ``trusted_proxies``: addresses of the reverse proxies (a TLS-terminating nginx or
    Caddy) whose ``X-Forwarded-Proto``/``X-Forwarded-For`` are believed; the proxy must
    pass the ``Host`` header through. Empty (the default) believes no such header, so
    cookies are Secure only when the hub itself serves HTTPS. ``district serve
    --behind-https [--proxy ADDR]`` sets it, as do ``$DISTRICT_BEHIND_HTTPS=1`` and
    ``$DISTRICT_TRUSTED_PROXIES`` (comma-separated; default ``127.0.0.1,::1``).
    """

    trusted_proxies: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, behind_https: bool | None = None,
             proxies: list[str] | None = None) -> "WebSettings":
        behind_https = behind_https or os.environ.get("DISTRICT_BEHIND_HTTPS", "") in (
            "1", "yes", "true")
        if not behind_https:
            return cls()
        if not proxies:
            proxies = os.environ.get("DISTRICT_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
        return cls(frozenset(p.strip() for p in proxies if p.strip()))


@dataclass
class WebContext:
    """What a route knows of the browser; routes change cookies only through it."""

    client: str
    scheme: str
    token: str
    csrf_token: str
    device_cookie: str | None
    secret: bytes = field(repr=False)
    cookies: list[str] = field(default_factory=list)

    @property
    def secure(self) -> bool:
        return self.scheme == "https"

    def cookie(self, name: str, value: str, max_age: int | None = None, path: str = "/") -> None:
        parts = [f"{name}={value}", f"Path={path}", "HttpOnly", "SameSite=Lax"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if self.secure:
            parts.append("Secure")
        self.cookies = [c for c in self.cookies if not c.startswith(name + "=")]
        self.cookies.append("; ".join(parts))

    def _switch(self, token: str, max_age: int | None) -> None:
        self.token, self.csrf_token = token, sessions.csrf_token(self.secret, token)
        self.cookie(sessions.COOKIE, token, max_age)

    def begin_session(self, token: str) -> None:
        """Switch the browser to a logged-in session's token (a new one: no fixation)."""
        self._switch(token, int(sessions.LIFETIME.total_seconds()))

    def end_session(self) -> None:
        """Back to an anonymous token (the session's row is deleted by the caller)."""
        self._switch(sessions.new_token(), None)

    def remember_device(self, username: str) -> None:
        self.cookie(sessions.DEVICE_COOKIE, sessions.device_token(self.secret, username),
                    int(sessions.DEVICE_LIFETIME.total_seconds()), path="/quan-tri")

    def known_device(self, username: str) -> str | None:
        return sessions.device_key(self.secret, username, self.device_cookie)


def _origin(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return f"{scheme}://{netloc}"


def _source(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return _origin(parts.scheme, parts.netloc)


class WebGuard:
    def __init__(self, app, settings: WebSettings, secret: bytes):
        self.app = app
        self.settings = settings
        self.secret = secret

    def _context(self, request: Request) -> WebContext:
        client = request.client.host if request.client else "?"
        scheme = request.url.scheme
        if client in self.settings.trusted_proxies:
            forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
            if forwarded in ("http", "https"):
                scheme = forwarded
            chain = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
            if chain[-1]:
                client = chain[-1]
        token = request.cookies.get(sessions.COOKIE)
        fresh = not sessions.looks_like_token(token)
        if fresh:
            token = sessions.new_token()
        web = WebContext(client, scheme, token, sessions.csrf_token(self.secret, token),
                         request.cookies.get(sessions.DEVICE_COOKIE), self.secret)
        if fresh:
            web.cookie(sessions.COOKIE, token)
        return web

    def _same_origin(self, request: Request, web: WebContext) -> bool:
        own = _origin(web.scheme, request.headers.get("host", ""))
        origin = request.headers.get("origin")
        if origin is not None:
            return _source(origin) == own
        referer = request.headers.get("referer")
        if referer is not None:
            return _source(referer) == own
        return True  # not a browser (browsers send Origin on every POST); the token decides

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        web = self._context(request)
        scope.setdefault("state", {})["web"] = web
        method = scope["method"]
        if method not in SAFE_METHODS and not (
                method == "POST" and scope["path"] in READ_ONLY_POSTS):
            if not self._same_origin(request, web):
                log.warning("refused a %s from another origin", method)
                await self._refuse(scope, receive, send, 403, OTHER_ORIGIN)
                return
            body = await _read_body(request, receive)
            if body is None:
                await self._refuse(scope, receive, send, 413, TOO_BIG)
                return
            offered = request.headers.get("x-csrf-token")
            if request.headers.get("content-type", "").split(";")[0].strip() == FORM_TYPE:
                offered = dict(parse_qsl(body.decode("utf-8", "replace"))).get(
                    "csrf_token", offered)
            elif request.headers.get("content-type", "").startswith("multipart/form-data"):
                field = _MULTIPART_TOKEN.search(body)  # a file upload's form (bundles)
                offered = field.group(1).decode("ascii", "replace") if field else offered
            if not sessions.csrf_matches(self.secret, web.token, offered):
                log.warning("refused a %s without a valid CSRF token", method)
                await self._refuse(scope, receive, send, 403, BAD_TOKEN)
                return
            receive = _replay(body, receive)

        async def send_with_cookies(message):
            if message["type"] == "http.response.start" and web.cookies:
                message = {**message, "headers": [
                    *message.get("headers", []),
                    *((b"set-cookie", c.encode("latin-1")) for c in web.cookies)]}
            await send(message)

        await self.app(scope, receive, send_with_cookies)

    async def _refuse(self, scope, receive, send, status: int, message: str) -> None:
        district = scope["app"].state.district
        page = district.render(Request(scope), "refused.html", status, message=message)
        await page(scope, receive, send)


async def _read_body(request: Request, receive) -> bytes | None:
    """The whole body, or None past ``MAX_FORM_BYTES`` (checked while it streams in)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
