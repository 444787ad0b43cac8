"""The sync endpoints as plain functions of a request: no HTTP framework inside.

The stdlib server (``sync.http``) serves them on a kiosk or counter; the district
server mounts the same service. Who may write what: on the district, each device
signs with its own key and may write only its library's partition; on a LAN node,
peers sign with the library's shared key.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field

from kiosk import __version__
from kiosk.core.library import Library
from kiosk.store.migrations import SCHEMA_VERSION
from sync import auth, enrolment, protocol, replica, snapshot
from sync.validate import InvalidBatch, event_to_wire, events_from_wire

log = logging.getLogger(__name__)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, data) -> Response:
    return Response(status, protocol.encode(data),
                    {"Content-Type": "application/json", "Content-Encoding": "gzip"})


def _error(status: int, message: str) -> Response:
    return _json(status, {"error": message})


@dataclass
class Peer:
    device_id: str
    library_id: str | None  # None: the district, which may write everything
    district: bool = False


class SyncService:
    def __init__(self, library: Library):
        self.lib = library
        self.lock = threading.Lock()

    # Authentication

    def _authenticate(self, method: str, path: str, headers, body: bytes) -> Peer | None:
        device_id = headers.get(auth.DEVICE_HEADER, "")
        given = headers.get(auth.SIGNATURE_HEADER, "")
        store = self.lib.store
        if enrolment.is_district(store):
            row = store.one("SELECT key, library_id FROM devices WHERE device_id = ?", (device_id,))
            if row and auth.verify(row["key"], device_id, method, path, body, given):
                store.execute("UPDATE devices SET last_seen = ? WHERE device_id = ?",
                              (self.lib.now_iso(), device_id))
                return Peer(device_id, row["library_id"])
            return None
        key = store.get_meta("library_key")
        if key and auth.verify(key, device_id, method, path, body, given):
            return Peer(device_id, self.lib.code)
        return None

    def _reject(self, peer: Peer | None, reason: str) -> None:
        log.warning("sync request rejected: %s", reason)
        with self.lib.store.transaction():
            self.lib.store.execute(
                "INSERT INTO sync_rejections (at, device_id, reason) VALUES (?, ?, ?)",
                (self.lib.now_iso(), peer.device_id if peer else None, reason[:500]))

    # Dispatch

    def handle(self, method: str, path: str, headers, body: bytes) -> Response:
        with self.lock:
            try:
                return self._handle(method, path, headers, body)
            except protocol.BadRequest as exc:
                return _error(400, str(exc))

    def _handle(self, method: str, path: str, headers, body: bytes) -> Response:
        if (method, path) == ("GET", protocol.HELLO):
            return _json(200, self.hello())
        if (method, path) == ("POST", protocol.ENROL):
            return self.enrol(protocol.decode(body))
        if path not in (protocol.PULL, protocol.PUSH, protocol.SNAPSHOT):
            return _error(404, f"no such endpoint {path}")
        peer = self._authenticate(method, path, headers, body)
        if peer is None:
            self._reject(None, f"bad signature for device {headers.get(auth.DEVICE_HEADER, '')[:40]!r}")
            return _error(401, "unknown device or bad signature: enrol the device again")
        if (method, path) == ("POST", protocol.PULL):
            return self.pull(peer, protocol.decode(body))
        if (method, path) == ("POST", protocol.PUSH):
            return self.push(peer, protocol.decode(body))
        if (method, path) == ("GET", protocol.SNAPSHOT):
            return self.snapshot(peer)
        return _error(405, "method not allowed")

    def hello(self) -> dict:
        store = self.lib.store
        return {"device_id": store.get_meta("device_id") or store.get_meta("origin_id"),
                "library_id": store.get_meta("library_code"),
                "role": "district" if enrolment.is_district(store) else "node",
                "schema_version": SCHEMA_VERSION, "version": __version__}

    def enrol(self, data) -> Response:
        if not enrolment.is_district(self.lib.store):
            return _error(404, "only the district server enrols devices")
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return _error(400, "enrolment needs a code")
        try:
            creds = enrolment.enrol_device(self.lib, data["code"], str(data.get("device_name", "")),
                                           str(data.get("app_version", "")))
        except enrolment.EnrolmentRefused as exc:
            self._reject(None, f"enrolment refused: {exc}")
            return _error(403, str(exc))
        return _json(200, creds)

    def _partitions(self, peer: Peer) -> set[str] | None:
        return None if peer.library_id is None else {peer.library_id, replica.EVERYWHERE}

    def pull(self, peer: Peer, data) -> Response:
        if not isinstance(data, dict):
            raise protocol.BadRequest("pull needs an object")
        their = protocol.parse_vector(data.get("vector", {}))
        limit = data.get("limit", replica.BATCH_SIZE)
        if type(limit) is not int or not 1 <= limit <= 5000:
            raise protocol.BadRequest("limit must be 1..5000")
        events, more = replica.events_since(self.lib.store, their, self._partitions(peer), limit)
        return _json(200, {"events": [event_to_wire(e) for e in events], "more": more,
                           "vector": replica.vector(self.lib.store), **self.hello()})

    def push(self, peer: Peer, data) -> Response:
        if not isinstance(data, dict):
            raise protocol.BadRequest("push needs an object")
        try:
            events = events_from_wire(data.get("events"))
            allowed = None if peer.library_id is None else {peer.library_id}
            result = replica.apply_batch(self.lib, events, allowed=allowed)
        except InvalidBatch as exc:
            self._reject(peer, f"invalid batch: {exc}")
            return _error(400, f"invalid batch, nothing applied: {exc}")
        except replica.PartitionViolation as exc:
            self._reject(peer, f"partition violation: {exc}")
            return _error(403, f"nothing applied: {exc}")
        if isinstance(data.get("status"), dict) and enrolment.is_district(self.lib.store):
            self.lib.store.execute("UPDATE devices SET status = ?, app_version = ? WHERE device_id = ?",
                                   (json.dumps(data["status"])[:4000],
                                    str(data["status"].get("version", ""))[:40], peer.device_id))
        return _json(200, {"applied": result.applied, "duplicates": result.duplicates,
                           "held_back": result.held_back, "future_stamps": result.future_stamps,
                           "vector": replica.vector(self.lib.store)})

    def snapshot(self, peer: Peer) -> Response:
        data, vector = snapshot.make(self.lib, self._partitions(peer))
        return Response(200, data, {"Content-Type": "application/octet-stream",
                                    "X-Kiosk-Vector": json.dumps(vector)})
