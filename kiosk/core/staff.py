"""The staff and technician PINs of this node: two separate PINs, and no default.

Each is stored as a verifier (:mod:`kiosk.core.pins`) in the store's ``meta`` table, never
in clear, and belongs to this node only: ``meta`` is not replicated, and a snapshot
never carries ``staff_pin_hash`` (see ``docs/security.md`` for the technician key). A node
whose PIN is not set keeps that area locked: there is no first-boot PIN that a patron
could read off a screen or a manual. A technician sets them from the first-boot settings
file, from the technician area, or with ``kiosk staff-pin set [--technician]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core import pins
from kiosk.core.errors import LibraryError

if TYPE_CHECKING:
    from kiosk.store.db import Store

STAFF, TECHNICIAN = "staff", "technician"
AREAS = (STAFF, TECHNICIAN)
META_KEYS = {STAFF: "staff_pin_hash", TECHNICIAN: "technician_pin_hash"}
META_KEY = META_KEYS[STAFF]


def _key(area: str) -> str:
    try:
        return META_KEYS[area]
    except KeyError:
        raise ValueError(f"unknown area {area!r}") from None


def has_pin(store: "Store", area: str = STAFF) -> bool:
    return bool(store.get_meta(_key(area)))


def set_pin(store: "Store", area: str, pin: str) -> None:
    """Replace the PIN of ``area`` (4–8 digits); no check of the old one (see below)."""
    if not pins.valid_pin_format(pin):
        raise LibraryError("invalid_input", detail=pins.FORMAT_HINT)
    store.set_meta(_key(area), pins.hash_pin(pin))


def set_verifier(store: "Store", area: str, verifier: str) -> None:
    """Install a verifier made elsewhere (first boot hashes the settings file's PINs)."""
    if pins.cost(verifier) is None:
        raise ValueError(f"not a PIN verifier for {area}")
    store.set_meta(_key(area), verifier)


def verify(store: "Store", area: str, pin: str) -> bool:
    """True when ``pin`` is the PIN of ``area``; always False while none is set.

    A verifier made at an older cost is replaced after a successful check.
    """
    stored = store.get_meta(_key(area))
    ok = pins.verify_pin(pin, stored)
    if ok and pins.needs_rehash(stored):
        store.set_meta(_key(area), pins.hash_pin(pin))
    return ok


def change_technician_pin(store: "Store", new_pin: str, current: str | None) -> None:
    """Set the technician PIN from the technician screen: allowed when none exists, or
    when ``current`` is the present one. (``kiosk staff-pin set --technician`` needs no
    current PIN: whoever has a shell on the device can rewrite its database anyway.)"""
    if has_pin(store, TECHNICIAN) and not verify(store, TECHNICIAN, current or ""):
        raise LibraryError("bad_pin")
    set_pin(store, TECHNICIAN, new_pin)


def has_staff_pin(store: "Store") -> bool:
    return has_pin(store, STAFF)


def set_staff_pin(store: "Store", pin: str) -> None:
    set_pin(store, STAFF, pin)


def verify_staff_pin(store: "Store", pin: str) -> bool:
    return verify(store, STAFF, pin)
