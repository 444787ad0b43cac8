"""On-screen input for a touch kiosk: a numeric keypad and a Vietnamese keyboard.

Both type into whichever field they are pointed at (``target``: a line edit or a
multi-line text edit), at its cursor, so a tap in the middle of an address and a key
edits there. The Vietnamese keyboard has the QWERTY letters with a shift key (one capital,
or all capitals when tapped twice), the seven Vietnamese letters (ă â đ ê ô ơ ư), the
punctuation forms need (``- , . /``), and the five tone marks. A tone mark goes on the
vowel of the syllable before the cursor where Vietnamese writes it ("toan" + sắc ->
"toán", "thuong" + huyền... -> "thường" once typed with ư/ơ), replacing a tone already
there; after a consonant-only syllable it does nothing, never "t́". Typing without any
diacritics works too, since search folds them.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from kiosk.ui.widgets import button

BACKSPACE = "⌫"
SHIFT = "⇧"
LEFT, RIGHT = "◀", "▶"
ENTER = "↵"
TONES = {"á": "\u0301", "à": "\u0300", "ả": "\u0309", "ã": "\u0303", "ạ": "\u0323"}
QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
VIETNAMESE = "ăâđêôơư"
PUNCTUATION = "-,./"
VOWELS = set("aăâeêioôơuưy")
MARKED = set("ăâêôơư")   # a vowel with a hat, breve or horn carries the tone


def _translate(text: str) -> str:
    return QCoreApplication.translate("Keys", text)


def key_names() -> dict[str, str]:
    """What a screen reader says for keys whose label is a symbol or a bare mark."""
    return {
        BACKSPACE: _translate("Xóa lùi"), SHIFT: _translate("Chữ hoa"),
        LEFT: _translate("Lùi con trỏ"), RIGHT: _translate("Tiến con trỏ"),
        ENTER: _translate("Xuống dòng"), " ": _translate("Dấu cách"),
        "á": _translate("Dấu sắc"), "à": _translate("Dấu huyền"), "ả": _translate("Dấu hỏi"),
        "ã": _translate("Dấu ngã"), "ạ": _translate("Dấu nặng"), "-": _translate("Gạch nối"),
        ",": _translate("Dấu phẩy"), ".": _translate("Dấu chấm"), "/": _translate("Gạch chéo"),
    }


def _base(char: str) -> str:
    """``char`` without its tone mark (hats, breves and horns stay): "ố" -> "ô"."""
    decomposed = unicodedata.normalize("NFD", char)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES.values()))


def tone_position(syllable: str) -> int | None:
    """Index in ``syllable`` of the vowel that takes the tone, or None (no vowel)."""
    plain = [_base(c).lower() for c in syllable]
    vowels = [i for i, c in enumerate(plain) if c in VOWELS]
    # "qu" and "gi" + vowel: the u / i belongs to the consonant
    if len(vowels) > 1 and vowels[0] == 1 and plain[0] in "qg" and plain[1] in "ui":
        vowels = vowels[1:]
    if not vowels:
        return None
    marked = [i for i in vowels if plain[i] in MARKED]
    if marked:
        return marked[-1]
    if len(vowels) == 1:
        return vowels[0]
    ends_in_consonant = vowels[-1] < len(syllable) - 1
    return vowels[-1] if ends_in_consonant else vowels[-2]


def apply_tone(text: str, cursor: int, tone: str) -> str:
    """``text`` with ``tone`` placed in the syllable ending at ``cursor`` (unchanged if none)."""
    start = cursor
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    syllable = text[start:cursor]
    index = tone_position(syllable)
    if index is None:
        return text
    letters = [_base(c) for c in syllable]
    letters[index] = unicodedata.normalize("NFC", letters[index] + TONES[tone])
    return text[:start] + "".join(letters) + text[cursor:]


class _Field:
    """The text and cursor of a QLineEdit or QPlainTextEdit, behind one interface."""

    def __init__(self, widget):
        self.widget = widget
        self.multiline = isinstance(widget, QPlainTextEdit)

    def get(self) -> tuple[str, int]:
        if self.multiline:
            return self.widget.toPlainText(), self.widget.textCursor().position()
        return self.widget.text(), self.widget.cursorPosition()

    def set(self, text: str, cursor: int) -> None:
        if self.multiline:
            self.widget.setPlainText(text)
            moved = self.widget.textCursor()
            moved.setPosition(max(0, min(cursor, len(text))))
            self.widget.setTextCursor(moved)
        else:
            self.widget.setText(text)
            self.widget.setCursorPosition(cursor)


def type_into(field, key: str) -> None:
    """Apply one key to ``field`` at its cursor: a character, a tone mark, backspace,
    cursor movement or (in a multi-line field) a new line."""
    target = _Field(field)
    text, cursor = target.get()
    if key == BACKSPACE:
        if cursor > 0:
            target.set(text[:cursor - 1] + text[cursor:], cursor - 1)
    elif key == LEFT:
        target.set(text, max(0, cursor - 1))
    elif key == RIGHT:
        target.set(text, min(len(text), cursor + 1))
    elif key == ENTER:
        if target.multiline:
            target.set(text[:cursor] + "\n" + text[cursor:], cursor + 1)
    elif key in TONES:
        target.set(apply_tone(text, cursor, key), cursor)
    else:
        target.set(text[:cursor] + key + text[cursor:], cursor + len(key))


class _Keys(QWidget):
    pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.target: QLineEdit | QPlainTextEdit | None = None
        self.names = key_names()
        self.keys: dict[str, object] = {}

    def _key(self, text: str, label: str | None = None):
        key = button(label or text, "key", lambda: self._press(text), self.names.get(text, ""))
        key.setObjectName("key")
        self.keys[text] = key
        return key

    def _press(self, key: str) -> None:
        if self.target is not None:
            type_into(self.target, key)
        self.pressed.emit(key)


class Keypad(_Keys):
    """Digits 0-9 and backspace in a phone-style grid."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit), index // 3, index % 3)
        grid.addWidget(self._key(BACKSPACE), 3, 0)
        grid.addWidget(self._key("0"), 3, 1)


class VietnameseKeyboard(_Keys):
    """Digits and QWERTY rows, a row of Vietnamese letters and punctuation, then shift,
    tone marks, space and the cursor keys."""

    def __init__(self, parent: QWidget | None = None, multiline: bool = False):
        super().__init__(parent)
        self.shift = 0   # 0 off, 1 the next letter, 2 caps lock
        rows = QVBoxLayout(self)
        rows.setSpacing(4)
        rows.setContentsMargins(0, 0, 0, 0)
        layout = [list("1234567890")] + [list(r) for r in QWERTY]
        layout[-1].append(BACKSPACE)
        layout.append(list(VIETNAMESE) + list(PUNCTUATION))
        for keys in layout:
            row = QHBoxLayout()
            row.setSpacing(4)
            for key in keys:
                row.addWidget(self._key(key))
            rows.addLayout(row)
        last = QHBoxLayout()
        last.setSpacing(4)
        last.addWidget(self._key(SHIFT), 1)
        for tone in TONES:
            last.addWidget(self._key(tone), 1)
        last.addWidget(self._key(" ", self.tr("Dấu cách")), 4)
        last.addWidget(self._key(LEFT), 1)
        last.addWidget(self._key(RIGHT), 1)
        if multiline:
            last.addWidget(self._key(ENTER), 1)
        rows.addLayout(last)
        self.keys[SHIFT].setCheckable(True)

    def _press(self, key: str) -> None:
        if key == SHIFT:
            self.shift = {0: 1, 1: 2, 2: 0}[self.shift]
            self._relabel()
            return
        if self.shift and key.isalpha() and key not in TONES:
            key = key.upper()
            if self.shift == 1:
                self.shift = 0
                self._relabel()
        super()._press(key)

    def _relabel(self) -> None:
        self.keys[SHIFT].setChecked(bool(self.shift))
        for text, key in self.keys.items():
            if text.isalpha() and text not in TONES:
                key.setText(text.upper() if self.shift else text)
