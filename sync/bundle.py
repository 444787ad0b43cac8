"""Sync by USB stick: a signed file of the events the other side lacks.

A bundle is an xz stream of UTF-8 lines: a header (who wrote it, for whom, and the
writer's version vector of the partitions it carries), one event per line in the wire
format, and a trailer with the SHA-256 of every line before it and the writer's Ed25519
signature over that digest. A device signs with its own key, the hub with the hub's key.

Importing checks the signer exactly like a push: a device must be in ``device_registry``,
unrevoked, and (on a library's device) of this library; a hub bundle must verify with the
hub key the device learnt at enrolment. Every event must lie in a partition the signer
may write (the whole bundle is refused otherwise, before anything is applied). Then the
events go through :func:`sync.replica.apply_batch` in batches, so ownership checks and
quarantine apply, and a bundle imported twice, or after a newer one, is a no-op. The
writer's vector is remembered (``sync_peers``, peer ``bundle:<device>``) and the reply,
what the writer lacks, is written back beside the imported file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import lzma
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.core.library import Library
from sync import bootstrap_floor, enrolment, identity, replica
from sync.validate import InvalidBatch, event_to_wire, events_from_wire

log = logging.getLogger(__name__)

FORMAT = "kiosk-bundle"
VERSION = 1
SUFFIX = ".kbundle"
HUB = "hub"
MAX_LINE = 256 * 1024


class BundleRefused(PermissionError):
    """A bundle that is not applied; the message (Vietnamese) says why."""


@dataclass
class Imported:
    sender: str
    library: str | None
    received: int = 0
    applied: int = 0
    duplicates: int = 0
    held_back: int = 0
    quarantined: int = 0
    reply: Path | None = None
    reply_events: int = 0
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        text = (f"Đã nhập gói từ {self.sender}: {self.applied} sự kiện mới, "
                f"{self.duplicates} đã có")
        if self.quarantined:
            text += f", {self.quarantined} bị cách ly (kiosk quarantine list)"
        if self.held_back:
            text += (f"; {self.held_back} sự kiện chờ một gói cũ hơn chưa nhập: nhập gói đó "
                     "rồi nhập lại tệp này")
        if self.reply is not None:
            text += f". Gói trả lời ({self.reply_events} sự kiện): {self.reply}"
        return text


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signed_text(digest: str) -> bytes:
    return f"{FORMAT}\n{digest}".encode()


def _line(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _signer(library: Library) -> tuple[str, str, str | None]:
    """``(sender, private key, library)`` of this node: the hub's key on the hub."""
    store = library.store
    if enrolment.is_district(store):
        private, _ = enrolment.hub_keys(store)
        return HUB, private, None
    creds = enrolment.credentials(store)
    if creds is None:
        raise BundleRefused("thiết bị chưa có danh tính: chạy `kiosk init`, `kiosk pair` "
                            "hoặc `kiosk enrol` trước")
    return creds.device_id, creds.private_key, library.code


def peer_key(sender: str) -> str:
    return f"bundle:{sender}"


def known_vector(library: Library, peer: str | None) -> dict[str, int]:
    """The last vector known of ``peer``: a ``sync_peers`` name, a device id, or ``hub``
    (every way this node has reached the hub). Unknown: empty (everything is sent)."""
    store = library.store
    if peer is None:
        return {}
    names = {peer, peer_key(peer)}
    if peer == HUB:
        names.add(store.get_meta("district_url") or "")
    vector: dict[str, int] = {}
    for row in store.all("SELECT peer, peer_vector FROM sync_peers WHERE peer_vector IS NOT NULL"):
        if row["peer"] in names:
            for origin, seq in json.loads(row["peer_vector"]).items():
                vector[origin] = max(vector.get(origin, 0), int(seq))
    return vector


def _partitions_for(library: Library, peer: str | None, peer_library: str | None) -> set[str]:
    if enrolment.is_district(library.store):
        if not peer_library:
            raise BundleRefused("máy chủ cần biết gói dành cho thư viện nào (--library)")
        return {peer_library, replica.EVERYWHERE}
    if peer == HUB:
        return {library.code}  # the hub takes only this library's partition from a device
    return {library.code, replica.EVERYWHERE}


def export(library: Library, folder: str | Path, *, peer: str | None = None,
           peer_library: str | None = None, their: dict[str, int] | None = None,
           batch: int = replica.BATCH_SIZE) -> tuple[Path, int]:
    """Write what ``peer`` lacks to a signed bundle in ``folder``; returns its path and
    the number of events in it."""
    store = library.store
    sender, private, own_library = _signer(library)
    if peer is None and not enrolment.is_district(store) and store.get_meta("hub_public_key"):
        peer = HUB
    partitions = _partitions_for(library, peer, peer_library)
    their = dict(known_vector(library, peer) if their is None else their)
    mine = {o: s for o, s in replica.vector(store).items()
            if replica.origin_partition(store, o) in partitions}
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    target_name = (peer or peer_library or "any").replace("/", "_").replace(":", "_")[:60]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{(own_library or HUB)}-{sender[:8]}-to-{target_name}-{stamp}{SUFFIX}"
    temp = path.with_name(path.name + ".tmp")
    digest = hashlib.sha256()
    count = 0
    with lzma.open(temp, "wb", preset=6) as out:
        def emit(data: bytes) -> None:
            digest.update(data)
            out.write(data)

        emit(_line({"format": FORMAT, "version": VERSION, "sender": sender,
                    "library": own_library, "for": peer, "for_library": peer_library,
                    "partitions": sorted(partitions), "vector": mine,
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}))
        while True:
            events, more = bootstrap_floor.events_since(store, their, partitions, batch)
            for event in events:
                emit(_line(event_to_wire(event)))
                their[event.origin_id] = max(their.get(event.origin_id, 0), event.seq)
            count += len(events)
            if not more or not events:
                break
        key = Ed25519PrivateKey.from_private_bytes(_unb64(private))
        out.write(_line({"end": True, "events": count, "sha256": digest.hexdigest(),
                         "signature": _b64(key.sign(_signed_text(digest.hexdigest())))}))
    temp.replace(path)
    return path, count


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with lzma.open(path, "rb") as stream:
            while line := stream.readline(MAX_LINE):
                if not line.endswith(b"\n"):
                    raise BundleRefused("gói đồng bộ bị hỏng (dòng quá dài hoặc bị cắt cụt)")
                yield line
    except (lzma.LZMAError, EOFError) as exc:
        raise BundleRefused(f"gói đồng bộ bị hỏng, không nhập gì: {exc}") from None


def _verify(library: Library, path: Path) -> tuple[dict, set[str] | None]:
    """Check the whole file before anything is applied: its digest, its signer (like a
    push) and that every event lies in a partition the signer may write. Returns the
    header and the partitions to allow in :func:`replica.apply_batch`."""
    store = library.store
    digest = hashlib.sha256()
    header, trailer, libraries = None, None, set()
    for line in _lines(path):
        if trailer is not None:
            raise BundleRefused("gói đồng bộ bị hỏng (có dữ liệu sau phần kết)")
        try:
            item = json.loads(line)
        except ValueError:
            raise BundleRefused("gói đồng bộ bị hỏng (dòng không đọc được)") from None
        if header is None:
            if not isinstance(item, dict) or item.get("format") != FORMAT:
                raise BundleRefused(f"{path.name} không phải gói đồng bộ")
            if item.get("version") != VERSION:
                raise BundleRefused(f"gói đồng bộ phiên bản {item.get('version')}: hãy cập nhật phần mềm")
            header = item
        elif isinstance(item, dict) and item.get("end"):
            trailer = item
            continue
        elif isinstance(item, dict):
            libraries.add(item.get("library_id"))
        digest.update(line)
    if header is None or trailer is None:
        raise BundleRefused("gói đồng bộ bị cắt cụt (thiếu phần kết): chép lại tệp")
    if trailer.get("sha256") != digest.hexdigest():
        raise BundleRefused("gói đồng bộ bị hỏng (SHA-256 không khớp): chép lại tệp")
    sender = str(header.get("sender") or "")
    district = enrolment.is_district(store)
    if sender == HUB:
        key = store.get_meta("hub_public_key")
        if district or not key:
            raise BundleRefused("gói của máy chủ huyện nhưng thiết bị này chưa đăng ký với "
                                "máy chủ (không có khóa của máy chủ)")
        allowed = {library.code, replica.EVERYWHERE}
    else:
        device = identity.registered(store, sender)
        if device is None:
            raise BundleRefused(f"gói của thiết bị lạ {sender[:12]}: thiết bị chưa được ghép "
                                "nối hoặc đăng ký")
        if device.revoked:
            raise BundleRefused("gói của thiết bị đã bị thu hồi: không nhập")
        if not district and device.library_id != library.code:
            raise BundleRefused(f"gói của thiết bị thuộc thư viện khác ({device.library_id})")
        key = device.public_key
        allowed = {device.library_id} if district else {library.code, replica.EVERYWHERE}
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(key)).verify(
            _unb64(str(trailer.get("signature") or "")), _signed_text(digest.hexdigest()))
    except (InvalidSignature, ValueError):
        raise BundleRefused("chữ ký của gói đồng bộ không hợp lệ: không nhập") from None
    foreign = libraries - allowed
    if foreign:
        raise BundleRefused(f"gói có sự kiện của thư viện khác ({', '.join(sorted(map(str, foreign)))}): "
                            "không nhập gì")
    return header, allowed


def import_bundle(library: Library, path: str | Path, *, reply: bool = True,
                  reply_to: str | Path | None = None,
                  batch: int = replica.BATCH_SIZE) -> Imported:
    """Apply a bundle (idempotently) and, with ``reply``, write what its writer lacks
    beside it (or in ``reply_to``)."""
    path = Path(path)
    header, allowed = _verify(library, path)
    sender = header["sender"]
    result = Imported(sender, header.get("library"))
    pending: list[dict] = []

    def flush() -> None:
        if not pending:
            return
        try:
            events = events_from_wire(pending)
        except InvalidBatch as exc:
            raise BundleRefused(f"gói đồng bộ có sự kiện không hợp lệ: {exc}") from None
        applied = replica.apply_batch(library, events, allowed=allowed)
        result.received += applied.received
        result.applied += applied.applied
        result.duplicates += applied.duplicates
        result.held_back += applied.held_back
        result.quarantined += applied.quarantined
        pending.clear()

    for number, line in enumerate(_lines(path)):
        item = json.loads(line)
        if number == 0 or item.get("end"):
            continue
        pending.append(item)
        if len(pending) >= batch:
            flush()
    flush()
    _remember(library, sender, header, result)
    if reply:
        peer = HUB if sender == HUB else sender
        result.reply, result.reply_events = export(
            library, Path(reply_to) if reply_to else path.parent, peer=peer,
            peer_library=header.get("library"), their=known_vector(library, peer))
    return result


def _remember(library: Library, sender: str, header: dict, result: Imported) -> None:
    store = library.store
    vector = {o: s for o, s in (header.get("vector") or {}).items()
              if isinstance(o, str) and type(s) is int}
    merged = known_vector(library, sender)
    for origin, seq in vector.items():
        merged[origin] = max(merged.get(origin, 0), seq)
    now = library.now_iso()
    with store.transaction():
        store.execute("INSERT OR IGNORE INTO sync_peers (peer) VALUES (?)", (peer_key(sender),))
        store.execute(
            "UPDATE sync_peers SET last_attempt = ?, last_success = ?, last_error = NULL, "
            "peer_vector = ?, events_received = events_received + ? WHERE peer = ?",
            (now, now, json.dumps(merged), result.applied, peer_key(sender)))
        if enrolment.is_district(store) and sender != HUB:
            store.execute("UPDATE devices SET last_seen = ? WHERE device_id = ?", (now, sender))
