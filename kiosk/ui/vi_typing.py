"""Telex and VNI typing in the counter's Vietnamese text fields, without an input method.

The image ships an input method (IBus with Unikey); this is the fallback when none runs, as
on a counter PC with a plain keyboard. :func:`attach` installs a key filter on the fields
that take Vietnamese words (patron name and address, record title, authors...), never on
fields for codes or numbers (barcode, ISBN, call number, PIN, phone): a scanner's keys must
arrive as sent. The filter rewrites the word before the cursor with
:func:`kiosk.core.vi_compose.compose`, mid-text as well as at the end, replacing a selection
as a typed key would, in one undo step; at the end of a word (space, punctuation, Enter,
leaving the field) it gives an English word its keys back (:func:`~kiosk.core.vi_compose.restore`).
It stands aside while a real input method composes (IBus sends ``QInputMethodEvent`` with a
pre-edit text, not key presses) and for key chords (Ctrl+Z and the like).

The scheme (``staff_typing``: telex, vni or off) is read from the settings at each key, so
the switch :class:`TypingSwitch` ("Kiểu gõ: Telex / VNI / Tắt") takes effect at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from appconfig.spec import OPTIONS, TYPING_SCHEMES
from kiosk.core import vi_compose

SETTING = "staff_typing"
DEFAULT = next(option.default for option in OPTIONS if option.name == SETTING)
_CHORDS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
           | Qt.KeyboardModifier.MetaModifier)
_ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def scheme(settings: dict[str, Any]) -> str:
    """The typing scheme in force: telex, vni or off."""
    chosen = settings.get(SETTING, DEFAULT)
    return chosen if chosen in TYPING_SCHEMES else DEFAULT


def attach(settings: dict[str, Any], *fields: QWidget) -> None:
    """Compose Vietnamese in ``fields`` (line edits, editable combo boxes, plain text edits)
    by the scheme in ``settings``. A masked field (a PIN) is refused."""
    for field in fields:
        editor = field.lineEdit() if isinstance(field, QComboBox) else field
        if not isinstance(editor, (QLineEdit, QPlainTextEdit)):
            raise TypeError(f"cannot type Vietnamese into a {type(field).__name__}")
        if isinstance(editor, QLineEdit) and editor.echoMode() != QLineEdit.EchoMode.Normal:
            raise ValueError("a masked field (a PIN) never composes Vietnamese")
        typing = FieldTyping(editor, settings)
        for watched in {field, editor}:
            watched.installEventFilter(typing)


def attached(field: QWidget) -> bool:
    editor = field.lineEdit() if isinstance(field, QComboBox) else field
    return editor is not None and editor.findChild(FieldTyping) is not None


def _span(editor) -> tuple[str, int, int]:
    """The text, and the selection (or the cursor twice) as indexes into it."""
    if isinstance(editor, QLineEdit):
        if editor.hasSelectedText():
            start = editor.selectionStart()
            return editor.text(), start, start + len(editor.selectedText())
        return editor.text(), editor.cursorPosition(), editor.cursorPosition()
    cursor = editor.textCursor()
    return editor.toPlainText(), cursor.selectionStart(), cursor.selectionEnd()


def _replace(editor, start: int, end: int, text: str) -> None:
    """``text`` in place of ``[start, end)``, as one undoable edit, the cursor after it."""
    if isinstance(editor, QLineEdit):
        editor.setSelection(start, end - start)
        editor.insert(text)
        return
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)
    editor.setTextCursor(cursor)


class FieldTyping(QObject):
    """The key filter of one field, and the keys typed for its current word."""

    def __init__(self, editor: QWidget, settings: dict[str, Any]):
        super().__init__(editor)
        self.editor = editor
        self.settings = settings
        self.composing = False
        self._word: tuple[int, str, str] | None = None  # (start, as shown, keys typed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.InputMethod:
            self.composing = bool(event.preeditString())
            self._word = None
        elif kind == QEvent.Type.FocusOut:
            self._end_word()
        elif kind == QEvent.Type.KeyPress:
            return self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        chosen = scheme(self.settings)
        if chosen == "off" or self.composing or self.editor.isReadOnly() \
                or event.modifiers() & _CHORDS:
            return False
        key = event.text()
        if len(key) != 1 or not key.isprintable():
            if event.key() in _ENDS:
                self._end_word()
            return False
        if key.isalpha() or chosen == "vni" and key.isdigit():
            return self._compose(key, chosen)
        self._end_word()
        return False

    def _current(self) -> tuple[str, int, int, int, str] | None:
        text, start, end = _span(self.editor)
        if any(ord(c) > 0xFFFF for c in text):
            return None  # Qt counts UTF-16 units; such text is no Vietnamese word anyway
        begin = start
        while begin > 0 and text[begin - 1].isalpha():
            begin -= 1
        word = text[begin:start]
        known = self._word
        keys = known[2] if known and known[0] == begin and known[1] == word else word
        return word, begin, start, end, keys

    def _compose(self, key: str, chosen: str) -> bool:
        current = self._current()
        if current is None:
            return False
        word, begin, _start, end, keys = current
        new = vi_compose.compose(word, key, chosen)
        if new is None:
            self._word = (begin, word + key, keys + key) if key.isalpha() else None
            return False
        _replace(self.editor, begin, end, new)
        self._word = (begin, new, keys + key)
        return True

    def _end_word(self) -> None:
        current = self._current()
        self._word = None
        if current is None:
            return
        word, begin, start, end, keys = current
        if start != end:
            return
        restored = vi_compose.restore(word, keys)
        if restored is not None:
            _replace(self.editor, begin, start, restored)


class TypingSwitch(QWidget):
    """"Kiểu gõ: Telex / VNI / Tắt": how the counter's Vietnamese fields take keys; the
    switch starts at the device setting ``staff_typing`` and its choice holds, in the
    settings the fields read, until the program restarts."""

    def __init__(self, settings: dict[str, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(4)
        self.caption = QLabel(self.tr("Kiểu gõ:"))
        row.addWidget(self.caption)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        described = {
            "telex": self.tr("Gõ tiếng Việt kiểu Telex: aa thành â, dd thành đ, s f r x j "
                             "là dấu sắc, huyền, hỏi, ngã, nặng"),
            "vni": self.tr("Gõ tiếng Việt kiểu VNI: số 1 đến 5 là dấu, 6 mũ, 7 móc, 8 trăng, 9 đ"),
            "off": self.tr("Không ghép dấu: các phím được gõ đúng như bấm"),
        }
        for code, text in (("telex", "Telex"), ("vni", "VNI"), ("off", self.tr("Tắt"))):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAccessibleName(self.tr("Kiểu gõ %1").replace("%1", text))
            button.setAccessibleDescription(described[code])
            button.setToolTip(described[code])
            self.group.addButton(button)
            self.buttons[code] = button
            row.addWidget(button)
            button.toggled.connect(lambda on, c=code: self._toggled(c, on))
        self.buttons[scheme(settings)].setChecked(True)

    def _toggled(self, code: str, on: bool) -> None:
        if on:
            self.settings[SETTING] = code
