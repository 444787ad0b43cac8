"""Enrolment: the district issues one-time codes; a device trades one for its keys.

District side: :func:`issue_code`, :func:`enrol_device` (state kept in the district's own
``enrolment_codes`` and ``devices`` tables, never replicated). Device side:
:func:`save_credentials` and :func:`credentials` (kept in ``meta``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from kiosk.core.errors import LibraryError
from kiosk.core.library import Library
from kiosk.store.db import Store
from kiosk.store.eventlog import new_id
from sync import auth

log = logging.getLogger(__name__)

CODE_VALIDITY = dt.timedelta(days=7)
DISTRICT_ROLE = "district"


class EnrolmentRefused(PermissionError):
    """A wrong, used or expired code."""


@dataclass(frozen=True)
class Credentials:
    device_id: str
    device_key: str
    library_key: str
    library_id: str
    district_url: str | None


def is_district(store: Store) -> bool:
    return store.get_meta("role") == DISTRICT_ROLE


def library_key(store: Store, library_id: str) -> str:
    """The shared LAN key of a library, created on first use (district side)."""
    name = f"library_key:{library_id}"
    key = store.get_meta(name)
    if key is None:
        key = auth.new_key()
        store.set_meta(name, key)
    return key


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


def enrol_device(library: Library, code: str, device_name: str, app_version: str) -> dict:
    store = library.store
    now = library.clock.now()
    with store.transaction():
        row = store.one("SELECT * FROM enrolment_codes WHERE code_hash = ?", (auth.hash_code(code),))
        if row is None or row["used_by"] is not None:
            raise EnrolmentRefused("mã đăng ký không đúng hoặc đã được dùng")
        if dt.datetime.fromisoformat(row["expires_at"]) < now:
            raise EnrolmentRefused("mã đăng ký đã hết hạn: xin huyện cấp mã mới")
        device_id = new_id()
        key = auth.new_key()
        store.execute(
            "INSERT INTO devices (device_id, library_id, name, key, enrolled_at, app_version) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (device_id, row["library_id"], device_name[:80], key, now.isoformat(), app_version[:40]))
        store.execute("UPDATE enrolment_codes SET used_by = ? WHERE code_hash = ?",
                      (device_id, row["code_hash"]))
        name = store.scalar("SELECT name FROM libraries WHERE code = ?", (row["library_id"],))
        shared = library_key(store, row["library_id"])
    log.info("enrolled a device for library %s", row["library_id"])
    return {"device_id": device_id, "device_key": key, "library_id": row["library_id"],
            "library_name": name, "library_key": shared}


def save_credentials(store: Store, creds: dict, district_url: str) -> None:
    with store.transaction():
        for key in ("device_id", "device_key", "library_key"):
            store.set_meta(key, creds[key])
        store.set_meta("district_url", district_url)


def credentials(store: Store) -> Credentials | None:
    device_id = store.get_meta("device_id")
    if device_id is None:
        return None
    return Credentials(device_id, store.get_meta("device_key"), store.get_meta("library_key"),
                       store.get_meta("library_code"), store.get_meta("district_url"))
