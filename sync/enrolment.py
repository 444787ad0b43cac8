"""Enrolment: the hub issues one-time codes; a device trades one for a place at the hub.

Hub side: :func:`issue_code`, :func:`enrol_device` (codes and the hub's view of each
device in the hub's own ``enrolment_codes`` and ``devices`` tables, never replicated).
The device brings its own key pair: an empty device makes one, a library that stood up
offline keeps its device id and key, and the hub registers that public key in the
library's device registry, which reaches every device of the library by sync.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from kiosk.core.errors import LibraryError
from kiosk.core.library import Library
from kiosk.store.db import Store
from kiosk.store.eventlog import new_id
from sync import auth, identity

log = logging.getLogger(__name__)

CODE_VALIDITY = dt.timedelta(days=7)
DISTRICT_ROLE = "district"


class EnrolmentRefused(PermissionError):
    """A wrong, used or expired code."""


@dataclass(frozen=True)
class Credentials:
    device_id: str
    private_key: str
    library_id: str | None
    district_url: str | None


def is_district(store: Store) -> bool:
    return store.get_meta("role") == DISTRICT_ROLE


def issue_code(library: Library, library_id: str) -> str:
    if library.store.one("SELECT 1 FROM libraries WHERE code = ?", (library_id,)) is None:
        raise LibraryError("invalid_input", detail=f"huyện chưa có thư viện {library_id}")
    code = auth.new_code()
    now = library.clock.now()
    with library.store.transaction():
        library.store.execute(
            "INSERT INTO enrolment_codes (code_hash, library_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)", (auth.hash_code(code), library_id, now.isoformat(),
                                    (now + CODE_VALIDITY).isoformat()))
    return code


def enrol_device(library: Library, code: str, device_name: str, app_version: str,
                 public_key: str, device_id: str | None = None) -> dict:
    store = library.store
    now = library.clock.now()
    if not auth.valid_public_key(public_key):
        raise EnrolmentRefused("khóa công khai của thiết bị không hợp lệ")
    if device_id is not None and not identity.DEVICE_ID.match(device_id):
        raise EnrolmentRefused("mã thiết bị không hợp lệ")
    with store.transaction():
        row = store.one("SELECT * FROM enrolment_codes WHERE code_hash = ?", (auth.hash_code(code),))
        if row is None or row["used_by"] is not None:
            raise EnrolmentRefused("mã đăng ký không đúng hoặc đã được dùng")
        if dt.datetime.fromisoformat(row["expires_at"]) < now:
            raise EnrolmentRefused("mã đăng ký đã hết hạn: xin máy chủ cấp mã mới")
        library_id = row["library_id"]
        device = device_id or new_id()
        held = identity.registered(store, device)
        if held is not None and held.library_id != library_id:
            raise EnrolmentRefused(f"thiết bị này đã thuộc thư viện {held.library_id}")
        store.execute(
            "INSERT INTO devices (device_id, library_id, name, key, enrolled_at, app_version) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET key = excluded.key, "
            "name = excluded.name, app_version = excluded.app_version",
            (device, library_id, device_name[:80], public_key, now.isoformat(), app_version[:40]))
        store.execute("UPDATE enrolment_codes SET used_by = ? WHERE code_hash = ?",
                      (device, row["code_hash"]))
        identity.register(library, device, public_key, name=device_name, role="kiosk",
                          library_id=library_id, by="hub")
        name = store.scalar("SELECT name FROM libraries WHERE code = ?", (library_id,))
    log.info("enrolled a device for library %s", library_id)
    hub_private, hub_public = hub_keys(store)
    return {"device_id": device, "library_id": library_id, "library_name": name,
            "hub_key": hub_public,
            "certificate": auth.certify(hub_private, device, library_id, public_key)}


def hub_keys(store: Store) -> tuple[str, str]:
    """The hub's own key pair (hub-only ``meta``): it certifies the devices it enrols, so
    the library's other devices accept them on the LAN before their next hub sync."""
    private = store.get_meta("hub_private_key")
    if private is None:
        private, _ = auth.new_keypair()
        store.set_meta("hub_private_key", private)
    return private, auth.public_of(private)


def save_enrolment(store: Store, hub_url: str) -> None:
    store.set_meta("district_url", hub_url)


def credentials(store: Store) -> Credentials | None:
    device = identity.device_id(store)
    key = identity.private_key(store)
    if device is None or key is None:
        return None
    return Credentials(device, key, store.get_meta("library_code"), store.get_meta("district_url"))
