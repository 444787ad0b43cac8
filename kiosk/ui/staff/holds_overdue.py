"""The hold shelf (copies waiting for patrons, expiring pickups) and the overdue list."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from kiosk.core.dates import vn_date
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, make_table


class HoldsOverdueScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.shelf_table = make_table([self.tr("Nhan đề"), self.tr("Mã vạch"),
                                       self.tr("Giữ cho"), self.tr("Thẻ"), self.tr("Hạn nhận")])
        self.expire_button = button(self.tr("Xử lý hết hạn"), self.expire, primary=True)
        self.actions_table = make_table([self.tr("Nhan đề"), self.tr("Mã vạch"),
                                         self.tr("Việc cần làm")])
        self.actions_table.setVisible(False)
        shelf = QWidget()
        column = QVBoxLayout(shelf)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Sách đang giữ chỗ chờ bạn đọc đến nhận.")), 1)
        row.addWidget(button(self.tr("Làm mới"), self.refresh))
        row.addWidget(self.expire_button)
        column.addLayout(row)
        column.addWidget(self.shelf_table, 2)
        column.addWidget(self.actions_table, 1)

        self.overdue_table = make_table([self.tr("Bạn đọc"), self.tr("Thẻ"), self.tr("Nhan đề"),
                                         self.tr("Mã vạch"), self.tr("Hạn trả"),
                                         self.tr("Quá hạn")])
        self.overdue_summary = QLabel()
        overdue = QWidget()
        column = QVBoxLayout(overdue)
        column.addWidget(self.overdue_summary)
        column.addWidget(self.overdue_table)

        self.tabs = QTabWidget()
        self.tabs.addTab(shelf, self.tr("Giá giữ chỗ"))
        self.tabs.addTab(overdue, self.tr("Sách quá hạn"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        ctx.ops.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, what: str) -> None:
        if what in ('circulation',):
            self.refresh()

    def refresh(self) -> None:
        lib = self.ctx.library
        self.call(lambda: {"shelf": lib.holds.shelf(), "overdue": lib.circulation.overdue()},
                  self._show)

    def _show(self, data: dict[str, Any]) -> None:
        fill_table(self.shelf_table, [
            (h["title"], h["barcode"], h["name"], h["card_number"], vn_date(h["pickup_expires"]))
            for h in data["shelf"]], stretch=0)
        self.tabs.setTabText(0, self.tr("Giá giữ chỗ ({n})").format(n=len(data["shelf"])))
        overdue = sorted(data["overdue"], key=lambda loan: -loan["overdue_days"])
        fill_table(self.overdue_table, [
            (loan["name"], loan["card_number"], loan["title"], loan["barcode"],
             vn_date(loan["due_date"]), self.tr("{n} ngày").format(n=loan["overdue_days"]))
            for loan in overdue], stretch=2)
        self.tabs.setTabText(1, self.tr("Sách quá hạn ({n})").format(n=len(overdue)))
        self.overdue_summary.setText(
            self.tr("{n} lượt mượn quá hạn, lâu nhất {d} ngày.").format(
                n=len(overdue), d=overdue[0]["overdue_days"]) if overdue
            else self.tr("Không có sách quá hạn."))

    def expire(self) -> None:
        self.call(self.ctx.library.holds.expire, self._expired, changes="circulation")

    def _expired(self, actions: list[dict[str, Any]]) -> None:
        self.actions_table.setVisible(bool(actions))
        fill_table(self.actions_table, [(a["title"], a["barcode"], a["action"]) for a in actions],
                   stretch=2)
        self.message.show_message(
            self.tr("Đã xử lý {n} lượt giữ chỗ hết hạn: làm theo bảng dưới.").format(n=len(actions))
            if actions else self.tr("Không có lượt giữ chỗ nào hết hạn."), "ok")
