"""A device joining its library (pairing on the LAN) or the hub (enrolment): plain
functions that the CLI and first boot both call.

- :func:`found_library` makes a database the first device of a library, offline.
- :func:`pair` joins a new device to a library through any paired device of it, offline;
  a device installed from a bootstrap file (``kiosk bootstrap --from``, a USB stick)
  pairs the same way and keeps the state it installed, then syncs from the file's floor.
- :func:`enrol` joins a device to the hub. An empty device bootstraps from the hub's
  snapshot; a library that stood up offline keeps everything it has (its device id and
  key too) and sends its history to the hub by ordinary sync, so nothing is lost or
  duplicated.
"""

from __future__ import annotations

import json
import logging
import platform
from dataclasses import dataclass
from pathlib import Path

from kiosk.app import open_library
from kiosk.core.library import Library
from kiosk.core.node import init_library
from kiosk.store.eventlog import new_id
from sync import auth, enrolment, identity, snapshot
from sync.client import SyncError
from sync.client import enrol as request_enrolment
from sync.client import pair as request_pairing

log = logging.getLogger(__name__)

HELLO_MAX = 64 * 1024  # a peer's hello is a few hundred bytes


class JoinRefused(RuntimeError):
    """Joining failed; the message (Vietnamese) says what to do."""


@dataclass(frozen=True)
class Joined:
    library_id: str
    library_name: str
    device_id: str
    bootstrapped: bool
    message: str


def found_library(library: Library, code: str, name: str, *, role: str = "counter",
                  device_name: str | None = None, **details) -> str:
    """``kiosk init``: the library's identity, this device's keys and its registration."""
    init_library(library, code, name, **details)
    return identity.ensure_own_registration(library, name=device_name or platform.node(),
                                            role=role)


def _holds_events(path: Path) -> bool:
    if not path.exists():
        return False
    lib = open_library(path)
    try:
        return bool(lib.store.scalar("SELECT COUNT(*) FROM events"))
    finally:
        lib.store.close()


def _installed_unpaired(path: Path) -> str | None:
    """The library of a device installed from a bootstrap file that has not joined it
    yet (it holds floors but no registration of its own); None for any other database."""
    from sync import bootstrap_floor

    if not path.exists():
        return None
    lib = open_library(path)
    try:
        if not bootstrap_floor.floors(lib.store):
            return None
        device = identity.device_id(lib.store)
        if device is not None and identity.registered(lib.store, device) is not None:
            return None
        return lib.store.get_meta("library_code")
    finally:
        lib.store.close()


def _peer_library(peer: str) -> str | None:
    """The library the device at ``peer`` belongs to (its public ``hello``)."""
    import requests

    from sync import protocol

    try:
        with requests.get(peer.rstrip("/") + protocol.HELLO, timeout=(5, 15),
                          stream=True) as response:
            response.raise_for_status()
            body = response.raw.read(HELLO_MAX, decode_content=True)
        library = json.loads(body).get("library_id")
    except (requests.RequestException, ValueError, AttributeError) as exc:
        raise JoinRefused(f"không kết nối được {peer}: {exc}") from None
    return library if isinstance(library, str) else None


def _keys_for(path: Path) -> tuple[str, str, str]:
    """``(device_id, public, private)``: the device's own if the database has them, else
    new ones held in memory until the join succeeds (a refused code creates no file)."""
    if path.exists():
        lib = open_library(path)
        try:
            if identity.private_key(lib.store):
                device, public = identity.make_keys(lib.store)
                return device, public, identity.private_key(lib.store)
        finally:
            lib.store.close()
    private, public = auth.new_keypair()
    return new_id(), public, private


def _save_keys(path: Path, device: str, private: str) -> None:
    lib = open_library(path)
    try:
        with lib.store.transaction():
            lib.store.set_meta("device_id", device)
            lib.store.set_meta("device_private_key", private)
    finally:
        lib.store.close()


def _bootstrap(path: Path, source: str, device: str, private: str, library_id: str,
               library_name: str) -> bool:
    """Download the library's bootstrap file beside the database and install it; a cut
    download resumes from ``<db>.kboot.part`` on the next attempt (see
    :mod:`sync.bootstrap_fetch`). False (and the device syncs instead) if it fails."""
    from sync import client
    from sync.bootstrap import Damaged

    download = path.with_name(path.name + ".kboot")
    try:
        client.fetch_snapshot(source, device, private, download, progress=_log_progress)
        snapshot.install(download, path, library_id, library_name, progress=_log_progress)
    except (SyncError, Damaged, ValueError, OSError) as exc:
        log.warning("bootstrap from %s failed: %s", source, exc)
        return False
    download.unlink(missing_ok=True)
    return True


def _log_progress(stage: str, done: int, total: int | None) -> None:
    if total and (done == total or done % max(1, total // 10) < 2000):
        log.info("bootstrap %s: %d/%d", stage, done, total)


def _finish(path: Path, library_id: str, library_name: str, *, hub: str | None = None) -> Library:
    lib = open_library(path)
    existing = lib.store.get_meta("library_code")
    if existing is not None and existing != library_id:
        raise JoinRefused(f"cơ sở dữ liệu này thuộc thư viện {existing}, không phải {library_id}")
    if existing is None or not lib.store.one("SELECT 1 FROM policies LIMIT 1"):
        init_library(lib, library_id, library_name or library_id)
    if hub:
        enrolment.save_enrolment(lib.store, hub)
    identity.register_origin(lib)
    return lib


def pair(path: Path, peer: str, code: str, *, device_name: str | None = None,
         role: str = "kiosk") -> Joined:
    """``kiosk pair``: join the library of the device at ``peer`` with its pairing code."""
    path = Path(path)
    installed = _installed_unpaired(path)
    if installed is None and _holds_events(path):
        raise JoinRefused(f"{path} đã có dữ liệu: chỉ ghép nối một thiết bị mới (trống) hoặc "
                          "vừa cài từ tệp khởi tạo (kiosk bootstrap --from)")
    if installed is not None and _peer_library(peer) != installed:
        raise JoinRefused(f"thiết bị đã cài dữ liệu của thư viện {installed}, máy {peer} thuộc "
                          f"thư viện khác: ghép nối với một máy của {installed} (mã chưa dùng)")
    path.parent.mkdir(parents=True, exist_ok=True)
    device_name = device_name or platform.node()
    _, public, private = _keys_for(path)
    try:
        reply = request_pairing(peer, code, device_name, public, role)
    except SyncError as exc:
        raise JoinRefused(str(exc)) from None
    if installed is not None and reply["library_id"] != installed:
        raise JoinRefused(f"thiết bị đã cài dữ liệu của thư viện {installed}, mã ghép nối là của "
                          f"{reply['library_id']}: thu hồi thiết bị vừa ghi ở đó (kiosk registry "
                          f"revoke) và ghép nối với một máy của {installed}")
    _save_keys(path, reply["device_id"], private)  # the id the peer registered
    booted = installed is not None or _bootstrap(
        path, peer, reply["device_id"], private, reply["library_id"], reply["library_name"])
    lib = _finish(path, reply["library_id"], reply["library_name"])
    with lib.store.transaction():
        if reply.get("hub_key"):
            lib.store.set_meta("hub_public_key", reply["hub_key"])
        peers = [p for p in (lib.store.get_meta("peers") or "").splitlines() if p.strip()]
        if peer.rstrip("/") not in peers:
            lib.store.set_meta("peers", "\n".join([*peers, peer.rstrip("/")]))
    lib.store.close()
    kept = (" Dữ liệu đã cài từ tệp khởi tạo được giữ; thiết bị đồng bộ phần mới hơn với "
            f"{peer.rstrip('/')} (kiosk sync)." if installed is not None else "")
    return Joined(reply["library_id"], reply["library_name"], reply["device_id"], booted,
                  f"Đã ghép nối thiết bị với {reply['library_name']} ({reply['library_id']})."
                  + kept)


def enrol(path: Path, server: str, code: str, *, device_name: str | None = None,
          bootstrap: bool = True) -> Joined:
    """``kiosk enrol``: join the hub; bootstrap an empty device, keep a living library."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    living = _holds_events(path)
    device, public, private = _keys_for(path)
    try:
        reply = request_enrolment(server, code, device_name or platform.node(), device, public)
    except SyncError as exc:
        raise JoinRefused(str(exc)) from None
    if reply["device_id"] != device:
        raise JoinRefused("máy chủ trả về mã thiết bị khác: phiên bản máy chủ không tương thích")
    _save_keys(path, device, private)
    booted = False
    if living:
        lib = open_library(path)
        held = lib.store.get_meta("library_code")
        lib.store.close()
        if held != reply["library_id"]:
            raise JoinRefused(f"thư viện trên thiết bị là {held}, mã đăng ký là của "
                              f"{reply['library_id']}: xin máy chủ cấp mã cho {held}")
    elif bootstrap:
        booted = _bootstrap(path, server, device, private, reply["library_id"],
                            reply["library_name"])
    lib = _finish(path, reply["library_id"], reply["library_name"], hub=server)
    with lib.store.transaction():
        if reply.get("hub_key"):
            lib.store.set_meta("hub_public_key", reply["hub_key"])
        if reply.get("certificate"):
            lib.store.set_meta("device_certificate", reply["certificate"])
    lib.store.close()
    name = reply["library_name"] or reply["library_id"]
    return Joined(reply["library_id"], name, device, booted,
                  f"Đã đăng ký thiết bị cho {name} ({reply['library_id']}).")

