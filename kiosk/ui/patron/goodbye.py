"""The last word of a borrowing session: what was borrowed, until when, then back to the start.

The session is already closed when this shows; it goes back to the attract screen on its
own after a few seconds, or at once on a tap.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout

from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import RowList, button, heading, label

SHOW_MS = 8000


class GoodbyeScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        self.title = heading(self.tr("Cảm ơn bạn! Hẹn gặp lại."))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = label("")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rows = RowList()
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.rows, 1)
        layout.addWidget(button(self.tr("Về màn hình chính"), "primary", self.nav.logout))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.nav.logout)

    def enter(self, loans=(), printed: bool = False, **kwargs) -> None:
        for title, due in loans:
            self.rows.add(title, self.tr("Hạn trả: %1").replace("%1", due), "ok")
        if printed:
            self.status.setText(self.tr("Phiếu mượn đang được in. Vui lòng nhận phiếu."))
        elif loans:
            self.status.setText(self.tr("Không in phiếu. Bạn có thể xem hạn trả trong Tài khoản của tôi."))
        else:
            self.status.setText("")
        self.timer.start(SHOW_MS)

    def reset(self) -> None:
        super().reset()
        self.timer.stop()
        self.rows.clear()
        self.status.clear()

    def speech_text(self) -> str:
        return ". ".join(t for t in (self.title.text(), self.status.text()) if t)
