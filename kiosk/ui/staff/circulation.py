"""The circulation desk: a card, then items; lend, return, renew, with staff overrides.

A keyboard-wedge scanner types into the focused field and ends with Enter; scans from the
configured scanners (serial, evdev, the demo's simulated one) reach ``show_scan`` through the
shell, whatever has focus: a patron's card loads the patron, anything else is an item. With a
patron's card loaded, an item scan lends it; with no card loaded, an item scan returns it. A refusal
shows the core's Vietnamese message; a refusal staff may override opens a reason field
and "Cho phép (ghi lý do)" repeats the operation with ``override=reason``. After a loan,
renewal or return, "In phiếu" queues one slip for the run of transactions of that kind
(the loans of the patron now at the desk, or the returns just taken) through
``ctx.print_queue``, which never blocks the desk whatever the printer is doing.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.circulation import OVERRIDABLE, LoanResult, ReturnResult
from kiosk.core.dates import vn_date
from kiosk.core.errors import LibraryError
from kiosk.receipts import loan_slip, return_slip
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import (
    Page,
    button,
    category_label,
    error_text,
    fill_table,
    heading,
    make_table,
)

log = logging.getLogger(__name__)


def is_patron_card(lib, code: str) -> bool:
    """Runs on the database thread: is ``code`` the card number of a patron?"""
    return lib.store.one("SELECT 1 FROM patrons WHERE card_number = ?", (code,)) is not None


class CirculationScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.card_number: str | None = None
        self._pending: tuple[str, Callable[[str | None], Any], str | None] | None = None

        self.card = QLineEdit()
        self.card.setPlaceholderText(self.tr("Quét hoặc nhập số thẻ bạn đọc"))
        self.card.returnPressed.connect(self.load_patron)
        self.barcode = QLineEdit()
        self.barcode.setPlaceholderText(self.tr("Quét mã vạch sách"))
        self.barcode.returnPressed.connect(self.scan_item)
        self.patron_info = QLabel(self.tr("Chưa chọn bạn đọc: quét sách để nhận trả."))
        self.patron_info.setWordWrap(True)
        self.patron_info.setObjectName("panel")

        self.checkout_button = button(self.tr("Cho mượn"), self.checkout, primary=True)
        self.checkin_button = button(self.tr("Nhận trả"), self.checkin)
        self.renew_button = button(self.tr("Gia hạn"), self.renew)
        self.clear_button = button(self.tr("Bạn đọc khác"), self.clear_patron)
        self.print_button = button(self.tr("In phiếu"), self.print_slip)
        self._slip: tuple[str, str | None, list[LoanResult | ReturnResult]] | None = None

        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Lý do cho phép (bắt buộc)"))
        self.reason.textChanged.connect(self._reason_changed)
        self.vietnamese(self.reason)
        self.override_button = button(self.tr("Cho phép (ghi lý do)"), self.override, danger=True)
        self.override_panel = QWidget()
        panel = QHBoxLayout(self.override_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.addWidget(self.reason, 1)
        panel.addWidget(self.override_button)
        self.override_panel.setVisible(False)

        self.loans_table = make_table([self.tr("Nhan đề"), self.tr("Mã vạch"),
                                       self.tr("Hạn trả"), self.tr("Quá hạn")])
        self.holds_table = make_table([self.tr("Nhan đề"), self.tr("Trạng thái"),
                                       self.tr("Hạn nhận")])
        self.side = QTabWidget()
        self.side.addTab(self.loans_table, self.tr("Đang mượn"))
        self.side.addTab(self.holds_table, self.tr("Đặt trước"))

        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Thẻ")), 0, 0)
        form.addWidget(self.card, 0, 1)
        form.addWidget(QLabel(self.tr("Sách")), 1, 0)
        form.addWidget(self.barcode, 1, 1)
        actions = QHBoxLayout()
        for widget in (self.checkout_button, self.checkin_button, self.renew_button):
            actions.addWidget(widget)
        after = QHBoxLayout()
        after.addWidget(self.clear_button)
        after.addWidget(self.print_button)
        left = QVBoxLayout()
        left.addWidget(heading(self.tr("Mượn – trả sách")))
        left.addLayout(form)
        left.addWidget(self.patron_info)
        left.addLayout(actions)
        left.addLayout(after)
        left.addWidget(self.message)
        left.addWidget(self.override_panel)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 5)
        layout.addWidget(self.side, 6)
        ctx.ops.changed.connect(self._changed)
        self._update_buttons()
        self._update_print_button()

    # Patron

    def load_patron(self, card: str | None = None) -> None:
        card = (card if card is not None else self.card.text()).strip()
        if not card:
            return
        self.card.setText(card)
        lib = self.ctx.library

        def work() -> dict[str, Any]:
            patron = lib.patrons.get(card)
            return {"patron": patron, "loans": lib.circulation.loans(card),
                    "holds": lib.holds.of_patron(card),
                    "blocks": lib.circulation.check_patron(card)}

        self.call(work, self._show_patron, on_error=self._patron_failed)

    def _patron_failed(self, error: Exception) -> None:
        self.card_number = None
        self._update_buttons()
        self.show_error(error)

    def _show_patron(self, data: dict[str, Any]) -> None:
        patron = data["patron"]
        self.card_number = patron["card_number"]
        category = category_label(patron["category"])
        text = self.tr("{name} — {category}, thẻ {card}, hạn thẻ {expires}").format(
            name=patron["name"], category=category, card=patron["card_number"],
            expires=vn_date(patron["expires_on"]))
        if data["blocks"]:
            text += "\n⚠ " + "\n⚠ ".join(error_text(b, self.lang) for b in data["blocks"])
        self.patron_info.setText(text)
        fill_table(self.loans_table, [
            (loan["title"], loan["barcode"], vn_date(loan["due_date"]),
             self.tr("{n} ngày").format(n=loan["overdue_days"]) if loan["overdue_days"] else "")
            for loan in data["loans"]], stretch=0)
        status = {"waiting": self.tr("Đang chờ (thứ {p})"), "trapped": self.tr("Sách đã về giá")}
        fill_table(self.holds_table, [
            (hold["title"], status[hold["status"]].format(p=hold["position"]),
             vn_date(hold.get("pickup_expires"))) for hold in data["holds"]], stretch=0)
        self.side.setTabText(0, self.tr("Đang mượn ({n})").format(n=len(data["loans"])))
        self.side.setTabText(1, self.tr("Đặt trước ({n})").format(n=len(data["holds"])))
        self._update_buttons()
        self.barcode.setFocus()

    def clear_patron(self) -> None:
        self.card_number = None
        self.card.clear()
        self.patron_info.setText(self.tr("Chưa chọn bạn đọc: quét sách để nhận trả."))
        fill_table(self.loans_table, [])
        fill_table(self.holds_table, [])
        self.side.setTabText(0, self.tr("Đang mượn"))
        self.side.setTabText(1, self.tr("Đặt trước"))
        self._hide_override()
        self.message.clear_message()
        self._slip = None
        self._update_print_button()
        self._update_buttons()
        self.card.setFocus()

    def _update_buttons(self) -> None:
        has_patron = self.card_number is not None
        self.checkout_button.setEnabled(has_patron)
        self.renew_button.setEnabled(has_patron)

    # Items

    def show_scan(self, code: str) -> None:
        """A scan from any configured scanner: a card loads the patron, an item is lent or taken back."""
        lib = self.ctx.library
        self.call(lambda: is_patron_card(lib, code), lambda card: self._scanned(code, card))

    def _scanned(self, code: str, card: bool) -> None:
        if card:
            self.load_patron(code)
            return
        self.barcode.setText(code)
        self.scan_item(code)

    def scan_item(self, code: str | None = None) -> None:
        if self.card_number:
            self.checkout(code)
        else:
            self.checkin(code)

    def _item(self, code: str | None = None) -> str | None:
        code = (code if code is not None else self.barcode.text()).strip()
        if not code:
            self.message.show_message(self.tr("Hãy quét mã vạch sách trước."), "warn")
            self.barcode.setFocus()
            return None
        return code

    def checkout(self, code: str | None = None) -> None:
        code, card = self._item(code), self.card_number
        if code and card:
            circ = self.ctx.library.circulation
            self._attempt(self.tr("Cho mượn"),
                          lambda reason: circ.checkout(card, code, override=reason), card)

    def renew(self, code: str | None = None) -> None:
        code, card = self._item(code), self.card_number
        if code and card:
            circ = self.ctx.library.circulation
            self._attempt(self.tr("Gia hạn"),
                          lambda reason: circ.renew(card, code, override=reason), card)

    def checkin(self, code: str | None = None) -> None:
        code = self._item(code)
        if code:
            circ = self.ctx.library.circulation
            self._attempt(self.tr("Nhận trả"), lambda _reason: circ.checkin(code))

    def _attempt(self, label: str, operation: Callable[[str | None], Any],
                 card: str | None = None, reason: str | None = None) -> None:
        self._hide_override()
        self.call(lambda: operation(reason), lambda result: self._done(result, card),
                  changes="circulation",
                  on_error=lambda error: self._refused(error, label, operation, card))

    def _refused(self, error: Exception, label: str, operation: Callable[[str | None], Any],
                 card: str | None) -> None:
        self.show_error(error)
        if isinstance(error, LibraryError) and error.code in OVERRIDABLE:
            self._pending = (label, operation, card)
            self.override_panel.setVisible(True)
            self.reason.clear()
            self.reason.setFocus()
            self._reason_changed("")

    def _done(self, result: LoanResult | ReturnResult, card: str | None) -> None:
        self._add_to_slip(result, card)
        if isinstance(result, LoanResult):
            text = self.tr("Đã {what}: {title} — hạn trả {due}").format(
                what=self.tr("gia hạn") if result.renewals else self.tr("cho mượn"),
                title=result.title, due=result.due_date.strftime("%d/%m/%Y"))
            if result.overrides:
                text += self.tr(" (thủ thư cho phép)")
        else:
            text = self.return_text(result)
        self.message.show_message(text, "ok")
        self.barcode.clear()
        self.barcode.setFocus()
        if self.card_number:
            self.load_patron(self.card_number)

    def return_text(self, result: ReturnResult) -> str:
        """The core's return message (``ReturnResult.message``), in the interface language."""
        if result.hold_shelf_for:
            said = self.tr("Đặt lên giá sách giữ chỗ cho: {name} ({card})").format(
                name=result.hold_shelf_for, card=result.hold_card_masked)
        elif result.days_overdue > 0:
            said = self.tr("Đã trả. Sách quá hạn {n} ngày.").format(n=result.days_overdue)
        else:
            said = self.tr("Đã trả sách. Cảm ơn bạn!")
        return f"{result.title}: {said}"

    # Slips

    def _add_to_slip(self, result: LoanResult | ReturnResult, card: str | None) -> None:
        """Loans join the slip of the same patron; returns join a return slip (no patron named)."""
        kind = "loan" if isinstance(result, LoanResult) else "return"
        card = card if kind == "loan" else None
        if self._slip is not None and self._slip[:2] == (kind, card):
            self._slip[2].append(result)
        else:
            self._slip = (kind, card, [result])
        self._update_print_button()

    def _update_print_button(self) -> None:
        count = len(self._slip[2]) if self._slip else 0
        if self._slip is not None:
            text = self.tr("In phiếu mượn ({n})") if self._slip[0] == "loan" else self.tr(
                "In phiếu trả ({n})")
            self.print_button.setText(text.format(n=count))
        self.print_button.setVisible(count > 0 and self.ctx.print_queue is not None)

    def print_slip(self) -> None:
        queue, lib = self.ctx.print_queue, self.ctx.library
        if queue is None or self._slip is None:
            return
        kind, card, results = self._slip
        make = (lambda: loan_slip(lib, card, results)) if kind == "loan" else (
            lambda: return_slip(lib, results))
        self._slip = None
        self._update_print_button()
        self.call(lambda: queue.submit(make()), lambda job: self.message.show_message(
            self.tr("Đã gửi phiếu ra máy in (lệnh số {job}).").format(job=job), "ok"))

    # Override

    def _reason_changed(self, text: str) -> None:
        self.override_button.setEnabled(bool(text.strip()) and self._pending is not None)

    def override(self) -> None:
        reason = self.reason.text().strip()
        if not reason or self._pending is None:
            return
        label, operation, card = self._pending
        log.info("staff override requested for %s", label)
        self._attempt(label, operation, card, reason)

    def _hide_override(self) -> None:
        self._pending = None
        self.override_panel.setVisible(False)

    def _changed(self, what: str) -> None:
        if what == "patrons" and self.card_number:
            self.load_patron(self.card_number)
