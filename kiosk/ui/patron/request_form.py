"""Small forms for the services outside the building: postal delivery and remote copies.

The address is a multi-line field and the page range a line; both are typed on the
on-screen keyboard (capitals, hyphen, tone marks) and can be edited anywhere a finger taps.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout

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
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setAccessibleName(self.tr("Địa chỉ nhận sách"))
        self.address.setAccessibleDescription(self.tr(
            "Nhiều dòng; chạm vào chữ để sửa ở giữa, dùng bàn phím trên màn hình"))
        self.pages = QLineEdit()
        self.pages.setAccessibleName(self.tr("Các trang cần sao chụp"))
        self.pages.setAccessibleDescription(self.tr("Ví dụ 12-20; dùng phím gạch nối"))
        self.message = Message()
        self.keyboard = VietnameseKeyboard(multiline=True)
        self.field = self.address
        self.keyboard.target = self.field
        for widget in (self.title, self.book, self.prompt, self.address, self.pages, self.message):
            layout.addWidget(widget)
        for widget in (self.address, self.pages):
            widget.installEventFilter(self)
        self.address.textChanged.connect(self._changed)
        self.pages.textChanged.connect(self._changed)
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
        self.sent = False
        postal = kind == "postal"
        self.address.setVisible(postal)
        self.pages.setVisible(not postal)
        self.field = self.address if postal else self.pages
        self.keyboard.target = self.field
        if postal:
            self.title.setText(self.tr("Gửi sách qua bưu điện"))
            self.prompt.setText(self.tr("Địa chỉ nhận sách:"))
            self.address.setPlainText(self.nav.session.address)
        else:
            self.title.setText(self.tr("Sao chụp từ xa"))
            self.prompt.setText(self.tr("Các trang cần sao chụp (ví dụ: 12-20):"))
            self.pages.clear()
        self.field.setFocus()
        self._changed()

    def text(self) -> str:
        return (self.address.toPlainText() if self.kind == "postal" else self.pages.text()).strip()

    def _changed(self) -> None:
        self.send_button.setEnabled(bool(self.text()) and not getattr(self, "sent", False))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self.keyboard.target = watched
        return False

    def _back(self) -> None:
        self.nav.go("record", record_id=self.record_id)

    def submit(self) -> None:
        card, record_id, kind = self.nav.session.card, self.record_id, self.kind
        text = self.text()
        if card is None or record_id is None or not text:
            return
        details = {"address": text} if kind == "postal" else {"pages": text}

        def done(request) -> None:
            self.sent = True
            self.send_button.setEnabled(False)
            self.message.show_text(self.tr("Đã gửi yêu cầu (%1). Thư viện sẽ liên hệ với bạn.")
                                   .replace("%1", request["status_label"]), "ok")

        self.run(lambda: self.ctx.library.requests.create(kind, card, record_id, details), done,
                 lambda exc: self.message.show_text(self.error(exc), "error"), changes="requests")

    def reset(self) -> None:
        super().reset()
        self.address.clear()
        self.pages.clear()
        self.sent = False
        self.book.clear()
        self.message.clear()
        self.record_id = None

    def speech_text(self) -> str:
        return ". ".join(t for t in (self.title.text(), self.book.text(), self.prompt.text()) if t)
