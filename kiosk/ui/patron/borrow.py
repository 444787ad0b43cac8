"""Borrowing: scan books one after another; each answers at once with its due date or why not.

The answer to the latest scan is always in view: the list is a self-check's paper strip,
newest on top. A refused book is named by its title when the library knows it, with what
to do next; each answer also sounds (accepted / refused).

Finishing prints the loan slip through the print queue (which returns at once, whatever
the printer is doing) or skips it, then ends the session.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.core.dates import vn_date
from kiosk.core.errors import LibraryError
from kiosk.receipts import loan_slip
from kiosk.ui.camera_preview import CameraPreview
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Message, RowList, button, heading, label


NEXT_STEP_NEEDED = ("item_on_hold_for_other", "item_not_for_loan")


def _checkout(lib, card: str, barcode: str):
    """Runs on the database thread: the loan, or (refusal, the copy's title when known)."""
    try:
        return lib.circulation.checkout(card, barcode)
    except LibraryError as refusal:
        row = lib.store.one("SELECT r.title FROM items i JOIN records r ON r.id = i.record_id "
                            "WHERE i.barcode = ?", (barcode,))
        return refusal, row["title"] if row else None


class BorrowScreen(Screen):
    needs_session = True
    feedback = Signal(str, float)   # barcode, seconds from scan to answer shown (for the bench)

    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.loans: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(10)
        self.greeting = heading()
        self.hint = label(self.tr("Quét mã vạch trên từng cuốn sách bạn muốn mượn."))
        self.notice = Message()
        self.rows = RowList(newest_first=True)
        self.summary = label("", "muted")
        layout.addWidget(self.greeting)
        layout.addWidget(self.hint)
        self.camera = CameraPreview(ctx)
        layout.addWidget(self.camera)
        layout.addWidget(self.notice)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.summary)
        actions = QHBoxLayout()
        self.account_button = button(self.tr("Tài khoản của tôi"), "", lambda: self.nav.go("account"))
        self.no_slip_button = button(self.tr("Xong, không in phiếu"), "", lambda: self.finish(False))
        self.slip_button = button(self.tr("Xong, in phiếu"), "primary", lambda: self.finish(True))
        for widget in (self.account_button, self.no_slip_button, self.slip_button):
            actions.addWidget(widget)
        layout.addLayout(actions)

    def enter(self, **kwargs) -> None:
        session = self.nav.session
        self.greeting.setText(self.tr("Xin chào, %1").replace("%1", session.name))
        if session.blocks:
            self.notice.show_text("\n".join(session.blocks), "error")
        self._update_summary()

    def reset(self) -> None:
        super().reset()
        self.loans = []
        self.rows.clear()
        self.greeting.clear()
        self.notice.clear()
        self.summary.clear()
        self.slip_button.setEnabled(False)

    def on_scan(self, code: str) -> bool:
        barcode = code.strip()
        card = self.nav.session.card
        if not barcode or card is None:
            return False
        row = self.rows.add(barcode, self.tr("Đang xử lý…"), "pending")
        started = time.perf_counter()

        def done(result) -> None:
            if isinstance(result, tuple):
                refused(*result)
                return
            self.loans.append(result)
            row.update_row(result.title, self.tr("Hạn trả: %1").replace(
                "%1", vn_date(result.due_date)), "ok")
            self._update_summary()
            self.chime(True)
            self.feedback.emit(barcode, time.perf_counter() - started)

        def refused(exc: Exception, title: str | None = None) -> None:
            detail = self.refusal(exc)
            row.update_row(title or barcode, f"{detail} ({barcode})" if title else detail, "error")
            self.chime(False)
            self.feedback.emit(barcode, time.perf_counter() - started)

        lib = self.ctx.library
        self.run(lambda: _checkout(lib, card, barcode), done, refused, changes="circulation")
        return True

    def refusal(self, exc: Exception) -> str:
        """Why a book was not lent and what to do now, in a patron's words: the clock is
        staff business."""
        if isinstance(exc, LibraryError) and exc.code == "clock_wrong":
            return self.tr(
                "Máy này tạm thời chưa cho mượn sách được. Vui lòng mang sách đến quầy thủ thư.")
        text = self.error(exc)
        if isinstance(exc, LibraryError) and exc.code in NEXT_STEP_NEEDED:
            text += " " + self.tr("Vui lòng để sách ở quầy thủ thư.")
        return text

    def _update_summary(self) -> None:
        count = len(self.loans)
        self.summary.setText(self.tr("Đã mượn %1 cuốn trong lần này.").replace("%1", str(count))
                             if count else "")
        self.slip_button.setEnabled(count > 0)

    def finish(self, print_slip: bool) -> None:
        loans, card = list(self.loans), self.nav.session.card
        if print_slip and loans and card and self.ctx.print_queue is not None:
            queue, lib = self.ctx.print_queue, self.ctx.library
            self.ctx.ops.run(lambda: queue.submit(loan_slip(lib, card, loans)))
            printed = True
        else:
            printed = False
        summary = [(loan.title, vn_date(loan.due_date)) for loan in loans]
        self.nav.logout()
        self.nav.go("goodbye", loans=summary, printed=printed)

    def speech_text(self) -> str:
        parts = [self.greeting.text(), self.hint.text()]
        if self.rows.rows:
            last = self.rows.rows[-1]
            parts += [last.title.text(), last.detail.text()]
        return ". ".join(p for p in parts if p)
