"""Lending rules per patron category and item type, and the library calendar.

A rule with ``item_type='*'`` caps a category's loans across all types. ``max_loans=0``
means the type is not lent to that category (reference books: read in the library).
Due dates never fall on a closed day: they move to the next open day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.core.errors import LibraryError

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

    def close_day(self, day: dt.date, reason: str = "") -> None:
        self.lib.put("closed_days", day.isoformat(), {"reason": reason})

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
