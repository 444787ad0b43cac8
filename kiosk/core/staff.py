"""The counter's staff PIN: one shared PIN for the librarians of this node.

Stored as an scrypt hash in the store's ``meta`` table (key ``staff_pin_hash``), never in
clear. A node that has never had a staff PIN set accepts the documented first-boot PIN
``0000`` (:data:`DEMO_STAFF_PIN`) until a technician sets a real one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core import pins
from kiosk.core.errors import LibraryError

if TYPE_CHECKING:
    from kiosk.store.db import Store

META_KEY = "staff_pin_hash"
DEMO_STAFF_PIN = "0000"


def has_staff_pin(store: "Store") -> bool:
    return bool(store.get_meta(META_KEY))


def set_staff_pin(store: "Store", pin: str) -> None:
    """Replace the staff PIN (4–8 digits)."""
    if not pins.valid_pin_format(pin):
        raise LibraryError("invalid_input", detail="mã PIN phải gồm 4–8 chữ số")
    store.set_meta(META_KEY, pins.hash_pin(pin))


def ensure_staff_pin(store: "Store", pin: str = DEMO_STAFF_PIN) -> bool:
    """Set ``pin`` as the staff PIN if none is set yet; True when it did."""
    if has_staff_pin(store):
        return False
    set_staff_pin(store, pin)
    return True


def verify_staff_pin(store: "Store", pin: str) -> bool:
    """True when ``pin`` is the staff PIN (the first-boot PIN while none is set)."""
    stored = store.get_meta(META_KEY)
    if not stored:
        return pin == DEMO_STAFF_PIN
    return pins.verify_pin(pin, stored)
