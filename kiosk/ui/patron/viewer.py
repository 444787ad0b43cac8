"""Digital documents of a record: image attachments page by page, PDFs through ``pdftoppm``.

PySide6-Essentials has no QtPdf, so a PDF page is rasterised by poppler's ``pdftoppm`` (in a
QProcess, never blocking the GUI) when it is installed; without it the viewer says where the
document is instead of pretending to show it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from PySide6.QtCore import QProcess, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Message, button, heading, label

PDF_DPI = 110


def local_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme in ("", "file"):
        path = Path(unquote(parsed.path if parsed.scheme else uri))
        return path if path.is_file() else None
    return None


class ViewerScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.pages: list[dict] = []
        self.index = 0
        self.pdf_page = 1
        self.pdftoppm = shutil.which("pdftoppm")
        self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-viewer-")
        self._process: QProcess | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        self.title = heading()
        self.caption = label("", "muted")
        self.message = Message()
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for widget in (self.title, self.caption, self.message):
            layout.addWidget(widget)
        layout.addWidget(self.page, 1)
        actions = QHBoxLayout()
        actions.addWidget(button(self.tr("Quay lại"), "", self._back))
        self.prev_button = button(self.tr("◀ Trang trước"), "", lambda: self.step(-1))
        self.next_button = button(self.tr("Trang sau ▶"), "primary", lambda: self.step(1))
        actions.addWidget(self.prev_button)
        actions.addWidget(self.next_button)
        layout.addLayout(actions)
        self.record_id = None
        self._pixmap: QPixmap | None = None

    def enter(self, attachments=(), title: str = "", record_id=None, **kwargs) -> None:
        self.pages, self.index, self.pdf_page = list(attachments), 0, 1
        self.record_id = record_id
        self.title.setText(title)
        self._show()

    def _back(self) -> None:
        self.nav.go("record", record_id=self.record_id)

    def step(self, delta: int) -> None:
        if not self.pages:
            return
        current = self.pages[self.index]
        paged_pdf = current["kind"] == "pdf" and self.pdftoppm and local_path(current["uri"])
        if paged_pdf and self.pdf_page + delta >= 1:
            self.pdf_page += delta
            self._show()
            return
        self.index = max(0, min(len(self.pages) - 1, self.index + delta))
        self.pdf_page = 1
        self._show()

    def _show(self) -> None:
        self.message.clear()
        self._set_pixmap(None)
        if not self.pages:
            return
        attachment = self.pages[self.index]
        name = attachment.get("label") or Path(attachment["uri"]).name
        self.caption.setText(f"{name} ({self.index + 1}/{len(self.pages)})")
        path = local_path(attachment["uri"])
        if path is None:
            self.message.show_text(self.tr("Tài liệu ở địa chỉ: %1").replace("%1", attachment["uri"]), "notice")
        elif attachment["kind"] == "image":
            self._set_pixmap(QPixmap(str(path)))
        elif self.pdftoppm:
            self._render_pdf(path)
        else:
            self.message.show_text(self.tr(
                "Máy này chưa xem được tệp PDF. Tài liệu: %1 — hãy hỏi thủ thư.").replace("%1", str(path)),
                "notice")

    def _render_pdf(self, path: Path) -> None:
        out = Path(self._tmp.name) / f"page-{self.index}-{self.pdf_page}"
        process = QProcess(self)
        process.finished.connect(lambda code, _status: self._pdf_done(process, out, code))
        process.start(self.pdftoppm, ["-png", "-singlefile", "-r", str(PDF_DPI), "-f", str(self.pdf_page),
                                      "-l", str(self.pdf_page), str(path), str(out)])
        self._process = process

    def _pdf_done(self, process: QProcess, out: Path, code: int) -> None:
        if process is not self._process:
            return
        png = out.with_suffix(".png")
        if code == 0 and png.is_file():
            self._set_pixmap(QPixmap(str(png)))
        elif self.pdf_page > 1:
            self.pdf_page -= 1
            self.message.show_text(self.tr("Đã đến trang cuối."), "")
        else:
            self.message.show_text(self.tr("Không mở được tài liệu này."), "error")

    def _set_pixmap(self, pixmap: QPixmap | None) -> None:
        self._pixmap = pixmap if pixmap is not None and not pixmap.isNull() else None
        self._fit()

    def _fit(self) -> None:
        if self._pixmap is None:
            self.page.clear()
            return
        self.page.setPixmap(self._pixmap.scaled(self.page.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def reset(self) -> None:
        super().reset()
        self.pages, self._process = [], None
        self.title.clear()
        self.caption.clear()
        self.message.clear()
        self._set_pixmap(None)

    def speech_text(self) -> str:
        return ". ".join(t for t in (self.title.text(), self.caption.text(), self.message.text()) if t)
