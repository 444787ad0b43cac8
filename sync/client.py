"""One sync round with a peer: pull what I lack, push what it lacks.

Every call has a timeout and is retried with exponential back-off on network faults
and server errors; a refusal (4xx) is final for the round and says why. A round can be
cut anywhere: each applied batch is committed with its vector, so the next round
simply resumes from the vectors.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import requests
import urllib3

from kiosk import __version__
from kiosk.core.library import Library
from kiosk.core import quarantine
from sync import auth, bootstrap_floor, enrolment, identity, progress, protocol, replica
from sync.status import pending_for, summary_line
from sync.validate import event_to_wire, events_from_wire

log = logging.getLogger(__name__)


class SyncError(RuntimeError):
    """A round that could not complete; the message tells a technician what to check."""


@dataclass
class RoundResult:
    peer: str
    pulled: int = 0
    pushed: int = 0
    refolded: bool = False
    future_stamps: int = 0
    quarantined: int = 0
    refused_by_peer: int = 0
    clock_offset: float | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class PeerClient:
    def __init__(self, library: Library, url: str, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = (5.0, 30.0), retries: int = 4,
                 backoff: float = 0.5, batch: int = replica.BATCH_SIZE,
                 sleep: Callable[[float], None] = time.sleep):
        self.lib = library
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.batch = batch
        self.sleep = sleep
        self.role: str | None = None
        self.clock_offset = 0.0  # the peer's clock minus ours, learnt from its hello
        self._bytes = 0
        self._progressing: set[str] = set()
        self.session.hooks.setdefault("response", []).append(self._count_bytes)

    # Transport

    def _key(self) -> tuple[str, str]:
        creds = enrolment.credentials(self.lib.store)
        if creds is None:
            raise SyncError("thiết bị chưa có danh tính: chạy `kiosk init`, `kiosk pair` "
                            "hoặc `kiosk enrol` trước")
        return creds.device_id, creds.private_key

    def request(self, method: str, path: str, data: Any = None, *, signed: bool = True,
                raw: bool = False) -> Any:
        body = protocol.encode(data) if data is not None else b""
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"} if body else {}
        if signed:
            device_id, key = self._key()
            certificate = self.lib.store.get_meta("device_certificate")
            if certificate and self.role != "district":
                headers[auth.CERTIFICATE_HEADER] = certificate
                headers[auth.PUBLIC_KEY_HEADER] = auth.public_of(key)
        last: Exception | None = None
        for attempt in range(self.retries):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            if signed:  # a fresh nonce each attempt: the server saw the one a cut reply used
                headers.update(auth.sign_headers(key, device_id, method, path, body,
                                                 time.time() + self.clock_offset))
            try:
                response = self.session.request(method, self.url + path, data=body,
                                                headers=headers, timeout=self.timeout,
                                                stream=not raw)
                content = b"" if raw else self._read(response)
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                last = exc
                continue
            if response.status_code >= 500:
                last = SyncError(f"{self.url} trả lỗi {response.status_code}")
                continue
            if response.status_code >= 400:
                raise SyncError(f"{self.url} từ chối ({response.status_code}): "
                                f"{self._message(response)}")
            if raw:
                return response
            try:
                return protocol.decode(content, gzipped=response.headers.get(
                    "Content-Encoding", "").lower() == "gzip")
            except protocol.BadRequest as exc:
                raise SyncError(f"{self.url} trả về dữ liệu không đọc được: {exc}") from None
        raise SyncError(f"không kết nối được {self.url} sau {self.retries} lần thử: {last}")

    @staticmethod
    def _read(response: requests.Response) -> bytes:
        """The body as sent (not inflated by requests), never more than the protocol's cap,
        so a hostile peer's gzip bomb is refused by :func:`protocol.decode` like a request's."""
        try:
            data = response.raw.read(protocol.MAX_BODY + 1, decode_content=False)
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.ReadTimeoutError) as exc:
            raise requests.exceptions.ChunkedEncodingError(f"reply cut: {exc}") from exc
        finally:
            response.close()
        if len(data) > protocol.MAX_BODY:
            raise SyncError(f"{response.url}: câu trả lời quá lớn")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and len(data) < int(declared):  # the line dropped mid-reply
            raise requests.exceptions.ChunkedEncodingError(
                f"reply cut after {len(data)} of {declared} bytes")
        response._content = data
        return data

    @staticmethod
    def _message(response: requests.Response) -> str:
        content = response.content
        try:
            data = protocol.decode(content, gzipped=content[:2] == b"\x1f\x8b")
            return str(data.get("error"))
        except (protocol.BadRequest, AttributeError):
            return content[:200].decode("utf-8", "replace")

    # Protocol steps

    def hello(self) -> dict:
        before = time.time()
        info = self.request("GET", protocol.HELLO, signed=False)
        after = time.time()
        self.role = info.get("role")
        if isinstance(info.get("time"), (int, float)):
            self.clock_offset = float(info["time"]) - (before + after) / 2
        return info

    def pull(self, result: RoundResult) -> dict[str, int]:
        allowed = {self.lib.code, replica.EVERYWHERE}
        store = self.lib.store
        reply = self.request("POST", protocol.PULL, {
            "vector": replica.vector(store), "limit": self.batch, "tips": replica.tips(store)})
        reply = self._settle_forks(reply)
        while True:
            events = events_from_wire(reply.get("events", []))
            applied = replica.apply_batch(self.lib, events, allowed=allowed)
            self._progress("pull", applied.applied, reply, not reply.get("more") or not events)
            result.pulled += applied.applied
            result.refolded |= applied.refolded
            result.future_stamps += applied.future_stamps
            result.quarantined += applied.quarantined
            if not reply.get("more") or not events:
                return protocol.parse_vector(reply.get("vector", {}))
            reply = self.request("POST", protocol.PULL, {
                "vector": replica.vector(store), "limit": self.batch})

    def _settle_forks(self, reply: dict) -> dict:
        """Compare histories with the peer (see :func:`sync.replica.resolve_fork`).

        Where either side sees an origin holding two histories, both need the other's
        window: send mine (the peer settles its side) and ask for its own, then settle
        mine. Costs one more pull, only when a fork exists; returns the reply to go on with.
        """
        store = self.lib.store
        windows = reply.get("windows") if isinstance(reply.get("windows"), dict) else {}
        theirs = reply.get("tips") if isinstance(reply.get("tips"), dict) else {}
        detected = set(windows) | set(replica.forked(store, theirs))
        if not detected:
            return reply
        mine = {o: replica.window(store, o) for o in detected}
        for origin, window in windows.items():
            if isinstance(window, list):
                replica.resolve_fork(self.lib, origin, window)
        reply = self.request("POST", protocol.PULL, {
            "vector": replica.vector(store), "limit": self.batch, "windows": mine,
            "windows_for": sorted(detected - set(windows))})
        for origin, window in (reply.get("windows") or {}).items():
            if isinstance(window, list):
                replica.resolve_fork(self.lib, origin, window)
        return reply

    def push(self, their: dict[str, int], result: RoundResult) -> dict[str, int]:
        """Send what the peer lacks; returns the peer's vector after the last batch."""
        mine = {self.lib.code}
        first = True
        while True:
            events, more = bootstrap_floor.events_since(self.lib.store, their, mine, self.batch)
            if not events and not (first and self.role == "district"):
                return their
            first = False
            status = self.status()
            status["pending"] = max(0, pending_for(self.lib, their) - len(events))
            reply = self.request("POST", protocol.PUSH, {
                "events": [event_to_wire(e) for e in events], "status": status})
            result.pushed += int(reply.get("applied", 0))
            self._progress("push", len(events), status["pending"], not more or not events)
            result.refused_by_peer += int(reply.get("quarantined", 0))
            their = protocol.parse_vector(reply.get("vector", {}))
            if not more or not events:
                return their

    def _count_bytes(self, response: requests.Response, *args, **kwargs) -> None:
        """Bytes on the wire both ways (bodies as sent), for the progress shown while a
        slow link carries a sync (:mod:`sync.progress`)."""
        body = response.request.body if response.request is not None else None
        self._bytes += len(body or b"") + int(response.headers.get("Content-Length") or 0)

    def _progress(self, direction: str, events: int, left, done: bool) -> None:
        """Record a batch: ``left`` is the events still to go, or the pull reply to
        estimate them from (the peer's vector over the origins this node takes)."""
        store = self.lib.store
        if isinstance(left, dict):
            theirs = left.get("vector") if isinstance(left.get("vector"), dict) else {}
            mine = replica.vector(store)
            wanted = {self.lib.code, replica.EVERYWHERE}
            left = sum(max(0, int(seq) - mine.get(origin, 0)) for origin, seq in theirs.items()
                       if isinstance(seq, int) and replica.origin_partition(store, origin) in wanted)
        if direction not in self._progressing:
            self._progressing.add(direction)
            progress.begin(store, self.url, direction)
        progress.advance(store, self.url, direction, events, self._bytes, left)
        if done:
            progress.finish(store, self.url, direction)
            self._progressing.discard(direction)

    def status(self) -> dict:
        """What the district dashboard shows about this device."""
        store = self.lib.store
        return {"version": __version__,
                "conflicts": store.scalar("SELECT COUNT(*) FROM conflicts WHERE resolution IS NULL"),
                "quarantined": quarantine.count_open(store),
                "printer": store.get_meta("printer_status") or "unknown",
                "events": store.scalar("SELECT COUNT(*) FROM events")}

    def round(self) -> RoundResult:
        result = RoundResult(self.url)
        started = self.lib.now_iso()
        try:
            info = self.hello()
            identity.register_origin(self.lib)
            if info.get("library_id") not in (self.lib.code, None) and self.role != "district":
                raise SyncError(f"{self.url} thuộc thư viện {info.get('library_id')}, "
                                f"không phải {self.lib.code}")
            result.clock_offset = self.clock_offset
            their = self.push(self.pull(result), result)
        except SyncError as exc:
            result.errors.append(str(exc))
            their = None
        _record(self.lib, result, started, their)
        return result


def _record(library: Library, result: RoundResult, started: str,
            their: dict[str, int] | None) -> None:
    store = library.store
    with store.transaction():
        store.execute("INSERT OR IGNORE INTO sync_peers (peer) VALUES (?)", (result.peer,))
        store.execute(
            "UPDATE sync_peers SET last_attempt = ?, events_received = events_received + ?, "
            "events_sent = events_sent + ?, refused_by_peer = refused_by_peer + ?, last_error = ? "
            "WHERE peer = ?",
            (started, result.pulled, result.pushed, result.refused_by_peer,
             "; ".join(result.errors) or None, result.peer))
        if result.ok:
            store.execute("UPDATE sync_peers SET last_success = ?, peer_vector = ? WHERE peer = ?",
                          (library.now_iso(), json.dumps(their or {}), result.peer))
        if result.clock_offset is not None:
            store.execute("UPDATE sync_peers SET clock_offset_s = ? WHERE peer = ?",
                          (round(result.clock_offset, 1), result.peer))
        if result.future_stamps:
            store.execute("UPDATE sync_peers SET clock_flag = ? WHERE peer = ?",
                          (f"{result.future_stamps} sự kiện có đồng hồ vượt quá giới hạn", result.peer))
        store.set_meta("sync_status", summary_line(library))


def _post_public(server: str, path: str, data: dict, what: str,
                 session: requests.Session | None) -> dict:
    session = session or requests.Session()
    try:
        response = session.post(server.rstrip("/") + path, timeout=(5, 30),
                                data=protocol.encode(data), headers={"Content-Encoding": "gzip"})
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise SyncError(f"không kết nối được {server}: {exc}") from None
    if response.status_code != 200:
        raise SyncError(f"{what} bị từ chối: {PeerClient._message(response)}")
    return protocol.decode(response.content, gzipped=False)


def enrol(server: str, code: str, device_name: str, device_id: str, public_key: str,
          session: requests.Session | None = None) -> dict:
    """Trade a one-time code for this device's place at the hub (its keys stay here)."""
    return _post_public(server, protocol.ENROL, {
        "code": code, "device_name": device_name, "app_version": __version__,
        "device_id": device_id, "public_key": public_key}, "máy chủ từ chối đăng ký", session)


def pair(peer: str, code: str, device_name: str, public_key: str, role: str,
         session: requests.Session | None = None) -> dict:
    """Trade a pairing code from a device of the library for this device's registration."""
    return _post_public(peer, protocol.PAIR, {
        "code": code, "device_name": device_name, "public_key": public_key, "role": role},
        "ghép nối", session)


def fetch_snapshot(server: str, device_id: str, private_key: str, target,
                   session: requests.Session | None = None, progress=None,
                   timeout: tuple[float, float] = (10.0, 60.0)) -> dict:
    """Download this device's bootstrap file to ``target`` (resumable, checked by the
    SHA-256 the server states; see :mod:`sync.bootstrap_fetch`); returns its manifest."""
    from sync.bootstrap_fetch import Download, DownloadFailed

    download = Download(server, device_id, private_key, session=session, timeout=timeout,
                        **({"progress": progress} if progress else {}))
    try:
        return download.fetch(target)
    except DownloadFailed as exc:
        raise SyncError(str(exc)) from None
