"""Serving the sync endpoints from a kiosk or counter with the standard library."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sync import protocol
from sync.service import SyncService

log = logging.getLogger(__name__)


def make_handler(service: SyncService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "thuvien-sync/1"
        protocol_version = "HTTP/1.1"  # keep-alive: one round trip less per batch on slow links
        timeout = 60

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > protocol.MAX_BODY:
                self.send_error(413, "request too large")
                return
            body = self.rfile.read(length) if length else b""
            response = service.handle(method, self.path, self.headers, body)
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args) -> None:  # requests carry no personal data
            log.debug("%s %s", self.address_string(), format % args)

    return Handler


class SyncServer:
    """A threaded HTTP server for one node; ``port=0`` picks a free port."""

    def __init__(self, service: SyncService, host: str = "0.0.0.0", port: int = 0):
        self.httpd = ThreadingHTTPServer((host, port), make_handler(service))
        self.httpd.daemon_threads = True
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
