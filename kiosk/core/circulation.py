"""Checkout, checkin and renewal under the library's lending policy.

Every refusal is a :class:`LibraryError` with a code and a Vietnamese message. Staff may
override the patron-side blocks with a reason, which is kept in the event. No override
lends or renews on a machine clock that cannot be trusted (:mod:`kiosk.core.clock_sanity`):
the due date would be wrong for the whole loan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.core import clock_sanity
from kiosk.core.catalogue import ITEM_TYPE_NAMES
from kiosk.core.errors import LibraryError
from kiosk.core.patrons import mask_card

if TYPE_CHECKING:
    from kiosk.core.library import Library

OVERRIDABLE = {"card_expired", "patron_blocked", "overdue_block", "max_loans",
               "item_on_hold_for_other", "item_not_for_loan", "renewal_limit",
               "renewal_on_hold"}


@dataclass
class LoanResult:
    loan_id: str
    barcode: str
    title: str
    due_date: dt.date
    patron_name: str
    card_masked: str
    renewals: int = 0
    overrides: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["due_date"] = self.due_date.isoformat()
        return data


@dataclass
class ReturnResult:
    return_id: str
    barcode: str
    title: str
    days_overdue: int
    hold_shelf_for: str | None = None
    hold_card_masked: str | None = None
    hold_pickup_expires: str | None = None

    @property
    def message(self) -> str:
        if self.hold_shelf_for:
            return f"Đặt lên giá sách giữ chỗ cho: {self.hold_shelf_for} ({self.hold_card_masked})"
        if self.days_overdue > 0:
            return f"Đã trả. Sách quá hạn {self.days_overdue} ngày."
        return "Đã trả sách. Cảm ơn bạn!"

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "message": self.message}


def short_name(full_name: str) -> str:
    """``Nguyễn Văn An`` -> ``N. V. An``: enough for a hold shelf label or slip."""
    parts = full_name.split()
    if len(parts) <= 1:
        return full_name
    return " ".join(p[0] + "." for p in parts[:-1]) + " " + parts[-1]


class Circulation:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    # Checks

    def _patron_blocks(self, patron, today: dt.date) -> list[LibraryError]:
        blocks = []
        if patron["blocked_reason"]:
            blocks.append(LibraryError("patron_blocked", reason=patron["blocked_reason"]))
        if dt.date.fromisoformat(patron["expires_on"]) < today:
            expires = dt.date.fromisoformat(patron["expires_on"]).strftime("%d/%m/%Y")
            blocks.append(LibraryError("card_expired", expires=expires))
        days = self.lib.policy.settings["overdue_block_days"]
        limit = (today - dt.timedelta(days=days)).isoformat()
        late = self.store.scalar(
            "SELECT COUNT(*) FROM loans WHERE patron_id = ? AND due_date < ?",
            (patron["id"], limit))
        if late:
            blocks.append(LibraryError("overdue_block", count=late, days=days))
        return blocks

    @staticmethod
    def _enforce(problems: list[LibraryError], override: str | None) -> list[str]:
        """Raise the first problem unless staff overrode every one of them."""
        for problem in problems:
            if not override or problem.code not in OVERRIDABLE:
                raise problem
        return [p.code for p in problems]

    def patron_for_card(self, card_number: str):
        row = self.store.one("SELECT * FROM patrons WHERE card_number = ?", (card_number.strip(),))
        if row is None:
            raise LibraryError("patron_not_found", card=card_number)
        return row

    def check_patron(self, card_number: str) -> list[LibraryError]:
        """The blocks a patron would meet now (the kiosk shows them on identification)."""
        return self._patron_blocks(self.patron_for_card(card_number), self.lib.clock.today())

    def _item(self, barcode: str):
        row = self.store.one(
            "SELECT i.*, r.title FROM items i JOIN records r ON r.id = i.record_id "
            "WHERE i.barcode = ? ORDER BY i.library_id = ? DESC", (barcode.strip(), self.lib.code))
        if row is None:
            raise LibraryError("item_not_found", barcode=barcode.strip())
        return row

    # Operations

    def checkout(self, card_number: str, barcode: str, override: str | None = None) -> LoanResult:
        clock_sanity.require_sane(self.lib)
        today = self.lib.clock.today()
        patron = self.patron_for_card(card_number)
        item = self._item(barcode)
        loan = self.store.one("SELECT * FROM loans WHERE item_id = ?", (item["id"],))
        if loan is not None:
            if loan["patron_id"] == patron["id"]:
                due = dt.date.fromisoformat(loan["due_date"]).strftime("%d/%m/%Y")
                raise LibraryError("already_on_loan_to_you", due=due)
            raise LibraryError("item_on_loan")
        if item["status"] != "available":
            raise LibraryError("item_unavailable", status=item["status"])
        problems = self._patron_blocks(patron, today)
        rule = self.lib.policy.rule(patron["category"], item["item_type"])
        total = self.lib.policy.rule(patron["category"], "*")
        if rule.max_loans == 0:
            problems.append(LibraryError("item_not_for_loan"))
        else:
            same_type = self.store.scalar(
                "SELECT COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id "
                "WHERE l.patron_id = ? AND i.item_type = ?", (patron["id"], item["item_type"]))
            all_loans = self.store.scalar(
                "SELECT COUNT(*) FROM loans WHERE patron_id = ?", (patron["id"],))
            if same_type >= rule.max_loans:
                vi, en = ITEM_TYPE_NAMES.get(item["item_type"], (item["item_type"],) * 2)
                problems.append(LibraryError("max_loans", max=rule.max_loans, kind=vi,
                                             kind_en=en))
            elif all_loans >= total.max_loans:
                problems.append(LibraryError("max_loans", max=total.max_loans, kind="tất cả",
                                             kind_en="all kinds"))
        trapped = self.store.one(
            "SELECT * FROM holds WHERE item_id = ? AND status = 'trapped'", (item["id"],))
        if trapped is not None and trapped["patron_id"] != patron["id"]:
            problems.append(LibraryError("item_on_hold_for_other"))
        overrides = self._enforce(problems, override)
        due = self.lib.policy.due_date(today, rule.loan_days or total.loan_days)
        payload: dict[str, Any] = {"item_id": item["id"], "patron_id": patron["id"],
                                   "due_date": due.isoformat()}
        if overrides:
            payload["override"] = {"codes": overrides, "reason": override}
        with self.lib.transaction():
            event = self.lib.record("loan.checkout", payload)
            self.lib.holds.fill_on_checkout(patron["id"], item, event.uuid)
        return LoanResult(event.uuid, item["barcode"], item["title"], due, patron["name"],
                          mask_card(patron["card_number"]), overrides=overrides)

    def checkin(self, barcode: str) -> ReturnResult:
        today = self.lib.clock.today()
        item = self._item(barcode)
        loan = self.store.one("SELECT * FROM loans WHERE item_id = ?", (item["id"],))
        if loan is None:
            raise LibraryError("not_on_loan")
        days_overdue = max(0, (today - dt.date.fromisoformat(loan["due_date"])).days)
        with self.lib.transaction():
            event = self.lib.record("loan.checkin", {
                "item_id": item["id"], "loan_id": loan["id"], "patron_id": loan["patron_id"]})
            trap = self.lib.holds.trap_on_checkin(item)
        result = ReturnResult(event.uuid, item["barcode"], item["title"], days_overdue)
        if trap is not None:
            result.hold_shelf_for = short_name(trap["name"])
            result.hold_card_masked = mask_card(trap["card_number"])
            result.hold_pickup_expires = trap["pickup_expires"]
        return result

    def renew(self, card_number: str, barcode: str, override: str | None = None) -> LoanResult:
        clock_sanity.require_sane(self.lib)
        today = self.lib.clock.today()
        patron = self.patron_for_card(card_number)
        item = self._item(barcode)
        loan = self.store.one("SELECT * FROM loans WHERE item_id = ?", (item["id"],))
        if loan is None:
            raise LibraryError("not_on_loan")
        if loan["patron_id"] != patron["id"]:
            raise LibraryError("not_your_loan")
        rule = self.lib.policy.rule(patron["category"], item["item_type"])
        problems = self._patron_blocks(patron, today)
        if loan["renewals"] >= rule.max_renewals:
            problems.append(LibraryError("renewal_limit", max=rule.max_renewals))
        if self.lib.holds.waiting_count(item["record_id"]):
            problems.append(LibraryError("renewal_on_hold"))
        overrides = self._enforce(problems, override)
        current = dt.date.fromisoformat(loan["due_date"])
        due = max(current, self.lib.policy.due_date(today, rule.loan_days))
        payload: dict[str, Any] = {"loan_id": loan["id"], "item_id": item["id"],
                                   "patron_id": patron["id"], "due_date": due.isoformat()}
        if overrides:
            payload["override"] = {"codes": overrides, "reason": override}
        self.lib.record("loan.renew", payload)
        return LoanResult(loan["id"], item["barcode"], item["title"], due, patron["name"],
                          mask_card(patron["card_number"]), renewals=loan["renewals"] + 1,
                          overrides=overrides)

    def renew_all(self, card_number: str) -> list[LoanResult | LibraryError]:
        results: list[LoanResult | LibraryError] = []
        for loan in self.loans(card_number):
            try:
                results.append(self.renew(card_number, loan["barcode"]))
            except LibraryError as refusal:
                results.append(refusal)
        return results

    def record_visit(self, card_number: str | None = None) -> None:
        """A kiosk session or a counter visit, for the visits count in reports."""
        patron_id = self.patron_for_card(card_number)["id"] if card_number else None
        self.lib.record("visit", {"patron_id": patron_id})

    # Views

    def loans(self, card_number: str | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT l.id, l.due_date, l.renewals, l.checked_out_at, i.barcode, r.title, "
               "r.id AS record_id, p.card_number, p.name FROM loans l "
               "JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id "
               "JOIN patrons p ON p.id = l.patron_id")
        params: tuple = ()
        if card_number is not None:
            sql += " WHERE l.patron_id = ?"
            params = (self.patron_for_card(card_number)["id"],)
        sql += " ORDER BY l.due_date, i.barcode"
        today = self.lib.clock.today()
        out = []
        for row in self.store.all(sql, params):
            data = dict(row)
            data["overdue_days"] = max(0, (today - dt.date.fromisoformat(row["due_date"])).days)
            out.append(data)
        return out

    def overdue(self) -> list[dict[str, Any]]:
        return [loan for loan in self.loans() if loan["overdue_days"] > 0]
