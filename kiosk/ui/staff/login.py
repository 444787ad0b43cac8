"""The staff login gate in front of the counter screens.

Asks for the staff PIN (on-screen keypad or keyboard) and emits ``unlocked`` when it is
right. The PIN is checked on the database thread (scrypt takes tens of milliseconds).
Until a technician sets a PIN, the first-boot PIN is 0000 (see ``kiosk.core.staff``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.core import staff
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Keypad, Page, button, heading

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LOCKOUT_MS = 30_000


class StaffLogin(Page):
    unlocked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, title: str | None = None):
        """``title`` names the area behind the gate (the technician area passes its own)."""
        super().__init__(ctx, parent)
        self._failures = 0
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.Password)
        self.pin.setMaxLength(8)
        self.pin.setAlignment(Qt.AlignCenter)
        self.pin.setPlaceholderText(self.tr("Mã PIN nhân viên"))
        self.pin.setObjectName("pin")
        self.pin.returnPressed.connect(self.submit)
        self.keypad = Keypad(self.pin)
        self.keypad.submitted.connect(self.submit)
        self.ok_button = button(self.tr("Đăng nhập"), self.submit, primary=True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self._unlock_timer = QTimer(self, singleShot=True, interval=LOCKOUT_MS)
        self._unlock_timer.timeout.connect(self._end_lockout)

        column = QVBoxLayout()
        self.title = heading(title or self.tr("Khu vực thủ thư"))
        column.addWidget(self.title)
        column.addWidget(QLabel(self.tr("Nhập mã PIN nhân viên để tiếp tục.")))
        column.addWidget(self.pin)
        column.addWidget(self.keypad)
        column.addWidget(self.ok_button)
        column.addWidget(self.message)
        column.addWidget(self.hint)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(column, 2)
        row.addStretch(1)
        self.call(lambda: staff.has_staff_pin(ctx.library.store), self._show_hint)

    def _show_hint(self, has_pin: bool) -> None:
        if not has_pin:
            self.hint.setText(self.tr("Chưa đặt mã PIN nhân viên: dùng mã mặc định 0000 rồi "
                                      "đổi mã trong màn hình Cài đặt của kỹ thuật viên."))

    def submit(self) -> None:
        pin = self.pin.text()
        if not pin or not self.ok_button.isEnabled():
            return
        self.ok_button.setEnabled(False)
        store = self.ctx.library.store
        self.call(lambda: staff.verify_staff_pin(store, pin), self._checked,
                  on_error=self._failed)

    def _failed(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        self.show_error(error)

    def _checked(self, ok: bool) -> None:
        self.pin.clear()
        if ok:
            self._failures = 0
            self.ok_button.setEnabled(True)
            self.message.clear_message()
            log.info("staff unlocked the counter")
            self.unlocked.emit()
            return
        self._failures += 1
        log.warning("wrong staff PIN (attempt %d)", self._failures)
        if self._failures >= MAX_ATTEMPTS:
            self.message.show_message(
                self.tr("Sai mã PIN quá nhiều lần. Vui lòng chờ 30 giây."), "error")
            self.pin.setEnabled(False)
            self._unlock_timer.start()
            return
        self.ok_button.setEnabled(True)
        self.message.show_message(self.tr("Mã PIN không đúng."), "error")

    def _end_lockout(self) -> None:
        self._failures = 0
        self.pin.setEnabled(True)
        self.ok_button.setEnabled(True)
        self.message.clear_message()

    def reset(self) -> None:
        """Clear the field, e.g. when the shell locks the counter again."""
        self.pin.clear()
        self.message.clear_message()
        self.pin.setFocus()
