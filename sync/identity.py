"""This device's identity and the library's registry of devices.

A device's id and private key live in its ``meta`` (never replicated, never in a
snapshot). Its public key, name and role are a row of ``device_registry`` in its
library's partition, and each origin it writes with is a row of ``device_origins``, so
every peer can check its signatures and, once it is revoked, refuse what it wrote
afterwards. Registration is written by whoever admits the device: the library's first
device itself (``kiosk init``), the paired device that checked a pairing code, or the
hub that checked an enrolment code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from kiosk.core.errors import LibraryError
from kiosk.core.library import Library
from kiosk.store.db import Store
from kiosk.store.eventlog import new_id
from sync import auth

log = logging.getLogger(__name__)

DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")
ROLES = ("kiosk", "counter", "hub")


@dataclass(frozen=True)
class RegisteredDevice:
    device_id: str
    library_id: str
    public_key: str
    name: str | None
    revoked: bool


def device_id(store: Store) -> str | None:
    return store.get_meta("device_id")


def private_key(store: Store) -> str | None:
    return store.get_meta("device_private_key")


def make_keys(store: Store, device: str | None = None) -> tuple[str, str]:
    """Mint this device's id and key pair (once); returns ``(device_id, public_key)``."""
    existing = device_id(store)
    if existing and private_key(store):
        return existing, auth.public_of(private_key(store))
    private, public = auth.new_keypair()
    device = device or new_id()
    with store.transaction():
        store.set_meta("device_id", device)
        store.set_meta("device_private_key", private)
    return device, public


def register(library: Library, device: str, public_key: str, *, name: str, role: str,
             library_id: str | None = None, by: str | None = None) -> None:
    """Write ``device``'s registry row into its library's partition."""
    if not DEVICE_ID.match(device) or not auth.valid_public_key(public_key):
        raise LibraryError("invalid_input", detail="mã thiết bị hoặc khóa công khai không hợp lệ")
    owner = library_id or library.code
    fields = {"library_id": owner, "public_key": public_key, "name": name[:80] or None,
              "role": role if role in ROLES else "kiosk", "registered_at": library.now_iso(),
              "registered_by": by}
    held = registered(library.store, device)
    if held is not None and held.library_id != owner:
        raise LibraryError("duplicate", detail=f"thiết bị {device} đã thuộc thư viện {held.library_id}")
    if held is not None and held.public_key == public_key:
        return
    library.put("device_registry", device, fields, library_id=owner)


def register_origin(library: Library) -> None:
    """Tie this incarnation's origin to this device, so revocation can reach it."""
    device = device_id(library.store)
    if device is None or library.store.get_meta("library_code") is None:
        return
    origin = library.log.origin_id
    if library.store.one("SELECT 1 FROM device_origins WHERE id = ?", (origin,)) is None:
        library.put("device_origins", origin, {"device_id": device, "library_id": library.code})


def ensure_own_registration(library: Library, *, name: str, role: str) -> str:
    """On a library's first device (or any device with keys but no row): register itself."""
    device, public = make_keys(library.store)
    register(library, device, public, name=name, role=role, by=device)
    register_origin(library)
    return device


def registered(store: Store, device: str) -> RegisteredDevice | None:
    row = store.one("SELECT * FROM device_registry WHERE id = ?", (device,))
    if row is None:
        return None
    return RegisteredDevice(row["id"], row["library_id"], row["public_key"], row["name"],
                            row["revoked_at"] is not None)


def revoke(library: Library, device: str, by: str) -> bool:
    """Revoke a device (it syncs to every peer); False if unknown or already revoked."""
    held = registered(library.store, device)
    if held is None or held.revoked:
        return False
    library.put("device_registry", device, {
        "revoked_at": library.now_iso(), "revoked_by": by[:80],
        "revoked_hlc": library.log.floor()}, library_id=held.library_id)
    log.info("device %s revoked", device)
    return True


def listing(store: Store, library_id: str | None = None) -> list[dict[str, Any]]:
    return [dict(r) for r in store.all(
        "SELECT id, library_id, name, role, registered_at, revoked_at, revoked_by "
        "FROM device_registry WHERE ?1 IS NULL OR library_id = ?1 ORDER BY registered_at, id",
        (library_id,))]
