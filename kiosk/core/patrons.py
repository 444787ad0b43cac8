"""Patrons: only what lending needs (no ID-card numbers, no full birth dates)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kiosk.core import pins
from kiosk.core.errors import LibraryError
from kiosk.core.text import fold, nfc

if TYPE_CHECKING:
    from kiosk.core.library import Library

CATEGORIES = {
    "child": ("Thiếu nhi", "Child"),
    "student": ("Học sinh, sinh viên", "Student"),
    "adult": ("Người lớn", "Adult"),
    "elderly": ("Người cao tuổi", "Elderly"),
    "disabled": ("Người khuyết tật", "Disabled"),
}
CARD_VALIDITY_DAYS = 365


def mask_card(card_number: str) -> str:
    """What a slip or a log may show of a card number."""
    return "••••" + card_number[-4:]


def public_view(row) -> dict[str, Any]:
    data = dict(row)
    data.pop("pin_hash", None)
    data["has_pin"] = bool(row["pin_hash"])
    return data


class Patrons:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def _next_card_number(self) -> str:
        prefix = self.lib.code.upper()
        count = self.store.scalar(
            "SELECT COUNT(*) FROM patrons WHERE card_number LIKE ?", (prefix + "%",)
        )
        while True:
            count += 1
            card = f"{prefix}{count:06d}"
            if not self.store.one("SELECT 1 FROM patrons WHERE card_number = ?", (card,)):
                return card

    def add(
        self,
        name: str,
        category: str = "adult",
        *,
        birth_year: int | None = None,
        phone: str | None = None,
        commune: str | None = None,
        address: str | None = None,
        pin: str | None = None,
        card_number: str | None = None,
        expires_on: dt.date | str | None = None,
        home_library: str | None = None,
    ) -> dict[str, Any]:
        name = nfc(name).strip()
        if not name:
            raise LibraryError("invalid_input", detail="thiếu họ tên")
        if category not in CATEGORIES:
            raise LibraryError("invalid_input",
                               detail=f"đối tượng {category!r} (chọn: {', '.join(CATEGORIES)})")
        if pin is not None and not pins.valid_pin_format(pin):
            raise LibraryError("invalid_input", detail=pins.FORMAT_HINT)
        this_year = self.lib.clock.today().year
        if birth_year is not None and not (1900 <= int(birth_year) <= this_year):
            raise LibraryError("invalid_input", detail=f"năm sinh {birth_year}")
        card_number = (card_number or self._next_card_number()).strip()
        if self.store.one("SELECT 1 FROM patrons WHERE card_number = ?", (card_number,)):
            raise LibraryError("duplicate", detail=f"số thẻ {card_number}")
        if expires_on is None:
            expires_on = self.lib.clock.today() + dt.timedelta(days=CARD_VALIDITY_DAYS)
        pin_hash = pins.hash_pin(pin) if pin else None  # slow: not inside the write
        with self.lib.transaction():
            patron_id = self.lib.log.new_entity_id()
            self.lib.put("patrons", patron_id, {
                "card_number": card_number, "name": name, "category": category,
                "birth_year": int(birth_year) if birth_year else None,
                "phone": phone or None, "commune": nfc(commune) if commune else None,
                "address": nfc(address) if address else None,
                "home_library": home_library or self.lib.code,
                "expires_on": str(expires_on), "pin_hash": pin_hash,
                "blocked_reason": None, "created_at": self.lib.now_iso(),
            })
        return self.get(card_number)

    def _row(self, card_number: str):
        row = self.store.one("SELECT * FROM patrons WHERE card_number = ?", (card_number.strip(),))
        if row is None:
            raise LibraryError("patron_not_found", card=card_number)
        return row

    def get(self, card_number: str) -> dict[str, Any]:
        return public_view(self._row(card_number))

    def by_id(self, patron_id: str) -> dict[str, Any]:
        row = self.store.one("SELECT * FROM patrons WHERE id = ?", (patron_id,))
        if row is None:
            raise LibraryError("patron_not_found", card=patron_id)
        return public_view(row)

    def authenticate(self, card_number: str, pin: str) -> dict[str, Any]:
        """The patron whose card and PIN these are; ``bad_pin`` otherwise.

        An unknown card costs the same derivation as a wrong PIN. A verifier made at an
        older cost is replaced after a successful check, by a device of the patron's home
        library only (no other device may change the row).
        """
        try:
            row = self._row(card_number)
        except LibraryError:
            pins.verify_pin(pin, None)
            raise
        if not pins.verify_pin(pin, row["pin_hash"]):
            raise LibraryError("bad_pin")
        if pins.needs_rehash(row["pin_hash"]) and row["home_library"] == self.lib.code:
            self.lib.put("patrons", row["id"], {"pin_hash": pins.hash_pin(pin)})
            row = self._row(card_number)
        return public_view(row)

    def set_pin(self, card_number: str, pin: str) -> None:
        if not pins.valid_pin_format(pin):
            raise LibraryError("invalid_input", detail=pins.FORMAT_HINT)
        row = self._row(card_number)
        self.lib.put("patrons", row["id"], {"pin_hash": pins.hash_pin(pin)})

    def update(self, card_number: str, **fields: Any) -> dict[str, Any]:
        allowed = {"name", "category", "birth_year", "phone", "commune", "address",
                   "home_library", "expires_on", "blocked_reason"}
        unknown = set(fields) - allowed
        if unknown:
            raise LibraryError("invalid_input", detail=f"trường không sửa được: {sorted(unknown)}")
        if "category" in fields and fields["category"] not in CATEGORIES:
            raise LibraryError("invalid_input", detail=f"đối tượng {fields['category']!r}")
        row = self._row(card_number)
        self.lib.put("patrons", row["id"], {k: (nfc(v) if isinstance(v, str) else v)
                                            for k, v in fields.items()})
        return self.get(card_number)

    def renew_card(self, card_number: str, until: dt.date | None = None) -> dict[str, Any]:
        until = until or self.lib.clock.today() + dt.timedelta(days=CARD_VALIDITY_DAYS)
        return self.update(card_number, expires_on=str(until))

    def list(self, query: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.store.all("SELECT * FROM patrons ORDER BY name")
        if query:
            needle = fold(query)
            rows = [r for r in rows
                    if needle in fold(r["name"]) or needle in fold(r["card_number"])]
        return [public_view(r) for r in rows[:limit]]

    def count(self) -> int:
        return self.store.scalar("SELECT COUNT(*) FROM patrons")
