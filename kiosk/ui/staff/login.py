"""The PIN gate in front of the staff area (staff PIN) and the technician area (its own PIN).

Asks for the area's PIN (on-screen keypad or keyboard) and emits ``unlocked`` when it is
right. The PIN is checked on the database thread (scrypt takes a third of a second on a
Pi). There is no default PIN: while the area's PIN is not set the gate stays locked and
says that a technician must set it, and it never shows a PIN. Whether a PIN is set is
asked again each time the gate shows, so a PIN set meanwhile from the command line
(``kiosk staff-pin set``) is picked up without a restart.
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

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, title: str | None = None,
                 area: str = staff.STAFF):
        """``title`` names the area behind the gate; ``area`` says whose PIN opens it."""
        super().__init__(ctx, parent)
        self.area = area
        self._failures = 0
        self._has_pin: bool | None = None
        technician = area == staff.TECHNICIAN
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.Password)
        self.pin.setMaxLength(8)
        self.pin.setAlignment(Qt.AlignCenter)
        self.pin.setPlaceholderText(self.tr("Mã PIN kỹ thuật viên") if technician
                                    else self.tr("Mã PIN nhân viên"))
        self.pin.setObjectName("pin")
        self.pin.setAccessibleName(self.tr("Mã PIN kỹ thuật viên") if technician
                                   else self.tr("Mã PIN nhân viên"))
        self.pin.setAccessibleDescription(self.tr(
            "Nhập 4 đến 8 chữ số bằng bàn phím số trên màn hình hoặc bàn phím, rồi bấm "
            "Đăng nhập. Mã không hiện ra màn hình."))
        self.pin.returnPressed.connect(self.submit)
        self.keypad = Keypad(self.pin)
        self.keypad.submitted.connect(self.submit)
        self.ok_button = button(self.tr("Đăng nhập"), self.submit, primary=True)
        self.prompt = QLabel(self.tr("Nhập mã PIN kỹ thuật viên để tiếp tục.") if technician
                             else self.tr("Nhập mã PIN nhân viên để tiếp tục."))
        self.prompt.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("locked")
        self._unlock_timer = QTimer(self, singleShot=True, interval=LOCKOUT_MS)
        self._unlock_timer.timeout.connect(self._end_lockout)

        column = QVBoxLayout()
        self.title = heading(title or self.tr("Khu vực thủ thư"))
        column.addWidget(self.title)
        column.addWidget(self.prompt)
        column.addWidget(self.hint)
        column.addWidget(self.pin)
        column.addWidget(self.keypad)
        column.addWidget(self.ok_button)
        column.addWidget(self.message)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(column, 2)
        row.addStretch(1)
        self._show_locked(False)
        self.refresh()

    @property
    def locked(self) -> bool:
        """True once the database has said that this area has no PIN."""
        return self._has_pin is False

    def refresh(self) -> None:
        """Ask the database whether this area has a PIN (on the database thread)."""
        store, area = self.ctx.library.store, self.area
        self.call(lambda: staff.has_pin(store, area), self._show_state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _show_state(self, has_pin: bool) -> None:
        self._has_pin = has_pin
        if not has_pin:
            self.hint.setText(
                self.tr("Khu vực này đang khóa: chưa đặt mã PIN kỹ thuật viên. Kỹ thuật viên "
                        "cần đặt mã trước (tệp cài đặt lần đầu hoặc lệnh kiosk staff-pin set "
                        "--technician).") if self.area == staff.TECHNICIAN else
                self.tr("Khu vực này đang khóa: chưa đặt mã PIN nhân viên. Kỹ thuật viên cần "
                        "đặt mã trước (màn hình Kỹ thuật, tệp cài đặt lần đầu hoặc lệnh kiosk "
                        "staff-pin set)."))
        self._show_locked(not has_pin)

    def _show_locked(self, locked: bool) -> None:
        self.hint.setVisible(locked)
        self.prompt.setVisible(not locked)
        for widget in (self.pin, self.keypad, self.ok_button):
            widget.setVisible(not locked)
        lockout = self._unlock_timer.isActive()
        self.pin.setEnabled(not locked and not lockout)
        self.ok_button.setEnabled(not locked and not lockout)

    def submit(self) -> None:
        pin = self.pin.text()
        if not pin or not self.ok_button.isEnabled() or self.locked:
            return
        self.ok_button.setEnabled(False)
        store, area = self.ctx.library.store, self.area
        self.call(lambda: staff.verify(store, area, pin), self._checked, on_error=self._failed)

    def _failed(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        self.show_error(error)

    def _checked(self, ok: bool) -> None:
        self.pin.clear()
        if ok:
            self._failures = 0
            self.ok_button.setEnabled(True)
            self.message.clear_message()
            log.info("%s area unlocked", self.area)
            self.unlocked.emit()
            return
        self._failures += 1
        log.warning("wrong %s PIN (attempt %d)", self.area, self._failures)
        if self._failures >= MAX_ATTEMPTS:
            self.message.show_message(
                self.tr("Sai mã PIN quá nhiều lần. Vui lòng chờ 30 giây."), "error")
            self.pin.setEnabled(False)
            self._unlock_timer.start()
            return
        self.ok_button.setEnabled(True)
        self.message.show_message(self.tr("Mã PIN không đúng."), "error")
        self.refresh()

    def _end_lockout(self) -> None:
        self._failures = 0
        self.message.clear_message()
        self._show_locked(self.locked)

    def reset(self) -> None:
        """Clear the field, e.g. when the shell locks the area again."""
        self.pin.clear()
        self.message.clear_message()
        self.refresh()
        self.pin.setFocus()
