"""The technician's pairing and quarantine screen.

"Tạo mã ghép nối" makes a one-time pairing code (as ``kiosk pair-code`` does) and shows
it as large text and as a QR code holding the address to give ``kiosk pair``. Below, the
events this node set aside instead of applying (``kiosk quarantine``), each with its
reason, to retry once its cause is fixed or to dismiss; and any origin found holding two
histories (a cloned card, a copied restore), with what was done about it.
"""

from __future__ import annotations

import io
import socket

import qrcode
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from kiosk.core import quarantine
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button

SYNC_PORT = 8470
# The core's quarantine reasons (kiosk.core.quarantine REASONS), re-declared so lupdate sees
# them; the Vietnamese must stay identical to the core's.
REASON_LABELS = {
    "foreign_row": QT_TRANSLATE_NOOP("TrustScreen", "Sự kiện sửa dữ liệu của thư viện khác"),
    "revoked_device": QT_TRANSLATE_NOOP("TrustScreen", "Thiết bị đã bị thu hồi"),
    "far_future": QT_TRANSLATE_NOOP("TrustScreen", "Dấu thời gian quá xa trong tương lai"),
    "constraint": QT_TRANSLATE_NOOP("TrustScreen", "Không áp dụng được (trùng hoặc thiếu dữ liệu)"),
}


def pairing_address() -> str:
    """This device's LAN address for ``kiosk pair --peer`` (the default sync port)."""
    import ifaddr

    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ip.ip.startswith("127."):
                return f"http://{ip.ip}:{SYNC_PORT}"
    return f"http://{socket.gethostname()}.local:{SYNC_PORT}"


def qr_pixmap(text: str, size: int = 220) -> QPixmap:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    image = code.make_image(fill_color="black", back_color="white").get_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap.scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation)


class TrustScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.code = QLabel()
        self.code.setObjectName("paircode")
        self.code.setStyleSheet("font-size: 32pt; font-weight: bold;")
        self.code.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.code_help = QLabel()
        self.code_help.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setAccessibleName(self.tr("Mã QR ghép nối"))
        self.pair_button = button(self.tr("Tạo mã ghép nối"), self.make_code, primary=True)
        pair_box = QGroupBox(self.tr("Ghép nối thiết bị mới của thư viện (không cần máy chủ tỉnh)"))
        top = QHBoxLayout(pair_box)
        left = QVBoxLayout()
        left.addWidget(self.pair_button)
        left.addWidget(self.code)
        left.addWidget(self.code_help)
        left.addStretch(1)
        top.addLayout(left, 1)
        top.addWidget(self.qr)

        self.held = QTableWidget(0, 4)
        self.held.setHorizontalHeaderLabels([self.tr("Mã"), self.tr("Lý do"), self.tr("Chi tiết"),
                                             self.tr("Thư viện")])
        self.held.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.held.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.held.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        # Row numbers and Qt's select-all corner button would be announced as nothing.
        self.held.verticalHeader().setVisible(False)
        self.held.setCornerButtonEnabled(False)
        self.retry_button = button(self.tr("Thử áp dụng lại"), self.retry)
        self.dismiss_button = button(self.tr("Bỏ qua vĩnh viễn"), self.dismiss)
        self.forks = QLabel()
        self.forks.setWordWrap(True)
        held_box = QGroupBox(self.tr("Sự kiện bị cách ly (chưa áp dụng)"))
        box = QVBoxLayout(held_box)
        box.addWidget(self.held)
        actions = QHBoxLayout()
        actions.addWidget(self.retry_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)
        box.addLayout(actions)
        box.addWidget(self.forks)

        layout = QVBoxLayout(self)
        layout.addWidget(pair_box)
        layout.addWidget(held_box, 1)
        layout.addWidget(self.message)
        self.refresh()

    def make_code(self) -> None:
        from sync import pairing

        self.call(lambda: pairing.issue_code(self.ctx.library), self._show_code)

    def _show_code(self, issued) -> None:
        code, expires = issued
        address = pairing_address()
        self.code.setText(code)
        self.code_help.setText(self.tr(
            "Dùng một lần, hết hạn lúc %1. Trên thiết bị mới: kiosk pair --peer %2 --code %3")
            .replace("%1", f"{expires:%H:%M}").replace("%2", address).replace("%3", code))
        self.qr.setPixmap(qr_pixmap(f"{address}/#pair={code}"))

    def refresh(self) -> None:
        store = self.ctx.library.store
        self.call(lambda: (quarantine.listing(store), [dict(r) for r in store.all(
            "SELECT origin_id, from_seq, moved_to, moved, at FROM forks ORDER BY id")]),
            self._show)

    def _show(self, found) -> None:
        held, forks = found
        self.held.setRowCount(len(held))
        for row, item in enumerate(held):
            text = self.tr(REASON_LABELS.get(item["reason"], item["reason"]))
            for column, value in enumerate((item["id"], text, item["detail"], item["library_id"])):
                self.held.setItem(row, column, QTableWidgetItem(str(value)))
        if held:
            self.held.selectRow(0)
        self.retry_button.setEnabled(bool(held))
        self.dismiss_button.setEnabled(bool(held))
        self.forks.setText("\n".join(
            self.tr("Nguồn %1 có hai lịch sử từ số %2 (máy nhân bản hoặc khôi phục bằng sao chép): "
                    "%3 sự kiện chuyển sang nguồn mới, không mất sự kiện nào.")
            .replace("%1", f["origin_id"][:12]).replace("%2", str(f["from_seq"]))
            .replace("%3", str(f["moved"])) for f in forks))

    def _selected(self) -> str | None:
        row = self.held.currentRow()
        item = self.held.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    def retry(self) -> None:
        ident = self._selected()
        if ident is None:
            return
        self.call(lambda: quarantine.retry(self.ctx.library, ident, "kỹ thuật viên"),
                  self._retried, changes="circulation")

    def _retried(self, applied: bool) -> None:
        if applied:
            self.message.show_message(self.tr("Đã áp dụng sự kiện."), "ok")
        else:
            self.message.show_message(self.tr("Sự kiện vẫn chưa áp dụng được: hãy sửa nguyên nhân "
                                              "trước (xem chi tiết)."), "warn")
        self.refresh()

    def dismiss(self) -> None:
        ident = self._selected()
        if ident is None:
            return
        self.call(lambda: quarantine.dismiss(self.ctx.library, ident, "kỹ thuật viên"),
                  lambda _: (self.message.show_message(self.tr("Đã bỏ qua sự kiện."), "ok"),
                             self.refresh()))
