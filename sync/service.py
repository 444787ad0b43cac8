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
import time
from dataclasses import dataclass, field

from kiosk import __version__
from kiosk.core.library import Library
from kiosk.store.migrations import SCHEMA_VERSION
from sync import (
    auth, bootstrap_floor, bootstrap_serve, enrolment, identity, pairing, protocol, replica,
)
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
    refold = None  # how a late push refolds circulation (None: all of it; the hub: per library)

    def __init__(self, library: Library):
        self.lib = library
        self.lock = threading.Lock()
        self.limits = protocol.ClientLimits()
        self.nonces = auth.NonceCache()

    # Authentication

    def _authenticate(self, method: str, path: str, headers, body: bytes) -> tuple[Peer | None, str]:
        """The signing device, if its key is registered, unrevoked and the request fresh.

        A LAN node accepts only devices of its own library; the hub accepts any
        registered device, for its library's partition.
        """
        device_id = headers.get(auth.DEVICE_HEADER, "")
        store = self.lib.store
        device = identity.registered(store, device_id)
        district = enrolment.is_district(store)
        if device is None and not district:
            device = self._introduced(headers)
        if device is None:
            return None, "unknown device"
        if not district and device.library_id != self.lib.code:
            return None, f"device of another library {device.library_id}"
        if device.revoked:
            return None, "revoked device"
        why = auth.verify(device.public_key, method, path, body, headers, time.time())
        if why is not None:
            return None, why
        if not self.nonces.first_use(device_id + headers.get(auth.NONCE_HEADER, "")):
            return None, "replayed request"
        if district:
            self._seen(device)
        return Peer(device_id, device.library_id), ""

    def _seen(self, device: identity.RegisteredDevice) -> None:
        """The hub notes when it last heard from a device (the hub's sync batches this)."""
        self.lib.store.execute(
            "INSERT INTO devices (device_id, library_id, name, key, enrolled_at, last_seen) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (device_id) DO UPDATE SET "
            "last_seen = excluded.last_seen",
            (device.device_id, device.library_id, device.name, device.public_key,
             self.lib.now_iso()))

    def _introduced(self, headers) -> identity.RegisteredDevice | None:
        """A device the hub enrolled and certified, not yet known here: register it."""
        store = self.lib.store
        hub_key = store.get_meta("hub_public_key")
        device_id = headers.get(auth.DEVICE_HEADER, "")
        public = headers.get(auth.PUBLIC_KEY_HEADER, "")
        certificate = headers.get(auth.CERTIFICATE_HEADER, "")
        if not (hub_key and identity.DEVICE_ID.match(device_id) and auth.valid_public_key(public)
                and auth.certificate_valid(hub_key, certificate, device_id, self.lib.code, public)):
            return None
        identity.register(self.lib, device_id, public, name="", role="kiosk", by="hub")
        return identity.registered(store, device_id)

    def _reject(self, peer: Peer | None, reason: str) -> None:
        log.warning("sync request rejected: %s", reason)
        with self.lib.store.transaction():
            self.lib.store.execute(
                "INSERT INTO sync_rejections (at, device_id, reason) VALUES (?, ?, ?)",
                (self.lib.now_iso(), peer.device_id if peer else None, reason[:500]))

    # Dispatch

    def handle(self, method: str, path: str, headers, body: bytes, client: str = "") -> Response:
        """Answer one request from ``client`` (the peer's address: it keys the rate limits;
        empty for an in-process caller). A body anyone may send (enrolment, pairing) is
        decoded under its small caps before the lock is taken, so a hostile one never
        holds up the pages and devices that share the lock."""
        wait = self.limits.wait(path, client)
        if wait:
            log.info("sync request throttled: %s", path)
            response = _error(429, protocol.too_many_message(wait))
            response.headers["Retry-After"] = str(wait)
            return response
        try:
            data = None
            if method == "POST" and path in protocol.PUBLIC_POSTS:
                data = protocol.decode_for(path, body)
            with self.lock:
                response = self._handle(method, path, headers, body, data)
        except protocol.BadRequest as exc:
            return _error(exc.status, str(exc))
        self.limits.settle(path, client, response.status)
        return response

    def _handle(self, method: str, path: str, headers, body: bytes, data=None) -> Response:
        """Dispatch; ``data`` is the decoded body of a public POST (see :meth:`handle`)."""
        if (method, path) == ("GET", protocol.HELLO):
            return _json(200, self.hello())
        if (method, path) == ("POST", protocol.ENROL):
            return self.enrol(data)
        if (method, path) == ("POST", protocol.PAIR):
            return self.pair(data)
        if path not in (protocol.PULL, protocol.PUSH, protocol.SNAPSHOT, protocol.BOOTSTRAP):
            return _error(404, f"no such endpoint {path}")
        peer, why = self._authenticate(method, path, headers, body)
        if peer is None:
            self._reject(None, f"{why} for device {headers.get(auth.DEVICE_HEADER, '')[:40]!r}")
            if why == "revoked device":
                return _error(403, "thiết bị đã bị thu hồi: liên hệ thủ thư hoặc kỹ thuật viên")
            return _error(401, f"unknown device or bad signature ({why}): pair or enrol "
                               "the device again")
        if (method, path) == ("POST", protocol.PULL):
            return self.pull(peer, protocol.decode(body))
        if (method, path) == ("POST", protocol.PUSH):
            return self.push(peer, protocol.decode(body))
        if (method, path) == ("GET", protocol.SNAPSHOT):
            return self.snapshot(peer)
        if (method, path) == ("GET", protocol.BOOTSTRAP):
            return self.bootstrap_chunk(peer, headers)
        return _error(405, "method not allowed")

    def hello(self) -> dict:
        store = self.lib.store
        return {"device_id": store.get_meta("device_id") or store.get_meta("origin_id"),
                "library_id": store.get_meta("library_code"),
                "role": "district" if enrolment.is_district(store) else "node",
                "schema_version": SCHEMA_VERSION, "version": __version__,
                "time": time.time()}

    def enrol(self, data) -> Response:
        if not enrolment.is_district(self.lib.store):
            return _error(404, "only the district server enrols devices")
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return _error(400, "enrolment needs a code")
        device = data.get("device_id")
        try:
            creds = enrolment.enrol_device(
                self.lib, data["code"], str(data.get("device_name", "")),
                str(data.get("app_version", "")), data.get("public_key"),
                device if isinstance(device, str) else None)
        except enrolment.EnrolmentRefused as exc:
            self._reject(None, f"enrolment refused: {exc}")
            return _error(403, str(exc))
        return _json(200, creds)

    def pair(self, data) -> Response:
        store = self.lib.store
        if enrolment.is_district(store) or store.get_meta("library_code") is None:
            return _error(404, "only a paired device of the library pairs new devices")
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return _error(400, "pairing needs a code")
        try:
            reply = pairing.pair_device(self.lib, data["code"], data.get("public_key"),
                                        str(data.get("device_name", "")),
                                        str(data.get("role", "kiosk")))
        except pairing.PairingRefused as exc:
            self._reject(None, f"pairing refused: {exc}")
            return _error(403, str(exc))
        return _json(200, reply)

    def _partitions(self, peer: Peer) -> set[str] | None:
        return None if peer.library_id is None else {peer.library_id, replica.EVERYWHERE}

    def pull(self, peer: Peer, data) -> Response:
        if not isinstance(data, dict):
            raise protocol.BadRequest("pull needs an object")
        their = protocol.parse_vector(data.get("vector", {}))
        limit = data.get("limit", replica.BATCH_SIZE)
        if type(limit) is not int or not 1 <= limit <= 5000:
            raise protocol.BadRequest("limit must be 1..5000")
        store = self.lib.store
        reply: dict = {}
        theirs = _windows(data.get("windows"))
        for origin in self._visible(peer, theirs):
            replica.resolve_fork(self.lib, origin, theirs[origin])
        claimed = _tips(data.get("tips"))
        wanted = [o for o in data.get("windows_for") or [] if isinstance(o, str)][:100] \
            if isinstance(data.get("windows_for"), list) else []
        if claimed:
            mine = self._visible(peer, claimed)
            reply["tips"] = replica.tips(store, mine)
            wanted += replica.forked(store, {o: claimed[o] for o in mine})
        if wanted:
            reply["windows"] = {o: replica.window(store, o) for o in self._visible(peer, wanted)}
        events, more = bootstrap_floor.events_since(store, their, self._partitions(peer), limit)
        return _json(200, {"events": [event_to_wire(e) for e in events], "more": more,
                           "vector": replica.vector(store), **reply, **self.hello()})

    def _visible(self, peer: Peer, origins) -> list[str]:
        """The origins of ``peer``'s partitions among ``origins``."""
        parts = self._partitions(peer)
        return [o for o in origins
                if parts is None or replica.origin_partition(self.lib.store, o) in parts]

    def push(self, peer: Peer, data) -> Response:
        if not isinstance(data, dict):
            raise protocol.BadRequest("push needs an object")
        try:
            events = events_from_wire(data.get("events"))
            allowed = None if peer.library_id is None else {peer.library_id}
            result = replica.apply_batch(self.lib, events, allowed=allowed, refold=self.refold)
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
                           "quarantined": result.quarantined,
                           "vector": replica.vector(self.lib.store)})

    @property
    def bootstrap_files(self) -> bootstrap_serve.BootstrapFiles:
        """This database's bootstrap files (made in the background, see
        :mod:`sync.bootstrap_serve`)."""
        if getattr(self, "_bootstrap_files", None) is None:
            self._bootstrap_files = bootstrap_serve.BootstrapFiles(self.lib.store.path)
        return self._bootstrap_files

    def snapshot(self, peer: Peer) -> Response:
        """The manifest of the device's bootstrap file, or 202 while it is being made."""
        partitions = self._partitions(peer)
        live = {r[0]: r[1] for r in self.lib.store.all(
            "SELECT origin_id, seq, library_id FROM origin_tops")
            if partitions is None or r[2] in partitions}
        manifest = self.bootstrap_files.manifest(partitions, peer.library_id, live)
        if manifest is None:
            response = _json(202, {"error": "đang chuẩn bị tệp khởi tạo, thử lại sau ít giây"})
            response.headers["Retry-After"] = "1"
            return response
        return _json(200, manifest)

    def bootstrap_chunk(self, peer: Peer, headers) -> Response:
        """A range of a bootstrap file the device was told of by :meth:`snapshot`."""
        status, body, extra = self.bootstrap_files.chunk(
            self._partitions(peer), headers.get(bootstrap_serve.SHA_HEADER, ""),
            headers.get("Range", ""))
        if status == 410:
            return _error(410, "tệp khởi tạo đã được thay bằng tệp mới: tải lại từ đầu")
        if status != 206:
            return _error(status, "khoảng dữ liệu không hợp lệ")
        return Response(206, body, extra)


def _tips(data) -> dict[str, list]:
    """A peer's ``{origin: [seq, uuid]}``, capped; malformed entries are dropped."""
    if not isinstance(data, dict) or len(data) > 10_000:
        return {}
    return {o: t for o, t in data.items() if isinstance(o, str) and len(o) <= 64
            and isinstance(t, list) and len(t) == 2 and type(t[0]) is int
            and isinstance(t[1], str) and len(t[1]) == 32}


def _windows(data) -> dict[str, list]:
    if not isinstance(data, dict) or len(data) > 100:
        return {}
    return {o: w for o, w in data.items() if isinstance(o, str) and len(o) <= 64
            and isinstance(w, list) and len(w) <= replica.FORK_WINDOW}
