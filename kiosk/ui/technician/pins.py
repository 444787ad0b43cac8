"""The technician's PIN screen: the staff PIN of the counter, and the technician PIN.

Two separate PINs. The staff PIN is set here by whoever is in the technician area. The
technician PIN can be set here when none exists, or after typing the current one (a
forgotten one is replaced with ``kiosk staff-pin set --technician`` on the device). No
PIN is ever shown: fields are masked and cleared after each attempt.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.core import staff
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button

log = logging.getLogger(__name__)


def _pin_field(placeholder: str, name: str, description: str) -> QLineEdit:
    """A masked PIN field, named for a screen reader (the placeholder is not read once
    something is typed)."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.Password)
    field.setMaxLength(8)
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(name)
    field.setAccessibleDescription(description)
    return field


class PinsScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.staff_state = QLabel()
        again = self.tr("Gõ lại đúng mã PIN vừa nhập")
        self.staff_pin = _pin_field(self.tr("mã mới, 4–8 chữ số (nên dùng 6)"),
                                    self.tr("Mã PIN nhân viên mới"),
                                    self.tr("4 đến 8 chữ số, nên dùng 6; khác mã kỹ thuật viên"))
        self.staff_pin2 = _pin_field(self.tr("nhập lại"), self.tr("Nhập lại mã PIN nhân viên mới"),
                                     again)
        self.staff_button = button(self.tr("Đặt mã PIN nhân viên"), self.set_staff_pin,
                                   primary=True)
        staff_box = QGroupBox(self.tr("Mã PIN nhân viên (khu vực thủ thư)"))
        form = QFormLayout(staff_box)
        form.addRow(self.tr("Trạng thái"), self.staff_state)
        form.addRow(self.tr("Mã mới"), self.staff_pin)
        form.addRow(self.tr("Nhập lại"), self.staff_pin2)
        form.addRow("", self.staff_button)

        self.technician_state = QLabel()
        self.current = _pin_field(self.tr("mã hiện tại"), self.tr("Mã PIN kỹ thuật viên hiện tại"),
                                  self.tr("Cần nhập khi đổi một mã PIN kỹ thuật viên đã có"))
        self.current_label = QLabel(self.tr("Mã hiện tại"))
        self.technician_pin = _pin_field(self.tr("mã mới, khác mã nhân viên"),
                                         self.tr("Mã PIN kỹ thuật viên mới"),
                                         self.tr("4 đến 8 chữ số, khác mã PIN nhân viên"))
        self.technician_pin2 = _pin_field(self.tr("nhập lại"),
                                          self.tr("Nhập lại mã PIN kỹ thuật viên mới"), again)
        self.technician_button = button(self.tr("Đổi mã PIN kỹ thuật viên"),
                                        self.set_technician_pin)
        technician_box = QGroupBox(self.tr("Mã PIN kỹ thuật viên (khu vực kỹ thuật)"))
        form = QFormLayout(technician_box)
        form.addRow(self.tr("Trạng thái"), self.technician_state)
        form.addRow(self.current_label, self.current)
        form.addRow(self.tr("Mã mới"), self.technician_pin)
        form.addRow(self.tr("Nhập lại"), self.technician_pin2)
        form.addRow("", self.technician_button)

        layout = QVBoxLayout(self)
        layout.addWidget(staff_box)
        layout.addWidget(technician_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        store = self.ctx.library.store
        self.call(lambda: {area: staff.has_pin(store, area) for area in staff.AREAS}, self._show)

    def _show(self, state: dict[str, bool]) -> None:
        for label, is_set in ((self.staff_state, state[staff.STAFF]),
                              (self.technician_state, state[staff.TECHNICIAN])):
            label.setText(self.tr("đã đặt") if is_set else self.tr("chưa đặt: khu vực đang khóa"))
        has_technician = state[staff.TECHNICIAN]
        self.current.setVisible(has_technician)
        self.current_label.setVisible(has_technician)

    def _clear(self) -> None:
        for field in (self.staff_pin, self.staff_pin2, self.current, self.technician_pin,
                      self.technician_pin2):
            field.clear()

    def set_staff_pin(self) -> None:
        pin = self.staff_pin.text()
        if pin != self.staff_pin2.text():
            self._clear()
            self.message.show_message(self.tr("Hai lần nhập mã PIN không khớp."), "error")
            return
        store = self.ctx.library.store

        def work() -> bool:
            same = staff.verify(store, staff.TECHNICIAN, pin)
            if not same:
                staff.set_pin(store, staff.STAFF, pin)
            return not same

        self._clear()
        self.call(work, lambda done: self._done(done, self.tr("Đã đặt mã PIN nhân viên.")),
                  on_error=self._failed)

    def set_technician_pin(self) -> None:
        pin, current = self.technician_pin.text(), self.current.text()
        if pin != self.technician_pin2.text():
            self._clear()
            self.message.show_message(self.tr("Hai lần nhập mã PIN không khớp."), "error")
            return
        store = self.ctx.library.store

        def work() -> bool:
            same = staff.verify(store, staff.STAFF, pin)
            if not same:
                staff.change_technician_pin(store, pin, current)
            return not same

        self._clear()
        self.call(work, lambda done: self._done(done, self.tr("Đã đổi mã PIN kỹ thuật viên.")),
                  on_error=self._failed)

    def _done(self, done: bool, text: str) -> None:
        if not done:
            self.message.show_message(
                self.tr("Mã PIN nhân viên và mã PIN kỹ thuật viên phải khác nhau."), "error")
            return
        log.info("a staff or technician PIN was set from the technician screen")
        self.message.show_message(text, "ok")
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.show_error(error)
        self.refresh()
