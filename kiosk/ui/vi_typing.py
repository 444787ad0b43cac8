"""Telex and VNI typing in the counter's Vietnamese text fields, with or without IBus.

The image runs IBus with Unikey (:mod:`kiosk.appliance.input_method`; a counter starts with
Telex), and only the fields this module attaches to take it (:mod:`kiosk.ui.input_gate`).
:func:`attach` marks the fields that take Vietnamese words (patron name and address, record
title, authors...), never fields for codes or numbers (barcode, ISBN, call number, PIN,
phone): a scanner's keys must arrive as sent. It also installs the app's own Telex/VNI, for
when no input method composes (a counter PC with a plain keyboard, IBus missing or off): a
key filter that rewrites the word before the cursor with :func:`kiosk.core.vi_compose.compose`,
mid-text as well as at the end, replacing a selection as a typed key would, in one undo step;
at the end of a word (space, punctuation, Enter, leaving the field) it gives an English word
its keys back (:func:`~kiosk.core.vi_compose.restore`). It stands aside while an input method
composes (IBus sends ``QInputMethodEvent`` with a pre-edit text, not key presses, so a word
IBus wrote is never composed or restored a second time) and for key chords (Ctrl+Z...).

The scheme (``staff_typing``: telex, vni or off) is read from the settings at each key, so
the switch :class:`TypingSwitch` ("Kiểu gõ: Telex / VNI / Tắt") takes effect at once; it
also turns the window's IBus to the same choice (:class:`InputMethodSwitch`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
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
from kiosk.appliance import input_method
from kiosk.core import vi_compose

log = logging.getLogger(__name__)

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
    """Whether ``field`` (or an editable combo box's line edit) takes Vietnamese words."""
    editor = field.lineEdit() if isinstance(field, QComboBox) else field
    return editor is not None and editor.findChild(
        FieldTyping, options=Qt.FindChildOption.FindDirectChildrenOnly) is not None


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
            self.composing = False  # no pre-edit outlives the field's focus
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


class InputMethodSwitch:
    """Turns the window's IBus to ``telex``, ``vni`` or ``off``, off the GUI thread.

    A switch can take a second on a Pi (:func:`kiosk.appliance.input_method.switch` restarts
    the Unikey engine), so it runs on a thread of its own, not on the library's database or
    network worker, which it would hold up: nothing comes back to a widget, and a failure is
    only logged (the app's own Telex/VNI still types). Switches run one at a time; of the
    choices made meanwhile only the last is applied. Without an IBus that
    :mod:`kiosk.appliance.input_method` started (no ``IBUS_ADDRESS_FILE``) it does nothing.
    """

    def __init__(self, environ: Mapping[str, str] | None = None,
                 switch: Callable[[str, Mapping[str, str]], None] = input_method.switch):
        self.environ = dict(os.environ if environ is None else environ)
        self._switch = switch
        self._lock = threading.Lock()
        self._wanted: str | None = None
        self._worker: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return bool(self.environ.get("IBUS_ADDRESS_FILE"))

    def choose(self, method: str) -> None:
        if not self.available:
            return
        with self._lock:
            self._wanted = method
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="input-method",
                                                daemon=True)
                self._worker.start()

    def wait(self, seconds: float) -> bool:
        """True once no switch runs or waits."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(seconds)
        return not (worker is not None and worker.is_alive())

    def _run(self) -> None:
        while True:
            with self._lock:
                method, self._wanted = self._wanted, None
                if method is None:
                    self._worker = None
                    return
            try:
                self._switch(method, self.environ)
            except Exception as exc:  # on a worker thread: logged here or lost
                log.warning("input method not switched to %s (the app's own typing still "
                            "works): %s", method, exc)
            else:
                log.info("input method switched to %s", method)


class TypingSwitch(QWidget):
    """"Kiểu gõ: Telex / VNI / Tắt": how the counter's Vietnamese fields take keys; the
    switch starts at the device setting ``staff_typing`` and its choice holds, in the
    settings the fields read and in the window's IBus (``ime``), until the program
    restarts."""

    def __init__(self, settings: dict[str, Any], parent: QWidget | None = None, *,
                 ime: InputMethodSwitch | None = None):
        super().__init__(parent)
        self.settings = settings
        self.ime = ime if ime is not None else InputMethodSwitch()
        self._shown = False
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
        self._shown = True

    def _toggled(self, code: str, on: bool) -> None:
        if on:
            self.settings[SETTING] = code
            if self._shown:  # a choice, not the setting shown at start
                self.ime.choose(code)
