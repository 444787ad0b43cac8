"""Helpers for driving the kiosk window in tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton


def scan(qtbot, shell, code: str) -> None:
    """Type a code into the demo scanner field and press Enter, as a wedge scanner would."""
    shell.scan_field.setFocus()
    qtbot.keyClicks(shell.scan_field, code)
    qtbot.keyClick(shell.scan_field, Qt.Key.Key_Return)


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def key(widget, text: str) -> QAbstractButton:
    """The on-screen key labelled ``text`` inside ``widget``."""
    for button in widget.findChildren(QAbstractButton):
        if button.text() == text:
            return button
    raise AssertionError(f"no key {text!r}")


def wait_idle(qtbot, runtime, timeout: int = 3000) -> None:
    qtbot.waitUntil(lambda: not runtime.ctx.ops.busy, timeout=timeout)
    QTest.qWait(20)


def visible_texts(widget) -> list[str]:
    """Every text a patron could read in the window: labels, fields, buttons that are shown."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    texts = []
    for kind in (QLabel, QLineEdit, QAbstractButton):
        for child in widget.findChildren(kind):
            if child.isVisibleTo(widget):
                texts.append(child.text())
    return texts


def all_texts(widget) -> list[str]:
    """Every label and field text in the window, shown or not."""
    from PySide6.QtWidgets import QLabel, QLineEdit

    return [child.text() for kind in (QLabel, QLineEdit) for child in widget.findChildren(kind)]
