"""A device joining its library (pairing on the LAN) or the hub (enrolment): plain
functions that the CLI and first boot both call.

- :func:`found_library` makes a database the first device of a library, offline.
- :func:`pair` joins a new device to a library through any paired device of it, offline.
- :func:`enrol` joins a device to the hub. An empty device bootstraps from the hub's
  snapshot; a library that stood up offline keeps everything it has (its device id and
  key too) and sends its history to the hub by ordinary sync, so nothing is lost or
  duplicated.
"""

from __future__ import annotations

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
    if _holds_events(path):
        raise JoinRefused(f"{path} đã có dữ liệu: chỉ ghép nối một thiết bị mới (trống)")
    path.parent.mkdir(parents=True, exist_ok=True)
    device_name = device_name or platform.node()
    _, public, private = _keys_for(path)
    try:
        reply = request_pairing(peer, code, device_name, public, role)
    except SyncError as exc:
        raise JoinRefused(str(exc)) from None
    _save_keys(path, reply["device_id"], private)  # the id the peer registered
    booted = _bootstrap(path, peer, reply["device_id"], private, reply["library_id"],
                        reply["library_name"])
    lib = _finish(path, reply["library_id"], reply["library_name"])
    with lib.store.transaction():
        if reply.get("hub_key"):
            lib.store.set_meta("hub_public_key", reply["hub_key"])
        peers = [p for p in (lib.store.get_meta("peers") or "").splitlines() if p.strip()]
        if peer.rstrip("/") not in peers:
            lib.store.set_meta("peers", "\n".join([*peers, peer.rstrip("/")]))
    lib.store.close()
    return Joined(reply["library_id"], reply["library_name"], reply["device_id"], booted,
                  f"Đã ghép nối thiết bị với {reply['library_name']} ({reply['library_id']}).")


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

