"""Browse the shelves by Dewey class: ten main classes, then a class's divisions, then the
titles of a division in shelf order with what is on the shelf, each a touch from its record.

Class names are the core's data (``kiosk.core.ddc``), Vietnamese, with the English names
of DDC's own summaries when the kiosk speaks English.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout

from kiosk.core import ddc
from kiosk.core.shelf import titles_of_class
from kiosk.ui import queries
from kiosk.ui.patron.base import Screen
from kiosk.ui.patron.record import shelf_status
from kiosk.ui.widgets import Message, RowList, button, heading

PER_PAGE = 30


class BrowseScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.level = "classes"
        self.main: str | None = None
        self.division: str | None = None
        self.page = 1
        self.counts: tuple[dict[str, int], dict[str, int]] = ({}, {})
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(8)
        self.title = heading(self.tr("Duyệt sách theo môn loại"))
        self.message = Message()
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        self.grid = QGridLayout()
        self.class_buttons: dict[str, object] = {}
        for n, code in enumerate(ddc.MAIN_CLASSES):
            choice = button("", "", lambda _=False, c=code: self.open_class(c))
            # Two equal columns: a class name too long for its half is cut with "…".
            choice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.class_buttons[code] = choice
            self.grid.addWidget(choice, n // 2, n % 2)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)
        self.rows = RowList()
        self.rows.setVisible(False)
        layout.addWidget(self.rows, 1)
        actions = QHBoxLayout()
        self.back_button = button(self.tr("Quay lại"), "", self.back)
        self.more_button = button(self.tr("Xem thêm"), "", self.more)
        self.more_button.setVisible(False)
        actions.addWidget(self.back_button)
        actions.addWidget(self.more_button)
        actions.addWidget(button(self.tr("Tìm sách"), "", lambda: self.nav.go("search")))
        layout.addLayout(actions)

    def name(self, code: str, main: bool = False) -> str:
        names = ddc.MAIN_CLASSES if main else ddc.DIVISIONS
        if self.lang == "en":
            return (ddc.MAIN_CLASSES_EN if main else ddc.DIVISIONS_EN).get(code) or names[code]
        return names[code]

    def enter(self, keep: bool = False, **kwargs) -> None:
        """``keep``: back from a record opened here, the same list as the patron left it."""
        if keep and self.level != "classes":
            return
        self.show_classes()
        self.run(lambda: queries.shelves(self.ctx.library), self._counted,
                 lambda exc: self.message.show_text(self.error(exc), "error"))

    def _counted(self, counts) -> None:
        self.counts = counts
        self._label_classes()

    def _titles_text(self, count: int) -> str:
        return self.tr("%1 đầu sách").replace("%1", str(count))

    def _label_classes(self) -> None:
        mains = self.counts[0]
        for code, choice in self.class_buttons.items():
            choice.setText(f"{code}  {self.name(code, main=True)}\n"
                           f"{self._titles_text(mains.get(code, 0))}")

    def show_classes(self) -> None:
        self.level, self.main, self.division = "classes", None, None
        self.title.setText(self.tr("Duyệt sách theo môn loại"))
        self.message.clear()
        self._label_classes()
        for choice in self.class_buttons.values():
            choice.setVisible(True)
        self.rows.clear()
        self.rows.setVisible(False)
        self.more_button.setVisible(False)

    def open_class(self, code: str) -> None:
        self.level, self.main, self.division = "divisions", code, None
        self.title.setText(f"{code} {self.name(code, main=True)}")
        self.message.clear()
        for choice in self.class_buttons.values():
            choice.setVisible(False)
        self.rows.clear()
        self.rows.setVisible(True)
        self.more_button.setVisible(False)
        divisions = self.counts[1]
        for division, _ in ddc.divisions_of(code):
            count = divisions.get(division, 0)
            self.rows.add(f"{division} {self.name(division)}", self._titles_text(count),
                          "ok" if count else "",
                          on_click=lambda d=division: self.open_division(d))

    def open_division(self, code: str) -> None:
        self.level, self.division, self.page = "titles", code, 1
        self.title.setText(f"{code} {self.name(code)}")
        self.rows.clear()
        self.more_button.setVisible(False)
        self._load()

    def _load(self) -> None:
        code, page, library = self.division, self.page, self.ctx.library
        self.run(lambda: titles_of_class(library.store, library.code, code, page, PER_PAGE),
                 self._show_titles, lambda exc: self.message.show_text(self.error(exc), "error"))

    def _show_titles(self, found: dict) -> None:
        if self.level != "titles" or found["code"] != self.division:
            return
        if not found["total"]:
            self.message.show_text(self.tr("Thư viện chưa có sách nào thuộc môn loại này."), "")
        else:
            self.message.show_text(self._titles_text(found["total"]), "")
        for title in found["titles"]:
            detail, state = shelf_status(title)
            if title.get("call_number"):
                detail = f"{title['call_number']} · {detail}"
            self.rows.add(title["title"], detail, state,
                          on_click=lambda rid=title["id"]: self.nav.go("record", record_id=rid,
                                                                      back="browse"))
        self.more_button.setVisible(found["page"] < found["pages"])

    def more(self) -> None:
        if self.level == "titles":
            self.page += 1
            self.more_button.setVisible(False)
            self._load()

    def back(self) -> None:
        if self.level == "titles" and self.division:
            self.open_class(ddc.parent_of(self.division))
        elif self.level == "divisions":
            self.show_classes()
        else:
            self.nav.go("search")

    def reset(self) -> None:
        super().reset()
        self.show_classes()

    def speech_text(self) -> str:
        parts = [self.title.text()]
        if self.message.isVisible():
            parts.append(self.message.text())
        if self.level == "classes":
            parts += [self.name(code, main=True) for code in ddc.MAIN_CLASSES]
        else:
            parts += [r.title.text() for r in self.rows.rows[:6]]
        return ". ".join(parts)
