"""Returning: scan books without identifying; a book someone reserved goes to the hold shelf.

The hold-shelf instruction (the core's ``ReturnResult.message``) is shown large, above the
list, until the next book is scanned, so the patron cannot miss it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.core.errors import LibraryError
from kiosk.receipts import return_slip
from kiosk.ui.camera_preview import CameraPreview
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Banner, RowList, button, heading, label


def _checkin(lib, barcode: str):
    """Runs on the database thread: the return, or (refusal, the copy's title when known)."""
    try:
        return lib.circulation.checkin(barcode)
    except LibraryError as refusal:
        row = lib.store.one("SELECT r.title FROM items i JOIN records r ON r.id = i.record_id "
                            "WHERE i.barcode = ?", (barcode,))
        return refusal, row["title"] if row else None


class ReturnScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.returns: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(10)
        self.title = heading(self.tr("Trả sách"))
        self.hint = label(self.tr("Quét mã vạch trên từng cuốn sách bạn trả. Không cần thẻ."))
        self.shelf = Banner()
        self.rows = RowList(newest_first=True)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        self.camera = CameraPreview(ctx)
        layout.addWidget(self.camera)
        layout.addWidget(self.shelf)
        layout.addWidget(self.rows, 1)
        actions = QHBoxLayout()
        self.done_button = button(self.tr("Xong"), "", self.nav.logout)
        self.slip_button = button(self.tr("Xong, in phiếu trả"), "primary", self.finish_with_slip)
        actions.addWidget(self.done_button)
        actions.addWidget(self.slip_button)
        layout.addLayout(actions)
        self.slip_button.setEnabled(False)

    def enter(self, barcode: str | None = None, **kwargs) -> None:
        if barcode:
            self.on_scan(barcode)

    def reset(self) -> None:
        super().reset()
        self.returns = []
        self.rows.clear()
        self.shelf.clear()
        self.slip_button.setEnabled(False)

    def on_scan(self, code: str) -> bool:
        barcode = code.strip()
        if not barcode:
            return False
        self.shelf.clear()
        row = self.rows.add(barcode, self.tr("Đang xử lý…"), "pending")

        def done(result) -> None:
            if isinstance(result, tuple):
                refused(*result)
                return
            self.chime(True)
            self.returns.append(result)
            row.update_row(result.title, result.message, "notice" if result.hold_shelf_for else "ok")
            if result.hold_shelf_for:
                self.shelf.show_text(f"{result.title}\n{result.message}")
            self.slip_button.setEnabled(self.ctx.print_queue is not None)

        def refused(exc: Exception, title: str | None = None) -> None:
            self.chime(False)
            detail = self.error(exc)
            if isinstance(exc, LibraryError) and exc.code == "not_on_loan":
                detail += " " + self.tr("Bạn có thể để sách lên giá hoặc đưa cho thủ thư.")
            row.update_row(title or barcode, f"{detail} ({barcode})" if title else detail, "error")

        lib = self.ctx.library
        self.run(lambda: _checkin(lib, barcode), done, refused, changes="circulation")
        return True

    def finish_with_slip(self) -> None:
        returns, card = list(self.returns), self.nav.session.card
        if returns and self.ctx.print_queue is not None:
            queue, lib = self.ctx.print_queue, self.ctx.library
            self.ctx.ops.run(lambda: queue.submit(return_slip(lib, returns, card)))
        self.nav.logout()

    def speech_text(self) -> str:
        parts = [self.title.text(), self.hint.text()]
        if self.shelf.isVisible():
            parts.append(self.shelf.text())
        elif self.rows.rows:
            parts.append(self.rows.rows[-1].detail.text())
        return ". ".join(parts)
