"""Monthly reports: the counts the district asks for, loans and stock by DDC class, exports.

The figures are read again whenever an operation announces a change they count (a loan, a
new patron, a new copy...), so the tab is never stale while the area stays unlocked.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Callable

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.io.destinations import Destination, find_destinations
from kiosk.ui.context import UiContext
from kiosk.ui.staff.charts import BarChart
from kiosk.ui.staff.importing import ExportRejectedDialog
from kiosk.ui.staff.report_data import counts_rows, ddc_bars, write_csv
from kiosk.ui.staff.widgets import Page, button, fill_table, make_table

log = logging.getLogger(__name__)

MONTHS_SHOWN = 24
COUNTED_TOPICS = frozenset({"circulation", "catalogue", "patrons", "requests", "holds"})


def recent_months(today: dt.date, count: int = MONTHS_SHOWN) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


class ReportsScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 destinations: Callable[[], list[Destination]] | None = None):
        super().__init__(ctx, parent)
        self.report: dict[str, Any] | None = None
        self.export_dialog: ExportRejectedDialog | None = None
        self.destinations = destinations or find_destinations
        self.month = QComboBox()
        self.month.setMinimumWidth(140)
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self.counts = make_table([self.tr("Chỉ tiêu"), self.tr("Số lượng")])
        self.loans_chart = BarChart(self.tr("Lượt mượn theo lớp DDC"))
        self.stock_chart = BarChart(self.tr("Bản sách trong kho theo lớp DDC"))

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Tháng")))
        top.addWidget(self.month)
        top.addStretch(1)
        top.addWidget(button(self.tr("Xuất CSV"), self.choose_csv))
        top.addWidget(button(self.tr("Lưu biểu đồ PNG"), self.choose_png))
        charts = QVBoxLayout()
        charts.addWidget(self.loans_chart, 1)
        charts.addWidget(self.stock_chart, 1)
        body = QHBoxLayout()
        body.addWidget(self.counts, 2)
        body.addLayout(charts, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        ctx.ops.changed.connect(self._on_changed)
        self.call(ctx.library.clock.today, self._months)

    def _on_changed(self, what: str) -> None:
        if what in COUNTED_TOPICS:
            self.refresh()

    def _months(self, today: dt.date) -> None:
        self.month.blockSignals(True)
        for month in recent_months(today):
            year, number = month.split("-")
            self.month.addItem(f"{number}/{year}", month)
        self.month.blockSignals(False)
        self.refresh()

    def select_month(self, month: str) -> None:
        index = self.month.findData(month)
        if index < 0:
            year, number = month.split("-")
            self.month.addItem(f"{number}/{year}", month)
            index = self.month.count() - 1
        self.month.setCurrentIndex(index)

    def refresh(self) -> None:
        month = self.month.currentData()
        if not month:
            return
        lib = self.ctx.library
        self.call(lambda: {"library": lib.name, "period": lib.stats.period(month),
                           "loans_by_ddc": lib.stats.loans_by_ddc(month),
                           "collection_by_ddc": lib.stats.collection_by_ddc()}, self._show)

    def _show(self, report: dict[str, Any]) -> None:
        self.report = report
        fill_table(self.counts, [(self.tr(label), value)
                                 for label, value in counts_rows(report["period"])], stretch=0)
        self.loans_chart.set_data(ddc_bars(report["loans_by_ddc"], "loans", self.lang),
                                  self.tr("Không có lượt mượn nào trong tháng."))
        self.stock_chart.set_data(ddc_bars(report["collection_by_ddc"], "items", self.lang),
                                  self.tr("Kho sách trống."))

    # Export

    def _default_name(self, suffix: str) -> str:
        month = self.report["period"]["period"] if self.report else "bao-cao"
        return f"bao-cao-{month}.{suffix}"

    def choose_csv(self) -> None:
        self._choose(self.tr("Xuất báo cáo"), self._default_name("csv"), self.export_csv)

    def choose_png(self) -> None:
        self._choose(self.tr("Lưu biểu đồ"), self._default_name("png"), self.export_png)

    def _choose(self, title: str, name: str, export) -> None:
        """Only a USB stick or the downloads folder (:mod:`kiosk.io.destinations`)."""
        dialog = ExportRejectedDialog(self.destinations(), name, self, title)
        self.export_dialog = dialog
        dialog.accepted.connect(lambda: export(dialog.chosen_path()))
        dialog.open()

    def export_csv(self, path: str | Path) -> None:
        if self.report is None:
            return
        try:
            write_csv(path, self.report)
        except OSError as exc:
            log.warning("could not write the report: %s", exc.strerror)
            self.message.show_message(self.tr("Không lưu được tệp {name}.").format(
                name=Path(path).name), "error")
            return
        self.message.show_message(self.tr("Đã xuất {name}.").format(name=Path(path).name), "ok")

    def chart_image(self, width: int = 900) -> QImage:
        """Both charts, one above the other, on a white page."""
        first, second = self.loans_chart.to_image(width), self.stock_chart.to_image(width)
        image = QImage(width, first.height() + second.height() + 10, QImage.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.drawImage(0, 0, first)
        painter.drawImage(0, first.height() + 10, second)
        painter.end()
        return image

    def export_png(self, path: str | Path) -> None:
        if self.report is None:
            return
        if not self.chart_image().save(str(path), "PNG"):
            self.message.show_message(self.tr("Không lưu được tệp {name}.").format(
                name=Path(path).name), "error")
            return
        self.message.show_message(self.tr("Đã lưu {name}.").format(name=Path(path).name), "ok")
