"""The search screen's filters (issue 16): "Còn sách", a subject, a decade of publication.

The panel takes the keyboard's place (a patron filters once the words are typed), so on a
1024×600 screen the results keep their full height and change beside it at each touch.
Subjects and decades are the ones that occur among the query's matches, given by the
core (:meth:`kiosk.core.search.Search.facets`); the panel only shows them and reports
the :class:`~kiosk.core.search_filters.Filters` a touch asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout

from kiosk.core.search_filters import Facets, Filters
from kiosk.ui.widgets import button, label

COLUMNS = 3
SHOWN = 22


class FilterPanel(QFrame):
    """Touch targets for each filter; ``choose(filters)`` is called with what a touch
    asks for, ``close()`` when the patron wants the keyboard back."""

    def __init__(self, choose: Callable[[Filters], None], close: Callable[[], None],
                 parent=None):
        super().__init__(parent)
        self.choose = choose
        self.filters = Filters()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.available_button = button(
            self.tr("Còn sách"), "", lambda _=False: self._pick(
                replace(self.filters, available=not self.filters.available)),
            description=self.tr("Chỉ hiện sách đang có trên giá ở thư viện này"))
        self.available_button.setCheckable(True)
        self.clear_button = button(self.tr("Bỏ lọc"), "", lambda _=False: self._pick(Filters()),
                                   description=self.tr("Hiện lại mọi kết quả"))
        self.keyboard_button = button(self.tr("Bàn phím"), "", lambda _=False: close(),
                                      description=self.tr("Đóng bộ lọc để gõ tiếp"))
        for widget in (self.available_button, self.clear_button, self.keyboard_button):
            top.addWidget(widget)
        layout.addLayout(top)
        self.subject_title = label(self.tr("Chủ đề"), "muted")
        self.subject_grid = QGridLayout()
        self.year_title = label(self.tr("Năm xuất bản"), "muted")
        self.year_grid = QGridLayout()
        layout.addWidget(self.subject_title)
        layout.addLayout(self.subject_grid)
        layout.addWidget(self.year_title)
        layout.addLayout(self.year_grid)
        layout.addStretch(1)
        self.subject_buttons: list = []
        self.year_buttons: list = []

    def years_text(self, years: tuple[int | None, int | None]) -> str:
        low, high = years
        if low is None:
            return self.tr("Trước %1").replace("%1", str(high + 1))
        if high is None:
            return self.tr("Từ %1").replace("%1", str(low))
        return f"{low}–{high}"

    def _pick(self, filters: Filters) -> None:
        self.show_filters(filters)
        self.choose(filters)

    def show_filters(self, filters: Filters) -> None:
        """Check the buttons of ``filters`` (the choices stay until new ones arrive)."""
        self.filters = filters
        self.available_button.setChecked(filters.available)
        self.clear_button.setEnabled(bool(filters))
        for choice in self.subject_buttons + self.year_buttons:
            choice.setChecked(choice.filters == filters)

    def show_choices(self, filters: Filters, facets: Facets) -> None:
        """The subjects and decades among the matches, the chosen one checked."""
        subjects = [(self.tr("Tất cả chủ đề"), "", replace(filters, subject=None))]
        subjects += [(_shown(s), s, replace(filters, subject=s)) for s in facets.subjects]
        if filters.subject is not None and filters.subject not in facets.subjects:
            subjects.append((_shown(filters.subject), filters.subject, filters))
        years = [(self.tr("Mọi năm"), "", replace(filters, year_from=None, year_to=None))]
        ranges = list(facets.years)
        if filters.years is not None and filters.years not in ranges:
            ranges.append(filters.years)
        years += [(self.years_text(r), "", replace(filters, year_from=r[0], year_to=r[1]))
                  for r in ranges]
        self.subject_buttons = self._fill(self.subject_grid, self.subject_buttons, subjects)
        self.year_buttons = self._fill(self.year_grid, self.year_buttons, years)
        self.subject_title.setText(self.tr("Chủ đề") if facets.subjects else self.tr(
            "Chủ đề: không có trong các kết quả"))
        self.year_title.setText(self.tr("Năm xuất bản") if facets.years else self.tr(
            "Năm xuất bản: không có trong các kết quả"))
        self.show_filters(filters)

    def clear_choices(self) -> None:
        """Forget the choices of a previous query (new ones come when the panel opens)."""
        self.subject_buttons = self._fill(self.subject_grid, self.subject_buttons, [])
        self.year_buttons = self._fill(self.year_grid, self.year_buttons, [])

    def _fill(self, grid: QGridLayout, old: list, choices: list) -> list:
        for choice in old:
            grid.removeWidget(choice)
            choice.hide()
            choice.deleteLater()
        made = []
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        for n, (text, full, filters) in enumerate(choices):
            choice = button(text, "", lambda _=False, f=filters: self._pick(f), name=full)
            choice.setCheckable(True)
            # Columns of equal width, whatever the words: a long subject is cut with "…".
            choice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            choice.filters = filters
            grid.addWidget(choice, n // COLUMNS, n % COLUMNS)
            made.append(choice)
        return made

    def texts(self) -> list[str]:
        """What the panel says, for reading aloud."""
        parts = [self.available_button.text()]
        parts += [self.subject_title.text(), *(b.text() for b in self.subject_buttons)]
        parts += [self.year_title.text(), *(b.text() for b in self.year_buttons)]
        return parts


def _shown(subject: str) -> str:
    return subject if len(subject) <= SHOWN else subject[:SHOWN - 1] + "…"
