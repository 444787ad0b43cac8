"""Catalogue search with an on-screen Vietnamese keyboard; results come as the patron types.

Each keystroke restarts a 150 ms timer; each search runs on the database thread, and an
answer to an older query than the one now typed is thrown away. A query typed as Telex or
VNI keys says how it was read; when few records answer, "Có phải bạn muốn tìm: …" offers
the nearest words of the catalogue, one touch away.

"Lọc" opens filters in the keyboard's place (:mod:`kiosk.ui.patron.search_filters`):
they narrow the whole match set, so the count, the pages and "Xem thêm" all follow them.
They belong to one query: typing, a suggestion taken, a scan or the end of the session
clears them, so the next patron never meets a previous one's filters.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSizePolicy, QVBoxLayout

from kiosk.core.search_filters import Filters
from kiosk.ui.camera_preview import CameraPreview
from kiosk.ui.keys import VietnameseKeyboard
from kiosk.ui.patron.base import Screen
from kiosk.ui.patron.search_filters import FilterPanel
from kiosk.ui.widgets import Message, RowList, button, heading

DEBOUNCE_MS = 150
LIMIT = 30
DIRECT = ("isbn", "barcode")


def availability(hit) -> tuple[str, str]:
    """'Có sẵn 2 · Đang cho mượn 1' and the row state, from a search hit."""
    translate = QCoreApplication.translate
    parts = []
    if hit.available:
        parts.append(translate("SearchScreen", "Có sẵn %1").replace("%1", str(hit.available)))
    if hit.on_loan:
        parts.append(translate("SearchScreen", "Đang cho mượn %1").replace("%1", str(hit.on_loan)))
    if hit.held:
        parts.append(translate("SearchScreen", "Đang giữ chỗ %1").replace("%1", str(hit.held)))
    if not parts:
        parts.append(translate("SearchScreen", "Thư viện này không có bản nào"))
    return " · ".join(parts), "ok" if hit.available else ""


class SearchScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.sequence = 0
        self.hits: list = []
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        outer.setSpacing(20)
        left = QVBoxLayout()
        self.title = heading(self.tr("Tìm sách"))
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Tên sách, tác giả, chủ đề… (gõ không dấu cũng được)"))
        self.query.setAccessibleName(self.tr("Tìm sách"))
        self.query.setAccessibleDescription(self.tr(
            "Gõ tên sách, tác giả hoặc chủ đề bằng bàn phím trên màn hình; kết quả hiện ngay"))
        self.query.textChanged.connect(self._typed)
        self.keyboard = VietnameseKeyboard()
        self.keyboard.target = self.query
        self.browse_button = button(self.tr("Duyệt theo môn loại"), "",
                                    lambda: self.nav.go("browse"))
        self.filters = Filters()
        self.filter_button = button(self.tr("Lọc"), "", lambda _=False: self._toggle_panel(),
                                    self.tr("Lọc kết quả"),
                                    self.tr("Chỉ hiện sách còn trên giá, một chủ đề hoặc "
                                            "một khoảng năm xuất bản"))
        self.filter_button.setCheckable(True)
        self.filter_button.setEnabled(False)
        self.filter_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.panel = FilterPanel(self._narrow, self._close_panel)
        self.panel.hide()
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.filter_button)
        top.addWidget(self.browse_button)
        left.addLayout(top)
        left.addWidget(self.keyboard)
        left.addWidget(self.panel)
        self.camera = CameraPreview(ctx)
        left.addWidget(self.camera)
        left.addStretch(1)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        self.status = Message()
        self.suggestion = button("", on_click=self._take_suggestion)
        self.suggestion.hide()
        self.suggested = ""
        self.results = RowList()
        self.limit = LIMIT
        self.more_button = button("", on_click=self.more)
        self.more_button.hide()
        right.addWidget(self.title)
        right.addWidget(self.status)
        right.addWidget(self.suggestion)
        right.addWidget(self.results, 1)
        right.addWidget(self.more_button)
        outer.addLayout(right, 2)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search)

    def _typed(self, _text: str) -> None:
        self.limit = LIMIT
        self._clear_filters()
        self.timer.start()

    def _clear_filters(self) -> None:
        self.filters = Filters()
        self.panel.show_filters(self.filters)
        self.panel.clear_choices()
        self._close_panel()
        self._label_filter_button()

    def _label_filter_button(self) -> None:
        """"Lọc", or "Lọc (2)" while two filters narrow the results."""
        active = sum((self.filters.available, self.filters.subject is not None,
                      self.filters.years is not None))
        self.filter_button.setText(self.tr("Lọc (%1)").replace("%1", str(active)) if active
                                   else self.tr("Lọc"))
        self.filter_button.setChecked(self.panel.isVisibleTo(self))

    def _toggle_panel(self) -> None:
        if self.panel.isVisibleTo(self):
            self._close_panel()
        else:
            self.keyboard.hide()
            self.panel.show()
            self._label_filter_button()
            self._load_choices()

    def _close_panel(self) -> None:
        self.panel.hide()
        self.keyboard.show()
        self._label_filter_button()

    def _load_choices(self) -> None:
        """Ask the core which subjects and decades occur among the matches now."""
        text, filters = self.query.text().strip(), self.filters
        if not text:
            return

        def offer(found) -> None:
            if self.query.text().strip() == text and self.filters == filters:
                self.panel.show_choices(filters, found)

        self.run(lambda: self.ctx.library.search.facets(text, filters=filters), offer,
                 lambda exc: self.status.show_text(self.error(exc), "error"))

    def _narrow(self, filters: Filters) -> None:
        """Search again from the first page under ``filters``, and refresh the choices."""
        self.filters = filters
        self._label_filter_button()
        self.limit = LIMIT
        self.timer.stop()
        self.search()
        self._load_choices()

    def more(self) -> None:
        """The next page of the same query, added below the rows already read."""
        self.limit += LIMIT
        self.search()

    def search(self) -> None:
        text = self.query.text().strip()
        self.sequence += 1
        limit = self.limit
        sequence = self.sequence
        filters = self.filters
        if not text:
            self.results.clear()
            self.status.clear()
            self._offer("")
            self._show_more(0)
            self.filter_button.setEnabled(False)
            return

        def done(found) -> None:
            if sequence == self.sequence:
                self._show(text, found, filters)

        self.run(lambda: self.ctx.library.search.find(text, limit=limit, filters=filters,
                                                      count=False), done,
                 lambda exc: self.status.show_text(self.error(exc), "error"))

    def _show_more(self, left: int) -> None:
        self.more_button.setProperty("left", left)
        self.more_button.setText(self.tr("Xem thêm (còn %1 kết quả)").replace("%1", str(left)))
        self.more_button.setVisible(left > 0)

    def _offer(self, suggestion: str) -> None:
        self.suggested = suggestion
        self.suggestion.setText(
            self.tr("Có phải bạn muốn tìm: %1").replace("%1", suggestion) if suggestion else "")
        self.suggestion.setVisible(bool(suggestion))

    def _take_suggestion(self) -> None:
        if self.suggested:
            self.query.setText(self.suggested)
            self.timer.stop()
            self.search()

    def _show(self, text: str, found, filters: Filters) -> None:
        hits = found.hits
        kept = len(self.results.rows) if self.limit > LIMIT else 0   # "Xem thêm": keep my place
        if [h.id for h in self.hits[:kept]] != [h.id for h in hits[:kept]]:
            kept = 0
        self.hits = hits
        if not kept:
            self.results.clear()
        self._offer(found.suggestion or "")
        shown = found.reading or text
        self.filter_button.setEnabled(bool(filters) or (bool(hits) and hits[0].match not in DIRECT))
        if not hits:
            self._show_more(0)
            self.status.show_text(self.tr("Không có kết quả nào với bộ lọc này.") if filters else
                                  self.tr("Không tìm thấy sách nào cho “%1”.").replace("%1", shown),
                                  "")
            return
        for hit in hits[kept:]:
            detail, state = availability(hit)
            byline = ", ".join(hit.authors[:2])
            self.results.add(hit.title, f"{byline}\n{detail}" if byline else detail, state,
                             on_click=lambda rid=hit.id: self.nav.go("record", record_id=rid))
        if found.total is not None:
            self._counted(found, filters, found.total)
            return
        # More match than were ranked: the hits are shown now, their number when counted.
        self._show_more(0)
        self.status.clear()
        sequence = self.sequence

        def counted(total: int) -> None:
            if sequence == self.sequence:
                self._counted(found, filters, total)

        self.run(lambda: self.ctx.library.search.count(text, filters=filters), counted,
                 lambda exc: self.status.show_text(self.error(exc), "error"))

    def _counted(self, found, filters: Filters, total: int) -> None:
        """The "N kết quả" line and what "Xem thêm" would add, once the matches are counted."""
        total = max(total, len(found.hits))
        self._show_more(total - len(found.hits))
        if found.reading:
            counted = self.tr("%1 kết quả cho “%2”").replace("%1", str(total)).replace(
                "%2", found.reading)
        else:
            counted = self.tr("%1 kết quả").replace("%1", str(total))
        if filters:
            counted += " " + self.tr("(đã lọc)")
        self.status.show_text(counted, "")

    def reset(self) -> None:
        super().reset()
        self.timer.stop()
        self.sequence += 1
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self.results.clear()
        self.status.clear()
        self._offer("")
        self.hits = []
        self.limit = LIMIT
        self._clear_filters()
        self._show_more(0)
        self.filter_button.setEnabled(False)

    def on_scan(self, code: str) -> bool:
        self.query.setText(code.strip())
        self.timer.stop()
        self.search()
        return True

    def speech_text(self) -> str:
        parts = [self.title.text()]
        if self.status.isVisible():
            parts.append(self.status.text())
        if self.suggestion.isVisible():
            parts.append(self.suggestion.text())
        if self.panel.isVisible():
            parts += self.panel.texts()
        parts += [hit.title for hit in self.hits[:5]]
        return ". ".join(parts)
