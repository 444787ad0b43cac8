"""Which of the window's fields take the input method (IBus with Unikey).

Only the fields for Vietnamese words (those :func:`kiosk.ui.vi_typing.attach` composes in)
take an input method. Every other focused widget, whatever builds it (card number, barcode,
ISBN, call number, PIN, phone, search boxes, spin boxes, the technician's fields), answers
Qt's ``ImEnabled`` query with False, so Qt's IBus plugin hands its keys straight to the
widget: a keyboard-wedge scan arrives exactly as the scanner typed it, even while Unikey's
Telex is on (``WX-2031-AS`` would otherwise become ``Ữ-2031-Á``).

One rule for the whole window, with no application-wide Python event filter (every event of
every widget through Python is too slow on a Pi): when the focus moves, :class:`InputGate`
puts its filter on the newly focused widget alone, where it only rewrites the answer to
``ImEnabled``, and asks the input method to read that answer again (Qt read it before
announcing the focus change). ``QWidget.setAttribute(WA_InputMethodEnabled, False)`` would
not do: QLineEdit answers ``ImEnabled`` from its read-only state.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from kiosk.ui import vi_typing

_ENABLED = Qt.InputMethodQuery.ImEnabled


class InputGate(QObject):
    """Keeps the input method out of every focused widget but the Vietnamese fields."""

    def __init__(self, app: QGuiApplication):
        super().__init__(app)
        self._app = app
        self._guarded: QWidget | None = None
        app.focusObjectChanged.connect(self._focused)
        self._focused(app.focusObject())

    def _focused(self, focus: QObject | None) -> None:
        previous, self._guarded = self._guarded, None
        if previous is not None and shiboken6.isValid(previous):
            previous.removeEventFilter(self)
        if isinstance(focus, QWidget) and not vi_typing.attached(focus):
            focus.installEventFilter(self)
            self._guarded = focus
        QGuiApplication.inputMethod().update(_ENABLED)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.InputMethodQuery or not event.queries() & _ENABLED:
            return False
        watched.event(event)  # the widget's own answers (cursor, surrounding text...)
        event.setValue(_ENABLED, False)
        return True

    def remove(self) -> None:
        """Stop gating (the window is closing)."""
        self._app.focusObjectChanged.disconnect(self._focused)
        self._focused(None)
        self.deleteLater()
