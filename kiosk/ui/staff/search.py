"""Catalogue search at the counter: the kiosk's search in a dense table for the librarian.

The same core search as the kiosk (:meth:`kiosk.core.search.Search.find`): without
diacritics, Telex/VNI keys typed without an input method, and "Có phải bạn muốn tìm: …"
when few records answer. A row opens nothing here; the librarian reads the call number
and availability at a glance.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, make_table

LIMIT = 50


class CatalogueSearchScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.sequence = 0
        self.found = None
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Nhan đề, tác giả, chủ đề, ISBN hoặc mã vạch"))
        self.query.returnPressed.connect(self.search)
        self.suggestion = button("", self.take_suggestion)
        self.suggestion.hide()
        self.table = make_table([self.tr("Nhan đề"), self.tr("Tác giả"), self.tr("Năm"),
                                 self.tr("DDC"), self.tr("Có sẵn"), self.tr("Tổng số bản")])
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(button(self.tr("Tìm"), self.search, primary=True))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def search(self) -> None:
        text = self.query.text().strip()
        self.sequence += 1
        sequence = self.sequence
        if not text:
            return
        lib = self.ctx.library

        def done(found) -> None:
            if sequence == self.sequence:
                self._show(text, found)

        self.call(lambda: lib.search.find(text, limit=LIMIT, count=False), done)

    def take_suggestion(self) -> None:
        if self.found is not None and self.found.suggestion:
            self.query.setText(self.found.suggestion)
            self.search()

    def _show(self, text: str, found) -> None:
        self.found = found
        suggestion = found.suggestion or ""
        self.suggestion.setText(
            self.tr("Có phải bạn muốn tìm: %1").replace("%1", suggestion) if suggestion else "")
        self.suggestion.setVisible(bool(suggestion))
        fill_table(self.table, ([h.title, ", ".join(h.authors), h.year, h.ddc, h.available,
                                 h.total] for h in found.hits), stretch=0)
        shown = found.reading or text
        if not found.hits:
            self.message.show_message(
                self.tr("Không tìm thấy sách nào cho “%1”.").replace("%1", shown), "info")
        elif found.total is not None:
            self._counted(found, found.total)
        else:
            # The table is filled now, the number of matches when counted.
            self.message.clear_message()
            sequence = self.sequence

            def counted(total: int) -> None:
                if sequence == self.sequence:
                    self._counted(found, total)

            self.call(lambda: self.ctx.library.search.count(text), counted)

    def _counted(self, found, total: int) -> None:
        """How many records match, of which the table shows the first ``LIMIT``."""
        total = max(total, len(found.hits))
        if found.reading:
            text = self.tr("%1 kết quả cho “%2”").replace("%1", str(total)).replace(
                "%2", found.reading)
        else:
            text = self.tr("%1 kết quả").replace("%1", str(total))
        if total > len(found.hits):
            text += " " + self.tr("(hiện %1 đầu tiên)").replace("%1", str(len(found.hits)))
        self.message.show_message(text, "info")
