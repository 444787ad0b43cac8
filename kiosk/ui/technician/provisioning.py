"""Provisioning settings: the library this node belongs to, the district server, peers.

The library code and name are fixed when the node is initialised and shown read-only.
The staff and technician PINs have their own screen (``kiosk.ui.technician.pins``).
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core import provisioning
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

        node = QGroupBox(self.tr("Thư viện và đồng bộ"))
        form = QFormLayout(node)
        form.addRow(self.tr("Mã thư viện"), self.code)
        form.addRow(self.tr("Tên thư viện"), self.name)
        form.addRow(self.tr("Máy chủ tỉnh"), self.district_url)
        form.addRow(self.tr("Máy ngang hàng"), self.peers)
        form.addRow("", self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(node)
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
