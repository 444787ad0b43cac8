"""Recording fake printers that speak the real wire format.

`FakePrinterModel` is the printer: it scans the incoming ESC/POS stream, records what it would
print, and answers DLE EOT status queries from its simulated paper state. `FakeNetworkPrinter`
puts it behind a real loopback TCP socket (port 9100 style) so tests exercise the real network
connection; `FakeConnection` is the same model in memory, for `fake:` URIs and demos.
"""

from __future__ import annotations

import logging
import socket
import threading

from .connection import PrinterIOError, PrinterUnavailable
from .stream import scan

log = logging.getLogger(__name__)

PAPER_STATES = ("ok", "low", "out")
_FIXED = 0x12


class FakePrinterModel:
    """A thread-safe simulated ESC/POS printer."""

    def __init__(self, *, answers_status: bool = True) -> None:
        self.answers_status = answers_status
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._paper = "ok"
        self._cuts = 0
        self._received = bytearray()
        self._printed = bytearray()
        self._pending = bytearray()

    @property
    def paper(self) -> str:
        with self._lock:
            return self._paper

    def set_paper(self, state: str) -> None:
        if state not in PAPER_STATES:
            raise ValueError(f"paper state must be one of {PAPER_STATES}, got {state!r}")
        with self._lock:
            self._paper = state

    @property
    def received(self) -> bytes:
        """Every byte that arrived, status queries included."""
        with self._lock:
            return bytes(self._received)

    @property
    def printed(self) -> bytes:
        """The commands the printer acted on with paper loaded (status queries excluded)."""
        with self._lock:
            return bytes(self._printed)

    def status_byte(self, n: int) -> int:
        """The answer to DLE EOT n for the current paper state."""
        out = self._paper == "out"
        if n == 1:
            return _FIXED | (0x08 if out else 0)
        if n == 2:
            return _FIXED | (0x20 if out else 0)
        if n == 4:
            return _FIXED | {"ok": 0x00, "low": 0x0C, "out": 0x6C}[self._paper]
        return _FIXED

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; return what the printer sends back."""
        answer = bytearray()
        with self._lock:
            self._received += data
            self._pending += data
            pos = 0
            while True:
                command, after = scan(self._pending, pos)
                if command is None:
                    break
                if command.name == "status_query":
                    if self.answers_status:
                        answer.append(self.status_byte(command.args[0]))
                elif self._paper != "out":
                    self._printed += self._pending[pos:after]
                    self._cuts += command.name == "cut"
                pos = after
            del self._pending[:pos]
            self._changed.notify_all()
        return bytes(answer)

    @property
    def cuts(self) -> int:
        """How many slips were cut off with paper loaded: one per completed job."""
        with self._lock:
            return self._cuts

    def wait_for_received(self, size: int, timeout: float) -> bool:
        """Block until at least `size` bytes have arrived."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._received) >= size, timeout)

    def wait_for_cuts(self, count: int, timeout: float) -> bool:
        """Block until `count` slips have been cut; the network fake receives asynchronously."""
        with self._changed:
            return self._changed.wait_for(lambda: self._cuts >= count, timeout)


class FakeConnection:
    """An in-memory connection to a FakePrinterModel; `reachable=False` simulates offline."""

    supports_status = True

    def __init__(self, model: FakePrinterModel | None = None, *, reachable: bool = True) -> None:
        self.model = model or FakePrinterModel()
        self.reachable = reachable
        self._open = False
        self._inbox = bytearray()

    def describe(self) -> str:
        return "fake:"

    def open(self) -> None:
        if not self.reachable:
            raise PrinterUnavailable("fake: printer simulated offline")
        self._open = True

    def write(self, data: bytes) -> None:
        if not self._open:
            raise PrinterIOError("fake: connection is not open")
        self._inbox += self.model.feed(data)

    def read(self, size: int, timeout: float) -> bytes:
        if not self._open:
            raise PrinterIOError("fake: connection is not open")
        data = bytes(self._inbox[:size])
        del self._inbox[:size]
        return data

    def discard_input(self) -> None:
        self._inbox.clear()

    def close(self) -> None:
        self._open = False


class FakeNetworkPrinter:
    """A FakePrinterModel listening on 127.0.0.1; can go offline (refuse connections) and back."""

    def __init__(self, model: FakePrinterModel | None = None, port: int = 0) -> None:
        self.model = model or FakePrinterModel()
        self.host = "127.0.0.1"
        self.port = port
        self._listener: socket.socket | None = None
        self._clients: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @property
    def uri(self) -> str:
        return f"tcp:{self.host}:{self.port}"

    @property
    def online(self) -> bool:
        return self._listener is not None

    def start(self) -> FakeNetworkPrinter:
        """Listen (again, on the same port after `go_offline`)."""
        if self._listener is not None:
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept_loop, args=(listener,), daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()
        return self

    def go_offline(self) -> None:
        """Stop listening and drop every connection: clients see resets and refusals."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            clients = list(self._clients)
            self._clients.clear()
        for client in clients:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            client.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=2.0)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]

    def stop(self) -> None:
        self.go_offline()

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    return
                self._clients.add(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            with self._lock:
                self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    return
                answer = self.model.feed(data)
                if answer:
                    client.sendall(answer)
        except OSError as exc:
            log.debug("fake printer connection ended: %s", exc)
        finally:
            with self._lock:
                self._clients.discard(client)
            client.close()
