"""Provisioning settings: the library this node belongs to, the district server, peers.

The library code and name are fixed when the node is initialised and shown read-only.
The staff PIN for the counter is changed here as well.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core import provisioning, staff
from kiosk.core.provisioning import Settings
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button

log = logging.getLogger(__name__)


class ProvisioningScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.code = QLabel()
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.district_url = QLineEdit()
        self.district_url.setPlaceholderText("https://thuvien.tamnong.dongthap.gov.vn")
        self.peers = QPlainTextEdit()
        self.peers.setPlaceholderText(self.tr("Mỗi dòng một địa chỉ, ví dụ http://192.168.1.20:8080"))
        self.peers.setMinimumHeight(90)
        self.save_button = button(self.tr("Lưu cài đặt"), self.save, primary=True)
        self.pin = QLineEdit()
        self.pin2 = QLineEdit()
        for field in (self.pin, self.pin2):
            field.setEchoMode(QLineEdit.Password)
            field.setMaxLength(8)
        self.pin.setPlaceholderText(self.tr("mã mới, 4–8 chữ số"))
        self.pin2.setPlaceholderText(self.tr("nhập lại"))

        node = QGroupBox(self.tr("Thư viện và đồng bộ"))
        form = QFormLayout(node)
        form.addRow(self.tr("Mã thư viện"), self.code)
        form.addRow(self.tr("Tên thư viện"), self.name)
        form.addRow(self.tr("Máy chủ huyện"), self.district_url)
        form.addRow(self.tr("Máy ngang hàng"), self.peers)
        form.addRow("", self.save_button)
        pin_box = QGroupBox(self.tr("Mã PIN nhân viên"))
        row = QHBoxLayout(pin_box)
        row.addWidget(self.pin)
        row.addWidget(self.pin2)
        row.addWidget(button(self.tr("Đổi mã PIN"), self.change_pin))
        layout = QVBoxLayout(self)
        layout.addWidget(node)
        layout.addWidget(pin_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.call(lambda: provisioning.load(ctx.library.store), self._show)

    def _show(self, settings: Settings) -> None:
        self.code.setText(settings.library_code or self.tr("(chưa khởi tạo)"))
        self.name.setText(settings.library_name)
        self.district_url.setText(settings.district_url)
        self.peers.setPlainText("\n".join(settings.peers))

    def save(self) -> None:
        url, peers = self.district_url.text(), self.peers.toPlainText()
        store = self.ctx.library.store
        self.call(lambda: provisioning.save(store, url, peers), self._saved, changes="settings")

    def _saved(self, settings: Settings) -> None:
        self._show(settings)
        log.info("provisioning settings saved (%d peers)", len(settings.peers))
        self.message.show_message(self.tr("Đã lưu cài đặt."), "ok")

    def change_pin(self) -> None:
        pin = self.pin.text()
        if pin != self.pin2.text():
            self.message.show_message(self.tr("Hai lần nhập mã PIN không khớp."), "error")
            return
        store = self.ctx.library.store
        self.call(lambda: staff.set_staff_pin(store, pin), self._pin_changed)

    def _pin_changed(self, _result: None) -> None:
        self.pin.clear()
        self.pin2.clear()
        log.info("staff PIN changed")
        self.message.show_message(self.tr("Đã đổi mã PIN nhân viên."), "ok")
