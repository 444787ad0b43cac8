"""Serving the sync endpoints from a kiosk or counter with the standard library.

The LAN is not a trusted network (a patron's phone shares the library's Wi-Fi), so the
server bounds what one client can hold: a body must declare its length and stay under
the endpoint's cap (:func:`sync.protocol.body_limit`) before any of it is read; chunked
bodies are refused; the request line and headers must arrive within
:data:`HEADER_SECONDS` and the body at :data:`MIN_BYTES_PER_SECOND` (a slow-loris client
is cut off, however it trickles); and at most :data:`MAX_CONNECTIONS` connections are
served at once, :data:`MAX_PER_CLIENT` from one address.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sync import protocol
from sync.service import SyncService

log = logging.getLogger(__name__)

HEADER_SECONDS = 20.0         # from waiting for a request (keep-alive idle included) to its headers
BODY_GRACE_SECONDS = 20.0
MIN_BYTES_PER_SECOND = 16 * 1024   # a 16 MB push over the slowest link we plan for
WRITE_SECONDS = 60.0
MAX_CONNECTIONS = 32
MAX_PER_CLIENT = 8
LINGER_SECONDS = 1.0          # after refusing a body, read (and drop) a little of it...
LINGER_BYTES = 1024 * 1024    # ...so the client reads our answer before the connection resets
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 5\r\n"
         b"Connection: close\r\n\r\n")


class _DeadlineReader:
    """The handler's ``rfile``: every read waits at most what is left of the deadline,
    so a client that sends one byte at a time cannot keep a request open past it."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.deadline = time.monotonic() + HEADER_SECONDS
        self.closed = False

    def arm(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def _fill(self) -> bool:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("request too slow")
        self.sock.settimeout(remaining)
        data = self.sock.recv(64 * 1024)
        if not data:
            return False
        self.buffer += data
        return True

    def _take(self, n: int) -> bytes:
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

    def readline(self, limit: int = -1) -> bytes:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0 and (limit < 0 or end < limit):
                return self._take(end + 1)
            if 0 <= limit <= len(self.buffer):
                return self._take(limit)
            if not self._fill():
                return self._take(len(self.buffer))

    def read(self, n: int) -> bytes:
        while len(self.buffer) < n and self._fill():
            pass
        return self._take(n)

    def drain(self, max_bytes: int, seconds: float) -> None:
        """Read and drop what the client still sends, up to ``max_bytes`` or ``seconds``."""
        self.arm(seconds)
        dropped = len(self.buffer)
        self.buffer.clear()
        try:
            while dropped < max_bytes and self._fill():
                dropped += len(self.buffer)
                self.buffer.clear()
        except (TimeoutError, OSError):
            pass

    def close(self) -> None:
        self.closed = True


def make_handler(service: SyncService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "thuvien-sync/1"
        protocol_version = "HTTP/1.1"  # keep-alive: one round trip less per batch on slow links
        timeout = WRITE_SECONDS

        def setup(self) -> None:
            super().setup()
            self._socket_file = self.rfile
            self.rfile = _DeadlineReader(self.connection)

        def finish(self) -> None:
            try:
                super().finish()
            finally:
                self._socket_file.close()

        def handle_one_request(self) -> None:
            self.rfile.arm(HEADER_SECONDS)
            super().handle_one_request()

        def handle_expect_100(self) -> bool:
            """No "100 Continue" for a body that will be refused anyway."""
            declared = self.headers.get("Content-Length", "")
            cap, _ = protocol.body_limit(self.path)
            if declared.isdigit() and int(declared) > cap:
                self._refuse(413, protocol.too_large_message(cap))
                return False
            return super().handle_expect_100()

        def _body(self, method: str) -> bytes | None:
            """The request body, or None when it was refused (the answer is sent)."""
            if self.headers.get("Transfer-Encoding"):
                self._refuse(411, "không nhận Transfer-Encoding: hãy gửi kèm Content-Length")
                return None
            declared = self.headers.get("Content-Length")
            if declared is None:
                if method == "POST":
                    self._refuse(411, "thiếu Content-Length")
                    return None
                return b""
            if not declared.isdigit() or len(declared) > 12:
                self._refuse(400, "Content-Length không hợp lệ")
                return None
            length, (cap, _) = int(declared), protocol.body_limit(self.path)
            if length > cap:
                self._refuse(413, protocol.too_large_message(cap))
                return None
            self.rfile.arm(BODY_GRACE_SECONDS + length / MIN_BYTES_PER_SECOND)
            try:
                body = self.rfile.read(length)
            except (TimeoutError, OSError):
                body = b""
            if len(body) < length:  # too slow, or gone: nobody is left to answer
                log.info("sync request cut off: body incomplete")
                self.close_connection = True
                return None
            return body

        def _refuse(self, status: int, message: str) -> None:
            self._send(status, protocol.encode({"error": message}),
                       {"Content-Type": "application/json", "Content-Encoding": "gzip",
                        "Connection": "close"})
            self.close_connection = True
            self._linger()

        def _linger(self) -> None:
            """Half-close and drop a little of what the client is still sending, so our
            answer reaches it instead of a reset; bounded in bytes and time."""
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                return
            self.rfile.drain(LINGER_BYTES, LINGER_SECONDS)

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.connection.settimeout(WRITE_SECONDS)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _serve(self, method: str) -> None:
            body = self._body(method)
            if body is None:
                return
            try:
                response = service.handle(method, self.path, self.headers, body,
                                          client=self.client_address[0])
            except Exception:
                log.exception("sync request %s %s failed", method, self.path)
                self.close_connection = True
                self._send(500, protocol.encode({"error": "lỗi máy chủ đồng bộ: xem nhật ký"}),
                           {"Content-Type": "application/json", "Content-Encoding": "gzip",
                            "Connection": "close"})
                return
            self._send(response.status, response.body, response.headers)

        def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args) -> None:  # requests carry no personal data
            log.debug("%s %s", self.address_string(), format % args)

    return Handler


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, but only so many connections, and so many per address."""

    daemon_threads = True

    def __init__(self, address, handler, max_connections: int = MAX_CONNECTIONS,
                 max_per_client: int = MAX_PER_CLIENT):
        super().__init__(address, handler)
        self.max_connections = max_connections
        self.max_per_client = max_per_client
        self._active: dict[str, int] = {}
        self._active_lock = threading.Lock()

    def _enter(self, client: str) -> bool:
        with self._active_lock:
            if (sum(self._active.values()) >= self.max_connections
                    or self._active.get(client, 0) >= self.max_per_client):
                return False
            self._active[client] = self._active.get(client, 0) + 1
            return True

    def _leave(self, client: str) -> None:
        with self._active_lock:
            self._active[client] -= 1
            if not self._active[client]:
                del self._active[client]

    def process_request(self, request, client_address) -> None:
        client = client_address[0]
        if not self._enter(client):
            log.warning("sync connection refused: too many open")
            try:
                request.settimeout(1.0)
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._leave(client)
            raise

    def handle_error(self, request, client_address) -> None:
        """A client that resets or vanishes is routine on a LAN: no traceback for that."""
        if isinstance(sys.exc_info()[1], OSError):
            log.debug("sync connection ended: %s", sys.exc_info()[1])
        else:
            log.exception("sync connection failed")

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._leave(client_address[0])


class SyncServer:
    """A threaded HTTP server for one node; ``port=0`` picks a free port."""

    def __init__(self, service: SyncService, host: str = "0.0.0.0", port: int = 0, *,
                 max_connections: int = MAX_CONNECTIONS, max_per_client: int = MAX_PER_CLIENT):
        self.httpd = _BoundedServer((host, port), make_handler(service), max_connections,
                                    max_per_client)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def start(self) -> None:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="sync-server",
                                        daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
