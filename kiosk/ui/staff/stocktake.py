"""Stocktake of one shelf: scan every copy, then see found, missing and misplaced copies.

The comparison lives in :mod:`kiosk.core.stocktake`; this view only collects scans, typed
by a wedge into the field or delivered by the shell from any configured scanner (``show_scan``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core import stocktake
from kiosk.core.stocktake import StocktakeResult
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, make_table


class StocktakeScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.scanned: list[str] = []
        self.result: StocktakeResult | None = None
        self.location = QComboBox()
        self.location.setMinimumWidth(220)
        self.location.currentIndexChanged.connect(lambda _i: self.start())
        self.barcode = QLineEdit()
        self.barcode.setPlaceholderText(self.tr("Quét lần lượt từng cuốn trên giá"))
        self.barcode.returnPressed.connect(self.scan)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setProperty("heading", True)
        self.found_table = make_table([self.tr("Mã vạch"), self.tr("Nhan đề"), self.tr("Ký hiệu")])
        self.missing_table = make_table([self.tr("Mã vạch"), self.tr("Nhan đề"),
                                         self.tr("Ký hiệu")])
        self.misplaced_table = make_table([self.tr("Mã vạch"), self.tr("Nhan đề"),
                                           self.tr("Vì sao")])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.found_table, self.tr("Có trên giá"))
        self.tabs.addTab(self.missing_table, self.tr("Thiếu"))
        self.tabs.addTab(self.misplaced_table, self.tr("Sai chỗ"))

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Vị trí")))
        top.addWidget(self.location)
        top.addWidget(self.barcode, 1)
        top.addWidget(button(self.tr("Làm lại"), self.start))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.call(lambda: stocktake.locations(ctx.library), self._locations)

    def _locations(self, names: list[str]) -> None:
        self.location.blockSignals(True)
        self.location.clear()
        self.location.addItems(names)
        self.location.blockSignals(False)
        self.start()

    def start(self) -> None:
        """Begin (again) the stocktake of the chosen location."""
        self.scanned = []
        self.message.clear_message()
        self.barcode.clear()
        # The locations arrive while the staff area opens on another tab: a hidden field that
        # took the focus then would take the librarian's next scan there.
        if self.isVisible():
            self.barcode.setFocus()
        self._compare()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.barcode.setFocus()

    def show_scan(self, code: str) -> None:
        self.scan(code)

    def scan(self, code: str | None = None) -> None:
        code = (code if code is not None else self.barcode.text()).strip()
        self.barcode.clear()
        if not code:
            return
        if code in self.scanned:
            self.message.show_message(self.tr("Đã quét {code} rồi.").format(code=code), "warn")
            return
        self.scanned.append(code)
        self.message.clear_message()
        self._compare()

    def _compare(self) -> None:
        location = self.location.currentText()
        if not location:
            self.counts.setText(self.tr("Chưa có bản sách nào được ghi vị trí."))
            return
        scanned = list(self.scanned)
        self.call(lambda: stocktake.run(self.ctx.library, location, scanned), self._show)

    def _show(self, result: StocktakeResult) -> None:
        self.result = result
        n = result.counts()
        text = self.tr("Đã quét {scanned} · có trên giá {found} · thiếu {missing} · sai chỗ "
                       "{misplaced}").format(scanned=len(self.scanned), **n)
        if result.unknown:
            text += self.tr(" · mã lạ: {codes}").format(codes=", ".join(result.unknown))
        self.counts.setText(text)
        fill_table(self.found_table, [(i["barcode"], i["title"], i["call_number"])
                                      for i in reversed(result.found)], stretch=1)
        fill_table(self.missing_table, [(i["barcode"], i["title"], i["call_number"])
                                        for i in result.missing], stretch=1)
        fill_table(self.misplaced_table, [(i["barcode"], i["title"], i["reason"])
                                          for i in result.misplaced], stretch=1)
        self.tabs.setTabText(0, self.tr("Có trên giá ({n})").format(n=n["found"]))
        self.tabs.setTabText(1, self.tr("Thiếu ({n})").format(n=n["missing"]))
        self.tabs.setTabText(2, self.tr("Sai chỗ ({n})").format(n=n["misplaced"]))
