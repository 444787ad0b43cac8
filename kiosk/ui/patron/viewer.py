"""Digital documents of a record: image attachments page by page, PDFs through poppler.

PySide6-Essentials has no QtPdf, so a PDF page is rasterised by ``pdftoppm`` on demand (see
``pdf_pages``); the page count comes from ``pdfinfo``. Without poppler-utils the viewer says
plainly that this machine cannot show PDFs and where the document is, instead of pretending
to show it. ``ctx.settings["pdftoppm"]`` names the program (a test points it at nothing).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from kiosk.ui.patron.base import Screen
from kiosk.ui.patron.pdf_pages import PdfPages, find_tools
from kiosk.ui.widgets import Message, button, heading, label


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
        self.pdf_count: int | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="kiosk-viewer-")
        cache = Path(ctx.settings.get("viewer_cache") or self._tmp.name)
        self.pdf = PdfPages(*find_tools(ctx.settings.get("pdftoppm")), cache, parent=self)
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
        self.pages, self.index, self.pdf_page, self.pdf_count = list(attachments), 0, 1, None
        self.record_id = record_id
        self.title.setText(title)
        self._show()

    def _back(self) -> None:
        self.nav.go("record", record_id=self.record_id)

    def step(self, delta: int) -> None:
        """Page inside a PDF first; past its first or last page, go to the next attachment."""
        if not self.pages:
            return
        if self.pdf_count and 1 <= self.pdf_page + delta <= self.pdf_count:
            self.pdf_page += delta
            self._show_pdf_page()
            return
        index = max(0, min(len(self.pages) - 1, self.index + delta))
        if index == self.index:
            return
        self.index, self.pdf_page, self.pdf_count = index, 1, None
        self._show()

    def _caption(self) -> None:
        attachment = self.pages[self.index]
        name = attachment.get("label") or Path(attachment["uri"]).name
        text = f"{name} ({self.index + 1}/{len(self.pages)})"
        if self.pdf_count:
            text += " — " + self.tr("trang %1/%2").replace("%1", str(self.pdf_page)).replace(
                "%2", str(self.pdf_count))
        self.caption.setText(text)
        last_page = not self.pdf_count or self.pdf_page >= self.pdf_count
        self.prev_button.setEnabled(self.index > 0 or self.pdf_page > 1)
        self.next_button.setEnabled(self.index < len(self.pages) - 1 or not last_page)

    def _show(self) -> None:
        self.message.clear()
        self.pdf.cancel()
        self._set_pixmap(None)
        if not self.pages:
            return
        self._caption()
        attachment = self.pages[self.index]
        path = local_path(attachment["uri"])
        if path is None:
            self.message.show_text(self.tr("Tài liệu ở địa chỉ: %1").replace("%1", attachment["uri"]), "notice")
        elif attachment["kind"] == "image":
            self._set_pixmap(QPixmap(str(path)))
        elif self.pdf.available:
            self.message.show_text(self.tr("Đang mở tài liệu…"), "pending")
            index = self.index
            self.pdf.count(path, lambda count: self._counted(index, count))
        else:
            self.message.show_text(self.tr(
                "Máy này chưa xem được tệp PDF (thiếu poppler-utils). Tài liệu: %1 — hãy hỏi thủ thư."
            ).replace("%1", path.name), "notice")

    def _counted(self, index: int, count: int | None) -> None:
        if index != self.index:
            return
        if not count:
            self.message.show_text(self.tr("Không mở được tài liệu này."), "error")
            return
        self.pdf_count = count
        self._show_pdf_page()

    def _show_pdf_page(self) -> None:
        self._caption()
        self.pdf.cancel()
        path = local_path(self.pages[self.index]["uri"])
        if path is None:
            return
        if self.pdf.cached(path, self.pdf_page) is None:
            self._set_pixmap(None)
            self.message.show_text(self.tr("Đang mở trang…"), "pending")
        index, page = self.index, self.pdf_page
        self.pdf.render(path, page, lambda png: self._rendered(index, page, png))

    def _rendered(self, index: int, page: int, png: Path | None) -> None:
        if (index, page) != (self.index, self.pdf_page):
            return
        if png is None:
            self.message.show_text(self.tr("Không mở được trang này."), "error")
            return
        self.message.clear()
        self._set_pixmap(QPixmap(str(png)))

    @property
    def document_pixmap(self) -> QPixmap | None:
        """The page as loaded or rendered, before it is fitted to the screen."""
        return self._pixmap

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
        self.pdf.cancel()
        self.pages, self.pdf_count = [], None
        self.title.clear()
        self.caption.clear()
        self.message.clear()
        self._set_pixmap(None)

    def speech_text(self) -> str:
        return ". ".join(t for t in (self.title.text(), self.caption.text(), self.message.text()) if t)
