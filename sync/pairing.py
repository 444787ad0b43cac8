"""Pairing a new device with a paired device of the same library, over the LAN.

``kiosk pair-code`` on a paired device prints a one-time code: 8 digits, valid for
:data:`CODE_VALIDITY`, single use, kept only as a hash. ``kiosk pair --peer URL --code
CODE`` on the new device sends its public key with the code; the peer registers it in
the library's device registry (a replicated row) and the new device then bootstraps
from that peer with its own key. No hub is involved. Every wrong code counts against
all open codes: after :data:`MAX_FAILURES` they are void, so the 10^8 codes cannot be
walked; the endpoint is also rate-limited per client.
"""

from __future__ import annotations

import datetime as dt
import logging

from kiosk.core.library import Library
from sync import auth, identity

log = logging.getLogger(__name__)

CODE_VALIDITY = dt.timedelta(minutes=10)
MAX_FAILURES = 10


class PairingRefused(PermissionError):
    """A wrong, used, expired or exhausted pairing code."""


def issue_code(library: Library) -> tuple[str, dt.datetime]:
    library.require_initialised()
    if identity.device_id(library.store) is None:
        identity.ensure_own_registration(library, name="", role="counter")
    code = auth.new_pair_code()
    now = library.clock.now()
    expires = now + CODE_VALIDITY
    with library.store.transaction():
        library.store.execute(
            "INSERT INTO pairing_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)",
            (auth.hash_code(code), now.isoformat(), expires.isoformat()))
    return code, expires


def pair_device(library: Library, code: str, public_key: str, name: str, role: str) -> dict:
    """Check ``code`` and register the new device; returns what it needs to bootstrap."""
    store = library.store
    now = library.clock.now()
    if not auth.valid_public_key(public_key):
        raise PairingRefused("khóa công khai không hợp lệ")
    with store.transaction():
        row = store.one("SELECT * FROM pairing_codes WHERE code_hash = ?", (auth.hash_code(code),))
        usable = (row is not None and row["used_by"] is None and row["attempts"] < MAX_FAILURES
                  and dt.datetime.fromisoformat(row["expires_at"]) >= now)
        if not usable:
            store.execute("UPDATE pairing_codes SET attempts = attempts + 1 WHERE used_by IS NULL")
    if not usable:
        raise PairingRefused("mã ghép nối không đúng, đã dùng hoặc đã hết hạn: "
                             "tạo mã mới bằng `kiosk pair-code` trên máy đã ghép nối")
    from kiosk.store.eventlog import new_id

    device = new_id()
    with store.transaction():
        store.execute("UPDATE pairing_codes SET used_by = ? WHERE code_hash = ?",
                      (device, row["code_hash"]))
        identity.register(library, device, public_key, name=name, role=role,
                          by=identity.device_id(store))
    log.info("paired a new device for library %s", library.code)
    return {"device_id": device, "library_id": library.code, "library_name": library.name,
            "hub_key": store.get_meta("hub_public_key")}
