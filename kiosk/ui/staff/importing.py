"""Importing a MARC21, MARCXML or CSV file with a progress bar and the full report.

The file comes from a USB stick or the downloads folder (:class:`ImportFileDialog`).

The import runs on the database thread; its progress callback emits a Qt signal, which
Qt queues to the GUI thread, so the worker never touches a widget. The report is the
one the command line prints (:class:`kiosk.io.report.ImportReport`): counts that add up,
the encoding, and every rejected row with its place and reason. The rejected rows can be
exported, to a USB stick or the downloads folder only (staff do not browse the file
system from the counter), fixed in Excel or the old system, and imported again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.io.destinations import Destination, find_sources
from kiosk.io.importer import export_rejected, import_file
from kiosk.io.rejected import Written, suggested_name
from kiosk.io.report import ImportReport
from kiosk.ui.context import UiContext
from kiosk.ui.staff.file_places import ImportFileDialog, place_label
from kiosk.ui.staff.widgets import TOUCH, Page, button, heading

log = logging.getLogger(__name__)

_FORBIDDEN = set('/\\:*?"<>|\0')


class ProgressRelay(QObject):
    """Carries ``progress(done, total)`` from the worker thread to the GUI thread."""

    progressed = Signal(int, int)

    def __call__(self, done: int, total: int | None) -> None:
        self.progressed.emit(done, total if total is not None else 0)


class ExportRejectedDialog(QDialog):
    """Pick a USB stick or the downloads folder, and a file name; nothing else (also the
    reports' export, with its own ``title``)."""

    def __init__(self, destinations: list[Destination], name: str,
                 parent: QWidget | None = None, title: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Xuất các dòng bị từ chối"))
        self.destinations = destinations
        self.places = QListWidget()
        for dest in destinations:
            item = QListWidgetItem(place_label(dest))
            item.setSizeHint(QSize(0, TOUCH))
            self.places.addItem(item)
        if destinations:
            self.places.setCurrentRow(0)
        self.name = QLineEdit(name)
        self.name.setMinimumHeight(TOUCH)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.ok_button = button(self.tr("Xuất"), self.accept, primary=True)
        cancel = button(self.tr("Huỷ"), self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("Chọn nơi lưu (cắm USB vào máy nếu cần):"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.places, 1)
        layout.addWidget(QLabel(self.tr("Tên tệp:")))
        layout.addWidget(self.name)
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.ok_button)
        layout.addLayout(row)

    def chosen_path(self) -> Path | None:
        """The file to write, or None (with the reason shown) when the choice is not valid."""
        row = self.places.currentRow()
        name = self.name.text().strip()
        if row < 0:
            self.problem.setText(self.tr("Chưa có nơi lưu: hãy cắm USB vào máy."))
            return None
        if not name or name in (".", "..") or _FORBIDDEN & set(name):
            self.problem.setText(self.tr("Tên tệp không được trống hay chứa / \\ : * ? \" < > |"))
            return None
        return self.destinations[row].path / name

    def accept(self) -> None:
        if self.chosen_path() is not None:
            super().accept()


class ImportScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 destinations: Callable[[], list[Destination]] | None = None):
        super().__init__(ctx, parent)
        self.destinations = (destinations or ctx.settings.get("export_destinations")
                             or find_sources)
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progressed)
        self.path_label = QLabel(self.tr("Chưa chọn tệp."))
        self.path_label.setWordWrap(True)
        self.choose_button = button(self.tr("Chọn tệp và nhập…"), self.choose, primary=True)
        self.export_button = button(self.tr("Xuất các dòng bị từ chối…"), self.export_rejected)
        self.export_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMinimumHeight(32)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr(
            "Các dòng bị từ chối và các cảnh báo sẽ hiện ở đây, kèm vị trí và lý do."))
        self.report: ImportReport | None = None
        self.source: Path | None = None
        self.export_dialog: ExportRejectedDialog | None = None
        self.import_dialog: ImportFileDialog | None = None
        self.batch_size = 200

        row = QHBoxLayout()
        row.addWidget(self.path_label, 1)
        row.addWidget(self.export_button)
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
        """Ask which file (on a USB stick or in the downloads folder), then import it."""
        dialog = ImportFileDialog(self.destinations, self)
        dialog.accepted.connect(lambda: self._chosen(dialog.chosen_path()))
        self.import_dialog = dialog
        dialog.open()

    def _chosen(self, path: Path | None) -> None:
        if path is not None:
            self.start_import(path)

    def start_import(self, path: str | Path) -> None:
        path = Path(path)
        self.source = path
        self.report = None
        self.path_label.setText(path.name)
        self.progress.setRange(0, 0)
        self.summary.clear()
        self.details.clear()
        self.message.clear_message()
        self.choose_button.setEnabled(False)
        self.export_button.setEnabled(False)
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
        self.export_button.setEnabled(bool(report.rejected))
        total = max(report.processed, 1)
        self.progress.setRange(0, total)
        self.progress.setValue(total)
        self.summary.setText(report.summary_vi())
        self.details.setPlainText("\n".join(report.details_vi()))
        if report.rejected:
            self.message.show_message(self.tr(
                "Đã nhập xong; có %1 dòng bị từ chối, xem lý do bên dưới.").replace(
                "%1", str(len(report.rejected))), "warn")
        else:
            self.message.show_message(self.tr("Đã nhập xong."), "ok")

    def _failed(self, error: Exception) -> None:
        self.choose_button.setEnabled(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.show_error(error)

    def export_rejected(self) -> None:
        """Ask where (USB or downloads), then write the rejected rows there."""
        if self.report is None or not self.report.rejected:
            return
        dialog = ExportRejectedDialog(self.destinations(),
                                      suggested_name(self.source or "nhap", self.report), self)
        dialog.accepted.connect(lambda: self._export_to(dialog.chosen_path()))
        self.export_dialog = dialog
        dialog.open()

    def _export_to(self, path: Path | None) -> None:
        if path is None or self.report is None:
            return
        report = self.report
        self.call(lambda: export_rejected(report, path), self._exported,
                  on_error=self._export_failed)

    def _export_failed(self, error: Exception) -> None:
        if isinstance(error, OSError):
            self.message.show_message(self.tr(
                "Không ghi được tệp (USB đã rút ra hoặc đầy?): %1").replace(
                "%1", error.strerror or type(error).__name__), "error")
        else:
            self.show_error(error)

    def _exported(self, written: Written) -> None:
        self.message.show_message(self.tr("Đã ghi %1 dòng bị từ chối ra %2.").replace(
            "%1", str(written.written)).replace("%2", str(written.path)), "ok")
