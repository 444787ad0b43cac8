"""Lending rules per patron category and item type, and the library calendar.

A rule with ``item_type='*'`` caps a category's loans across all types. ``max_loans=0``
means the type is not lent to that category (reference books: read in the library).
Due dates never fall on a closed day: they move to the next open day.

Every way of changing the rules or the calendar (the command line, the staff settings
screen) goes through the checks here, so both refuse the same input with the same message.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.core.catalogue import ITEM_TYPES
from kiosk.core.errors import LibraryError
from kiosk.core.patrons import CATEGORIES
from kiosk.core.text import nfc

if TYPE_CHECKING:
    from kiosk.core.library import Library


@dataclass(frozen=True)
class Rule:
    loan_days: int
    max_loans: int
    max_renewals: int


DEFAULT_RULES: dict[tuple[str, str], Rule] = {}
for _cat, _total, _days in [("child", 3, 14), ("student", 5, 14), ("adult", 5, 14),
                            ("elderly", 5, 21), ("disabled", 5, 28)]:
    DEFAULT_RULES[(_cat, "*")] = Rule(_days, _total, 2)
    DEFAULT_RULES[(_cat, "book")] = Rule(_days, _total, 2)
    DEFAULT_RULES[(_cat, "children")] = Rule(_days, _total, 2)
    DEFAULT_RULES[(_cat, "periodical")] = Rule(7, 2, 1)
    DEFAULT_RULES[(_cat, "av")] = Rule(7, 2, 1)
    DEFAULT_RULES[(_cat, "reference")] = Rule(0, 0, 0)

# Public holidays on fixed solar dates; lunar ones (Tết, Giỗ Tổ) are added per year.
DEFAULT_ANNUAL_CLOSED = ["01-01", "04-30", "05-01", "09-02"]
DEFAULT_SETTINGS = {
    "overdue_block_days": 10,
    "hold_pickup_days": 7,
    "closed_weekdays": [],
    "annual_closed": DEFAULT_ANNUAL_CLOSED,
}
MAX_CALENDAR_SCAN_DAYS = 366
RULE_LIMITS = {"loan_days": 365, "max_loans": 50, "max_renewals": 10}
MAX_REASON_CHARS = 120
MAX_HOURS_CHARS = 200
ALL_TYPES = "*"


def checked_rule(category: str, item_type: str, loan_days: int, max_loans: int,
                 max_renewals: int) -> Rule:
    """The rule for ``category``/``item_type``, or a refusal saying what is wrong."""
    if category not in CATEGORIES:
        raise LibraryError("invalid_input", detail=f"đối tượng bạn đọc {category!r}")
    if item_type != ALL_TYPES and item_type not in ITEM_TYPES:
        raise LibraryError("invalid_input", detail=f"loại tài liệu {item_type!r}")
    values = {"loan_days": loan_days, "max_loans": max_loans, "max_renewals": max_renewals}
    names = {"loan_days": "số ngày mượn", "max_loans": "số cuốn tối đa",
             "max_renewals": "số lần gia hạn"}
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise LibraryError("invalid_input", detail=f"{names[key]} phải là số nguyên")
        if not 0 <= value <= RULE_LIMITS[key]:
            raise LibraryError("invalid_input",
                               detail=f"{names[key]} từ 0 đến {RULE_LIMITS[key]}")
    if max_loans > 0 and loan_days == 0:
        raise LibraryError("invalid_input",
                           detail="tài liệu cho mượn về nhà cần ít nhất 1 ngày mượn")
    return Rule(loan_days, max_loans, max_renewals)


def checked_reason(reason: str) -> str:
    reason = nfc((reason or "").strip())
    if len(reason) > MAX_REASON_CHARS:
        raise LibraryError("invalid_input",
                           detail=f"lý do nghỉ dài quá {MAX_REASON_CHARS} ký tự")
    return reason


def checked_hours(text: str | None) -> str | None:
    text = nfc((text or "").strip())
    if len(text) > MAX_HOURS_CHARS:
        raise LibraryError("invalid_input", detail=f"giờ mở cửa dài quá {MAX_HOURS_CHARS} ký tự")
    if any(ord(ch) < 32 for ch in text):
        raise LibraryError("invalid_input", detail="giờ mở cửa chỉ gồm một dòng chữ")
    return text or None


def checked_weekdays(days) -> list[int]:
    """Weekdays the library is closed every week, 0 = Monday … 6 = Sunday."""
    out = sorted(set(days))
    if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in out):
        raise LibraryError("invalid_input", detail="ngày trong tuần từ 0 (thứ Hai) đến 6")
    if len(out) == 7:
        raise LibraryError("invalid_input", detail="thư viện không thể nghỉ cả bảy ngày")
    return out


class Policy:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def seed_defaults(self) -> None:
        with self.lib.transaction():
            for (category, item_type), rule in DEFAULT_RULES.items():
                self.set_rule(category, item_type, rule)
            if self.store.get_meta("settings") is None:
                self.store.set_meta("settings", json.dumps(DEFAULT_SETTINGS))

    def set_rule(self, category: str, item_type: str, rule: Rule) -> None:
        rule = checked_rule(category, item_type, rule.loan_days, rule.max_loans,
                            rule.max_renewals)
        self.lib.put("policies", f"{category}/{item_type}", {
            "patron_category": category, "item_type": item_type, "loan_days": rule.loan_days,
            "max_loans": rule.max_loans, "max_renewals": rule.max_renewals,
        })

    def rule(self, category: str, item_type: str) -> Rule:
        row = self.store.one(
            "SELECT loan_days, max_loans, max_renewals FROM policies "
            "WHERE patron_category = ? AND item_type = ?", (category, item_type))
        if row is None:
            return DEFAULT_RULES.get((category, item_type), Rule(0, 0, 0))
        return Rule(*row)

    @property
    def settings(self) -> dict:
        stored = json.loads(self.store.get_meta("settings") or "{}")
        return {**DEFAULT_SETTINGS, **stored}

    def update_settings(self, **changes) -> None:
        unknown = set(changes) - set(DEFAULT_SETTINGS)
        if unknown:
            raise LibraryError("invalid_input", detail=f"cài đặt không có: {sorted(unknown)}")
        self.store.set_meta("settings", json.dumps({**self.settings, **changes}))

    # Calendar

    def rules(self) -> dict[tuple[str, str], Rule]:
        """Every category/type rule in force (stored, else the default)."""
        types = (ALL_TYPES, *ITEM_TYPES)
        return {(c, t): self.rule(c, t) for c in CATEGORIES for t in types}

    def set_closed_weekdays(self, days) -> None:
        self.update_settings(closed_weekdays=checked_weekdays(days))

    def opening_hours(self) -> str | None:
        row = self.store.one("SELECT opening_hours FROM libraries WHERE code = ?",
                             (self.lib.code,))
        return row["opening_hours"] if row else None

    def set_opening_hours(self, text: str | None) -> None:
        """The opening hours patrons read on the kiosk's first screen (free text)."""
        self.lib.put("libraries", self.lib.code, {"opening_hours": checked_hours(text)})

    def close_day(self, day: dt.date, reason: str = "") -> None:
        if not isinstance(day, dt.date):
            raise LibraryError("invalid_input", detail="ngày nghỉ phải là một ngày (YYYY-MM-DD)")
        self.lib.put("closed_days", day.isoformat(), {"reason": checked_reason(reason)})

    def reopen_day(self, day: dt.date) -> None:
        self.lib.record("record.delete", {"table": "closed_days", "id": day.isoformat()})

    def closed_days(self) -> list[tuple[str, str]]:
        return [(r["date"], r["reason"] or "")
                for r in self.store.all("SELECT date, reason FROM closed_days ORDER BY date")]

    def is_open(self, day: dt.date) -> bool:
        settings = self.settings
        if day.weekday() in settings["closed_weekdays"]:
            return False
        if day.strftime("%m-%d") in settings["annual_closed"]:
            return False
        return self.store.one("SELECT 1 FROM closed_days WHERE date = ?",
                              (day.isoformat(),)) is None

    def next_open_day(self, day: dt.date) -> dt.date:
        for _ in range(MAX_CALENDAR_SCAN_DAYS):
            if self.is_open(day):
                return day
            day += dt.timedelta(days=1)
        raise LibraryError("invalid_input", detail="lịch thư viện đóng cửa suốt một năm")

    def due_date(self, start: dt.date, loan_days: int) -> dt.date:
        return self.next_open_day(start + dt.timedelta(days=loan_days))
