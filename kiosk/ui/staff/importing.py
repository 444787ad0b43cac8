"""Importing a MARC21, MARCXML or CSV file with a progress bar and a Vietnamese summary.

The import runs on the database thread; its progress callback emits a Qt signal, which
Qt queues to the GUI thread, so the worker never touches a widget.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.io.importer import import_file
from kiosk.io.report import ImportReport
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, heading

log = logging.getLogger(__name__)

FILE_FILTER = QT_TRANSLATE_NOOP("ImportScreen",
                                "MARC21, MARCXML, CSV (*.mrc *.marc *.iso *.dat *.xml *.csv);;Tất cả (*)")


class ProgressRelay(QObject):
    """Carries ``progress(done, total)`` from the worker thread to the GUI thread."""

    progressed = Signal(int, int)

    def __call__(self, done: int, total: int | None) -> None:
        self.progressed.emit(done, total if total is not None else 0)


class ImportScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progressed)
        self.path_label = QLabel(self.tr("Chưa chọn tệp."))
        self.path_label.setWordWrap(True)
        self.choose_button = button(self.tr("Chọn tệp và nhập…"), self.choose, primary=True)
        self.progress = QProgressBar()
        self.progress.setMinimumHeight(32)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr("Các mục bị bỏ qua sẽ hiện ở đây."))
        self.report: ImportReport | None = None
        self.batch_size = 200

        row = QHBoxLayout()
        row.addWidget(self.path_label, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Nhập biên mục từ tệp")))
        intro = QLabel(self.tr(
            "Tệp MARC21 (.mrc), MARCXML (.xml) hoặc CSV (đầu sách hoặc bạn đọc). Nhập lại "
            "cùng một tệp sẽ tiếp tục chỗ đã dừng, không tạo trùng."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn tệp biên mục"), "",
                                              self.tr(FILE_FILTER))
        if path:
            self.start_import(path)

    def start_import(self, path: str | Path) -> None:
        path = Path(path)
        self.path_label.setText(path.name)
        self.progress.setRange(0, 0)
        self.summary.clear()
        self.details.clear()
        self.message.clear_message()
        self.choose_button.setEnabled(False)
        lib, relay, size = self.ctx.library, self.relay, self.batch_size
        log.info("import started")
        self.call(lambda: import_file(lib, path, progress=relay, batch_size=size), self._finished,
                  changes="catalogue", on_error=self._failed)

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.choose_button.setEnabled(True)
        total = report.total or report.processed or 1
        self.progress.setRange(0, total)
        self.progress.setValue(total)
        self.summary.setText(report.summary_vi())
        self.details.setPlainText("\n".join(report.details_vi()))
        self.message.show_message(self.tr("Đã nhập xong."), "ok")

    def _failed(self, error: Exception) -> None:
        self.choose_button.setEnabled(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.show_error(error)
