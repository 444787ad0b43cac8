"""Catching wedge scans inside the Qt UI, for scanners that can only be a keyboard.

An application-wide event filter feeds key presses to `KeystrokeScanDetector`. Keys that might be
a scan are held back; a finished scan is swallowed and announced through `scanned(str)`, while held
keys that turn out to be typing are re-sent to the widget they were meant for, so people can still
type into search boxes. With an input method (Telex) active, key presses may arrive as composed
text instead; prefer the evdev reader or serial mode there. This module is the only scanner code
that imports Qt.

The detector judges keys by their own timestamps, but the timer that gives up on a scan runs on
the wall clock, and a key reaches the window some time after the keyboard stamped it: later
through the input method's round trip (IBus, even with its plain engine, when the focused field
takes it), later still on a busy CPU. A timer that fires while the next key is still on its way
splits a scan: "TN-BARIA000001" became typed "TN-" and a scan "BARIA000001" when IBus stalled
(measured). So the timer waits `SETTLE` past the scan window, plus how late the last key came
(`Lateness`): keys that come later and later, or a sudden delay of up to 40 ms, no longer split
a scan (a stall of 30 ms in IBus did, 45 ms still does).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from hardware.readers import mask
from hardware.scanners.wedge import ENTER, TAB, KeystrokeScanDetector, Verdict, WedgeSettings

logger = logging.getLogger(__name__)

# Past the scan window, how long the timer waits for a key that is on its way (module docstring).
SETTLE = 0.030
# Later than this is not a late key but another clock (X's 32-bit milliseconds wrap every 49 days).
MAX_LATENESS = 1.0

_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock,
})
_NAMED_KEYS = {
    Qt.Key.Key_Return: ENTER, Qt.Key.Key_Enter: ENTER, Qt.Key.Key_Tab: TAB,
    Qt.Key.Key_Backspace: "Backspace", Qt.Key.Key_Escape: "Escape",
}


def key_name(event: QKeyEvent) -> str | None:
    """The detector's name for a key press; None for bare modifiers, which the detector ignores."""
    key = Qt.Key(event.key())
    if key in _MODIFIER_KEYS:
        return None
    if key in _NAMED_KEYS:
        return _NAMED_KEYS[key]
    text = event.text()
    if len(text) == 1 and text.isprintable():
        return text
    return f"Key_{int(key)}"


class Lateness:
    """How much later than usual each key reaches the window, in seconds.

    A key's stamp is the keyboard's clock (the X server's or the compositor's milliseconds); the
    smallest receipt-minus-stamp over the last `window` keys counts as on time, so the clocks'
    origins do not matter.
    """

    def __init__(self, window: int = 64, clock: Callable[[], float] = time.monotonic) -> None:
        self._gaps: deque[float] = deque(maxlen=window)
        self._clock = clock

    def of(self, stamp: float) -> float:
        gap = self._clock() - stamp
        if self._gaps and abs(gap - min(self._gaps)) > MAX_LATENESS:
            self._gaps.clear()
        self._gaps.append(gap)
        return gap - min(self._gaps)


class WedgeScanFilter(QObject):
    """Install with `QApplication.instance().installEventFilter(filter)`."""

    scanned = Signal(str)

    def __init__(self, settings: WedgeSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._detector = KeystrokeScanDetector(settings or WedgeSettings())
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._replaying = False
        self._last_seen: tuple[int, int, str] | None = None
        self._last_target: QWidget | None = None
        self._lateness = Lateness()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        name = key_name(event)
        if name is None:
            return False
        identity = (int(event.timestamp()), int(event.key()), event.text())
        if self._is_propagation(identity, watched):
            return False
        stamp = event.timestamp() / 1000.0
        late = self._lateness.of(stamp)
        verdict = self._detector.feed(name, stamp)
        self._apply(verdict)
        if verdict.hold and not verdict.scans:
            self._held.append((watched, self._copy(event)))
        self._arm_timer(late)
        self._last_seen, self._last_target = identity, watched
        return verdict.hold

    def _is_propagation(self, identity: tuple[int, int, str], watched: QWidget) -> bool:
        """An unhandled key press travels on to the parent widgets; feed it to the detector once."""
        last = self._last_target
        return (identity == self._last_seen and last is not None and shiboken6.isValid(last)
                and watched.isAncestorOf(last))

    def _apply(self, verdict: Verdict) -> None:
        released, self._held = self._held[: len(verdict.release)], self._held[len(verdict.release) :]
        self._replay(released)
        if verdict.scans:
            self._held.clear()
        for code in verdict.scans:
            logger.debug("wedge scan %s", mask(code))
            self.scanned.emit(code)

    def _on_timeout(self) -> None:
        deadline = self._detector.deadline()
        if deadline is not None:
            self._apply(self._detector.flush(deadline + 0.001))

    def _arm_timer(self, late: float) -> None:
        if self._detector.pending:
            wait = self._detector.settings.max_interval + SETTLE + late
            self._timer.start(int(wait * 1000))
        else:
            self._timer.stop()

    def _replay(self, events: list[tuple[QObject, QKeyEvent]]) -> None:
        self._replaying = True
        try:
            for receiver, event in events:
                if shiboken6.isValid(receiver):
                    QCoreApplication.sendEvent(receiver, event)
        finally:
            self._replaying = False

    @staticmethod
    def _copy(event: QKeyEvent) -> QKeyEvent:
        copy = QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text(),
                         event.isAutoRepeat(), event.count())
        copy.setTimestamp(event.timestamp())
        return copy
