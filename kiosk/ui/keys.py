"""On-screen input for a touch kiosk: a numeric keypad and a Vietnamese keyboard.

Both type into whichever line edit they are pointed at (``target``), so one keypad serves
the card-number and PIN fields. The Vietnamese keyboard has the QWERTY letters, the seven
Vietnamese letters (ă â đ ê ô ơ ư) and the five tone marks, which combine with the letter
before them; typing without any diacritics works too, since search folds them.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.widgets import button

BACKSPACE = "⌫"
TONES = {"á": "\u0301", "à": "\u0300", "ả": "\u0309", "ã": "\u0303", "ạ": "\u0323"}
QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
VIETNAMESE = "ăâđêôơư"


def type_into(field: QLineEdit, key: str) -> None:
    """Apply one key to ``field``: a character, a tone mark or backspace."""
    text = field.text()
    if key == BACKSPACE:
        field.setText(text[:-1])
    elif key in TONES:
        if text and text[-1].isalpha():
            base = unicodedata.normalize("NFD", text[-1])
            letter = "".join(c for c in base if c not in TONES.values())
            field.setText(text[:-1] + unicodedata.normalize("NFC", letter + TONES[key]))
    else:
        field.setText(text + key)


class _Keys(QWidget):
    pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.target: QLineEdit | None = None

    def _key(self, text: str, label: str | None = None):
        key = button(label or text, "key", lambda: self._press(text))
        key.setObjectName("key")
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
    """Digits and QWERTY rows, a row of Vietnamese letters, then tone marks and space."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        rows = QVBoxLayout(self)
        rows.setSpacing(4)
        rows.setContentsMargins(0, 0, 0, 0)
        layout = [list("1234567890")] + [list(r) for r in QWERTY]
        layout[-1].append(BACKSPACE)
        layout.append(list(VIETNAMESE))
        for keys in layout:
            row = QHBoxLayout()
            row.setSpacing(4)
            for key in keys:
                row.addWidget(self._key(key))
            rows.addLayout(row)
        last = QHBoxLayout()
        last.setSpacing(4)
        for tone in TONES:
            last.addWidget(self._key(tone), 1)
        last.addWidget(self._key(" ", self.tr("Dấu cách")), 5)
        rows.addLayout(last)
