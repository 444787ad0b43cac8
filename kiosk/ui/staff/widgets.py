"""Small building blocks shared by the staff and technician screens.

Touch first: every button and table row is at least 48 px high, and text wraps rather than
being cut off at 1024x600. Sizes and colours come from the application theme
(``kiosk.ui.theme.dense_stylesheet``): a page marks itself ``dense`` and carries no
stylesheet of its own, so the large-text and high-contrast switches reach it.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Sequence

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.core.errors import LibraryError
from kiosk.ui import vi_typing
from kiosk.ui.context import UiContext
from kiosk.ui.theme import repolish

log = logging.getLogger(__name__)

TOUCH = 48
KINDS = ("info", "ok", "error", "warn")
# The core's patron categories (kiosk.core.patrons.CATEGORIES), re-declared here so lupdate
# sees them; the Vietnamese must stay identical to the core's.
CATEGORY_LABELS = {
    "child": QT_TRANSLATE_NOOP("staff", "Thiếu nhi"),
    "student": QT_TRANSLATE_NOOP("staff", "Học sinh, sinh viên"),
    "adult": QT_TRANSLATE_NOOP("staff", "Người lớn"),
    "elderly": QT_TRANSLATE_NOOP("staff", "Người cao tuổi"),
    "disabled": QT_TRANSLATE_NOOP("staff", "Người khuyết tật"),
}


def tr(text: str) -> str:
    """Translate, in context "staff", a string that is not inside a QObject method.

    lupdate cannot see literals passed here (it files them under an empty context): mark them
    with ``QT_TRANSLATE_NOOP("staff", ...)`` or call ``QCoreApplication.translate("staff", ...)``.
    """
    return QCoreApplication.translate("staff", text)


def category_label(code: str) -> str:
    """A patron category, translated; an unknown code shows as itself."""
    label = CATEGORY_LABELS.get(code)
    return tr(label) if label is not None else code


def error_text(error: Exception, lang: str = "vi") -> str:
    """What the librarian reads for a failed operation: the core's message in the
    interface language (the core carries Vietnamese and English)."""
    if isinstance(error, LibraryError):
        return error.message_en if lang == "en" else error.message
    log.error("operation failed", exc_info=error)
    return QCoreApplication.translate("staff", "Lỗi không mong đợi: ") + type(error).__name__


class StaffButton(QPushButton):
    """A push button never narrower than its label.

    The dense theme's ``min-width`` (which lifts the patron screens' square touch target) is a
    minimum size Qt sets at each polish, and a set minimum lets a layout squeeze the button
    below its text: large text cut "Bạn đọc mới" to "ạn đọc mớ". Unset, the layout keeps
    the button at least as wide as its label."""

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange):
            self.setMinimumWidth(0)
        return handled


def button(text: str, slot: Callable[[], Any] | None = None, *, primary: bool = False,
           danger: bool = False) -> QPushButton:
    widget = StaffButton(text)
    widget.setMinimumHeight(TOUCH)
    widget.setProperty("primary", primary)
    widget.setProperty("danger", danger)
    if slot is not None:
        widget.clicked.connect(lambda _checked=False: slot())
    return widget


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("heading", True)
    label.setWordWrap(True)
    return label


class MessageBar(QLabel):
    """A coloured, wrapping one-line-or-more message under a form."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("messagebar")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.kind = ""
        self.clear_message()

    def show_message(self, text: str, kind: str = "info") -> None:
        """``kind`` is info, ok, error or warn; the theme colours each."""
        if kind not in KINDS:
            raise ValueError(kind)
        self.kind = kind
        self.setText(text)
        self.setProperty("kind", kind)
        repolish(self)
        self.setVisible(True)

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.setVisible(False)


class Page(QWidget):
    """Base of every staff/technician screen: the context, the dense theme, library calls."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setProperty("dense", True)
        self.message = MessageBar(self)

    @property
    def lang(self) -> str:
        return self.ctx.settings.get("lang", "vi")

    def call(self, work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             changes: str | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None:
        """Run ``work`` on the database thread; errors go to the message bar by default.

        A result that comes back after the screen was closed (the area locked meanwhile) is
        dropped: the work is done, only the widgets to show it are gone."""
        self.ctx.ops.run(work, self._alive(on_done), self._alive(on_error or self.show_error),
                         changes)

    def _alive(self, callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        if callback is None:
            return None

        def deliver(value: Any) -> None:
            if shiboken6.isValid(self):
                callback(value)

        return deliver

    def show_error(self, error: Exception) -> None:
        self.message.show_message(error_text(error, self.lang), "error")

    def vietnamese(self, *fields: QWidget) -> None:
        """Fields for Vietnamese words: Telex or VNI keys compose there when no input method
        runs (:mod:`kiosk.ui.vi_typing`). Never for codes, numbers or PINs."""
        vi_typing.attach(self.ctx.settings, *fields)


class Keypad(QWidget):
    """An on-screen digit pad that types into a line edit; OK emits ``submitted``."""

    submitted = Signal()

    def __init__(self, target: QLineEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setSpacing(6)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        names = {"⌫": self.tr("Xóa lùi"), "OK": self.tr("Xác nhận")}
        for index, key in enumerate(keys):
            widget = button(key, lambda k=key: self._press(k), primary=key == "OK")
            widget.setMinimumSize(72, 56)
            widget.setAccessibleName(names.get(key, key))
            grid.addWidget(widget, index // 3, index % 3)

    def _press(self, key: str) -> None:
        if key == "⌫":
            self.target.backspace()
        elif key == "OK":
            self.submitted.emit()
        else:
            self.target.insert(key)


def reveal(*widgets: QWidget) -> None:
    """Scroll every scroll area around each widget so that it is on screen (an answer the
    librarian must read, such as a new card number, is never left below the fold). Runs
    once the layouts have settled: a message just shown changes the geometry first."""

    def scroll() -> None:
        for widget in widgets:
            if not shiboken6.isValid(widget):
                continue
            parent = widget.parentWidget()
            while parent is not None:
                if isinstance(parent, QScrollArea):
                    parent.ensureWidgetVisible(widget, 8, 8)
                parent = parent.parentWidget()

    QTimer.singleShot(0, scroll)


def make_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(TOUCH)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Iterable[Sequence[Any]], *,
               stretch: int | None = None) -> None:
    """Replace the table's rows; ``stretch`` is the column that takes the spare width."""
    rows = list(rows)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
        table.horizontalHeader().setStretchLastSection(False)
