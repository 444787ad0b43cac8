"""Small forms for the services outside the building: postal delivery and remote copies."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout

from kiosk.ui.keys import VietnameseKeyboard
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Message, button, heading, label


class RequestScreen(Screen):
    needs_session = True

    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.kind = "postal"
        self.record_id: str | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        outer.setSpacing(20)
        layout = QVBoxLayout()
        layout.setSpacing(8)
        self.title = heading()
        self.book = label()
        self.prompt = label()
        self.field = QLineEdit()
        self.message = Message()
        self.keyboard = VietnameseKeyboard()
        self.keyboard.target = self.field
        for widget in (self.title, self.book, self.prompt, self.field, self.message):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.send_button = button(self.tr("Gửi yêu cầu"), "primary", self.submit)
        layout.addWidget(self.send_button)
        layout.addWidget(button(self.tr("Quay lại"), "", self._back))
        outer.addLayout(layout, 1)
        keyboard_column = QVBoxLayout()
        keyboard_column.addWidget(self.keyboard)
        keyboard_column.addStretch(1)
        outer.addLayout(keyboard_column, 0)

    def enter(self, kind: str = "postal", record_id: str | None = None, title: str = "", **kwargs) -> None:
        self.kind, self.record_id = kind, record_id
        self.book.setText(title)
        self.message.clear()
        self.send_button.setEnabled(True)
        if kind == "postal":
            self.title.setText(self.tr("Gửi sách qua bưu điện"))
            self.prompt.setText(self.tr("Địa chỉ nhận sách:"))
            self.field.setText(self.nav.session.address)
        else:
            self.title.setText(self.tr("Sao chụp từ xa"))
            self.prompt.setText(self.tr("Các trang cần sao chụp (ví dụ: 12-20):"))
            self.field.clear()

    def _back(self) -> None:
        self.nav.go("record", record_id=self.record_id)

    def submit(self) -> None:
        card, record_id, kind = self.nav.session.card, self.record_id, self.kind
        text = self.field.text().strip()
        if card is None or record_id is None:
            return
        details = {"address": text} if kind == "postal" else {"pages": text}

        def done(request) -> None:
            self.send_button.setEnabled(False)
            self.message.show_text(self.tr("Đã gửi yêu cầu (%1). Thư viện sẽ liên hệ với bạn.")
                                   .replace("%1", request["status_label"]), "ok")

        self.run(lambda: self.ctx.library.requests.create(kind, card, record_id, details), done,
                 lambda exc: self.message.show_text(self.error(exc), "error"), changes="requests")

    def reset(self) -> None:
        super().reset()
        self.field.clear()
        self.book.clear()
        self.message.clear()
        self.record_id = None

    def speech_text(self) -> str:
        return ". ".join(t for t in (self.title.text(), self.book.text(), self.prompt.text()) if t)
