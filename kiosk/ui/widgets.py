"""Small touch-first building blocks shared by the screens: labels, buttons, row lists.

Every button takes keyboard (and switch-access) focus by Tab without stealing it on a tap,
and is announced by what it does: a symbol in its text ("⌂", "◐", "⌫") is never read out as
a symbol. Every list scrolls by dragging it with a finger (Qt's kinetic ``QScroller``).
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.theme import set_state


def label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        widget.setObjectName(name)
    return widget


def heading(text: str = "") -> QLabel:
    return label(text, "heading")


def spoken(text: str) -> str:
    """``text`` without its symbols, as a screen reader should say it: "⌂ Màn hình chính" ->
    "Màn hình chính"; letters, digits and punctuation stay."""
    kept = "".join(" " if unicodedata.category(c) in ("So", "Sm") else c for c in text)
    return " ".join(kept.split())


SLACK = 4  # px a label may run into a button's padding before it is cut


class KioskButton(QPushButton):
    """A push button whose accessible name follows its text, minus symbols, unless a name
    was given explicitly (a key like "⌫" says "Xóa lùi").

    A line too long for the button (an English class name, a long subject in a narrow
    column) is drawn cut with "…" at its end: Qt would centre it and cut both ends
    ("ồng Tháp" for "Đồng Tháp"). ``text()`` and the accessible name stay whole."""

    def __init__(self, text: str = "", name: str = "", description: str = ""):
        super().__init__(text)
        self.fixed_name = name
        self._name_from(text)
        if description:
            self.setAccessibleDescription(description)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._name_from(text)

    def set_accessible(self, name: str, description: str = "") -> None:
        self.fixed_name = name
        self.setAccessibleName(name)
        if description:
            self.setAccessibleDescription(description)

    def _name_from(self, text: str) -> None:
        self.setAccessibleName(self.fixed_name or spoken(text) or text)

    def shown_lines(self) -> list[str]:
        """The text's lines as drawn: each cut to the room inside the button's padding, give
        or take ``SLACK`` (a pressed or speaking button's thicker border takes a pixel or two,
        which costs no letter)."""
        return self._fitted(self._option())

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return option

    def _fitted(self, option: QStyleOptionButton) -> list[str]:
        room = self.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, self).width() + SLACK
        if not option.icon.isNull():
            room -= option.iconSize.width() + 4
        metrics = self.fontMetrics()
        return [line if metrics.horizontalAdvance(line) <= room else
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(room, 0))
                for line in option.text.split("\n")]

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        option = self._option()
        shown = "\n".join(self._fitted(option))
        if shown == option.text:
            super().paintEvent(event)
            return
        option.text = shown
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)


def kinetic(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """Let a finger (or a pressed left mouse button) drag ``area``'s content, with momentum.

    A target holds one scroller gesture (grabbing a second one drops the first). The left
    mouse button gesture serves both: a touch screen's unhandled touches reach the widgets
    as synthesised left-button presses and moves."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it: with large text on a small screen
    it scrolls instead of pushing everything around it past the display."""
    holder = QScrollArea()
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    holder.setWidget(widget)
    return holder


class PageTabs(QTabWidget):
    """Tabs whose pages each scroll on their own (:func:`scrolling`).

    A tab widget is as wide as its widest page: one wide form in large text would otherwise
    widen every tab and push the corner widget and the tables' last columns off the window.
    ``widget``, ``currentWidget``, ``indexOf`` and ``setCurrentWidget`` speak of the pages.
    """

    def add_page(self, page: QWidget, title: str) -> int:
        return self.addTab(scrolling(page), title)

    def widget(self, index: int) -> QWidget | None:
        holder = super().widget(index)
        return holder.widget() if isinstance(holder, QScrollArea) else holder

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())

    def indexOf(self, page: QWidget) -> int:
        return next((i for i in range(self.count()) if self.widget(i) is page), -1)

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)


class Reflow(QBoxLayout):
    """Parts side by side while the room allows each its minimum width, else one above the
    other (large text on a small screen): no part is squeezed below its labels, and nothing
    scrolls sideways. Its own minimum width is the widest part's, so the room decides."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight, parent)

    def _parts(self) -> list[QSize]:
        return [self.itemAt(i).minimumSize() for i in range(self.count())]

    def _side_by_side_width(self) -> int:
        parts = self._parts()
        margins = self.contentsMargins()
        return (sum(part.width() for part in parts) + self.spacing() * max(len(parts) - 1, 0)
                + margins.left() + margins.right())

    def minimumSize(self) -> QSize:
        margins = self.contentsMargins()
        widest = max((part.width() for part in self._parts()), default=0)
        return QSize(widest + margins.left() + margins.right(), super().minimumSize().height())

    def setGeometry(self, rect: QRect) -> None:
        fits = rect.width() >= self._side_by_side_width()
        direction = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self.direction() != direction:
            self.setDirection(direction)
        super().setGeometry(rect)


def button(text: str, role: str = "", on_click=None, name: str = "",
           description: str = "") -> QPushButton:
    """A button at least 56 px each way; ``role`` is ``primary``, ``big`` or plain.

    Tab reaches it (keyboards, switch access); a tap does not move the focus, so a
    scanner typing into a focused field keeps typing there.
    """
    widget = KioskButton(text, name, description)
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    if role:
        widget.setObjectName(role)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    if on_click is not None:
        widget.clicked.connect(on_click)
    return widget


class Message(QLabel):
    """One line of feedback whose colour follows its state (ok, error, notice, pending)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.clear()

    def show_text(self, text: str, state: str = "") -> None:
        self.setText(text)
        set_state(self, state)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        set_state(self, "")
        self.setVisible(False)


class Banner(QFrame):
    """A boxed, large instruction the patron must not miss (e.g. put this book on the hold shelf)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.label = label()
        layout.addWidget(self.label)
        self.clear()

    def text(self) -> str:
        return self.label.text()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.label.clear()
        self.setVisible(False)


class Row(QFrame):
    """A list row: a bold title above a detail line, an optional action button on the right."""

    def __init__(self, title: str, detail: str = "", state: str = "pending",
                 parent: QWidget | None = None, on_click=None):
        super().__init__(parent)
        self.on_click = on_click
        if on_click is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setObjectName("row")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        texts = QVBoxLayout()
        self.title = label(title)
        self.title.setStyleSheet("font-weight: bold;")
        self.detail = label(detail)
        texts.addWidget(self.title)
        texts.addWidget(self.detail)
        layout.addLayout(texts, 1)
        self.actions = QHBoxLayout()
        layout.addLayout(self.actions)
        self.update_row(title, detail, state)

    def update_row(self, title: str | None = None, detail: str | None = None,
                   state: str | None = None) -> None:
        if title is not None:
            self.title.setText(title)
        if detail is not None:
            self.detail.setText(detail)
            self.detail.setVisible(bool(detail))
        if state is not None:
            set_state(self.detail, state)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self.on_click is not None and self.rect().contains(event.position().toPoint()):
            self.on_click()

    def add_action(self, text: str, on_click) -> QPushButton:
        action = button(text, "", on_click)
        action.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.actions.addWidget(action)
        if self.isVisible():
            action.show()       # now, not at the layout's next turn: a tap may come first
        return action


class RowList(QScrollArea):
    """A scrolling column of :class:`Row` widgets.

    ``newest_first`` lists answer scans (borrow, return): after a row is added the list keeps
    the newest row, at the top, in view while the layout settles (each growth of the scroll
    range re-scrolls), until the patron scrolls it themselves. Other lists (search results,
    loans, copies) read from the top and open there.
    """

    def __init__(self, newest_first: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.newest_first = newest_first
        self.following = False
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(lambda _low, _high: self._follow())
        bar.actionTriggered.connect(lambda _action: setattr(self, "following", False))
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(0, 0, 8, 0)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.setWidget(body)
        self.kinetic = False
        self.rows: list[Row] = []

    def showEvent(self, event) -> None:
        """Grab the drag gesture once shown in its window: a scroller grabbed while the
        list is still being built and re-parented never starts."""
        super().showEvent(event)
        if not self.kinetic:
            kinetic(self)
            self.kinetic = True

    def add(self, title: str, detail: str = "", state: str = "pending", on_click=None) -> Row:
        row = Row(title, detail, state, on_click=on_click)
        if self.newest_first:
            self._layout.insertWidget(0, row)
        else:
            self._layout.insertWidget(self._layout.count() - 1, row)
        if self.isVisible():
            row.show()
        self.rows.append(row)
        self.following = self.newest_first
        self._follow()
        return row

    def _follow(self) -> None:
        if self.following:
            bar = self.verticalScrollBar()
            bar.setValue(bar.minimum())

    def clear(self) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        self.following = False
        self.verticalScrollBar().setValue(0)
