"""What an attacker sends, and how a test watches a server while it is attacked.

Bodies are built without ``json.dumps`` (which cannot nest 100k deep) and streamed from
generators so a test never holds 300 MB. :func:`send_raw` speaks HTTP/1.1 over a plain
socket: it keeps sending the body while watching for an early answer, the way a server
that refuses a body before reading it is seen by a client. :class:`Watch` polls a page
from a second thread and records how long each answer took.
"""

from __future__ import annotations

import gzip
import os
import select
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

from sync import protocol


def gzip_bomb(inflated: int = 63 * 1024 * 1024) -> bytes:
    """About 65 KB of gzip that inflates to ``inflated`` bytes of ``{"code":[[],[],...]}``:
    parsed, that is twenty million lists, about 1.9 GB of Python objects. Built as gzip
    members (a gzip stream may hold several), one compressed megabyte repeated."""
    unit = b"[]," * (1024 * 1024 // 3)
    member = gzip.compress(unit, compresslevel=9)
    count = inflated // len(unit)
    return (gzip.compress(b'{"code":[', 9) + member * count + gzip.compress(b"[]]}", 9))


def post(url: str, path: str, body: bytes, *, source: str | None = None,
         headers: dict[str, str] | None = None) -> RawReply:
    """One POST with a declared length, from ``source``."""
    return send_raw(url, "POST", path, [body], source=source,
                    headers={"Content-Length": str(len(body)), **(headers or {})})


def address(network: int, i: int) -> str:
    """The ``i``-th client address of loopback network ``network`` (127.N.x.y)."""
    return f"127.{network}.{i // 250}.{1 + i % 250}"


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def zeros(total: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    block = b"\0" * chunk
    sent = 0
    while sent < total:
        piece = block[: min(chunk, total - sent)]
        sent += len(piece)
        yield piece


@dataclass
class RawReply:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int          # body bytes the client managed to send before the answer came
    seconds: float

    def error(self) -> str:
        data = self.body
        if self.headers.get("content-encoding") == "gzip":
            data = zlib.decompress(data, 16 + zlib.MAX_WBITS)
        return protocol.loads(data)["error"] if data.startswith(b"{") else data.decode()


def send_raw(url: str, method: str, path: str, body: Iterable[bytes], *,
             headers: dict[str, str] | None = None, source: str | None = None,
             timeout: float = 30.0) -> RawReply:
    """Send a request whose body comes from ``body`` (chunked unless ``headers`` has a
    Content-Length), stopping as soon as the server answers; returns that answer.
    ``source`` is the client's own loopback address (any of 127.0.0.0/8), so one test can
    be several clients."""
    parts = urlsplit(url)
    headers = {"Host": parts.netloc, "Content-Encoding": "gzip", **(headers or {})}
    chunked = "Content-Length" not in headers
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
    started = time.monotonic()
    deadline = started + timeout
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout,
                                    source_address=(source, 0) if source else None)
    sent = 0
    try:
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode("latin-1"))
        for chunk in body:
            if _readable(sock, 0):
                break
            data = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
            try:
                sock.sendall(data)
            except OSError:  # the server closed: its answer may be waiting
                break
            sent += len(chunk)
            if time.monotonic() > deadline:
                raise AssertionError(f"no answer after sending {sent} bytes")
        else:
            if chunked:
                try:
                    sock.sendall(b"0\r\n\r\n")
                except OSError:
                    pass
        return _read_reply(sock, deadline, sent, started)
    finally:
        sock.close()


def _readable(sock: socket.socket, wait: float) -> bool:
    return bool(select.select([sock], [], [], wait)[0])


def _read_reply(sock: socket.socket, deadline: float, sent: int, started: float) -> RawReply:
    data = bytearray()
    while b"\r\n\r\n" not in data:
        data += _recv(sock, deadline)
    head, _, rest = bytes(data).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in
               (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    body = bytearray(rest)
    while len(body) < length:
        body += _recv(sock, deadline)
    return RawReply(status, headers, bytes(body[:length]), sent, time.monotonic() - started)


def _recv(sock: socket.socket, deadline: float) -> bytes:
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    piece = sock.recv(65536)
    if not piece:
        raise AssertionError("the server closed the connection without an answer")
    return piece


@dataclass
class Watch:
    """Polls ``url`` from its own thread while a test attacks; ``worst`` is the slowest
    answer (or the time an unanswered request had been waiting when the watch stopped)."""

    url: str
    every: float = 0.1
    timeout: float = 10.0
    times: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> "Watch":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(self.timeout + 5)

    def _run(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                status = session.get(self.url, timeout=self.timeout).status_code
            except requests.RequestException:
                status = 0
            self.times.append(time.monotonic() - started)
            self.statuses.append(status)
            self._stop.wait(self.every)

    @property
    def worst(self) -> float:
        return max(self.times, default=float("inf"))


def start_server(args: list[str], port: int, log: Path) -> subprocess.Popen:
    """``python -m ARGS --port PORT --host 127.0.0.1``, once it answers the sync hello.
    Its output goes to ``log``: a pipe nobody reads would stall a server that logs."""
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", *args, "--port", str(port),
                                 "--host", "127.0.0.1"], stdout=out, stderr=subprocess.STDOUT,
                                env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}{protocol.HELLO}", timeout=1)
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise AssertionError(log.read_text(errors="replace"))


def db_state(db: Path) -> dict:
    """Every table's row count, and the rows that enrolment, pairing and devices live in."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%'")]
        state = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        for table in ("devices", "enrolment_codes", "pairing_codes"):
            if table in tables:
                rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                state[table + ":rows"] = rows
    return state


def unchanged_but_rejections(before: dict, after: dict, at_most: int = 0) -> None:
    grew = after.pop("sync_rejections", 0) - before.pop("sync_rejections", 0)
    assert after == before
    assert 0 <= grew <= at_most
