"""Idle timeout: after a quiet spell the session ends, with a visible countdown before it.

An application-wide event filter treats any touch, click or key as activity. The watcher
ticks once a second; during the last ``warn_seconds`` it reports the seconds left, and at
zero it emits ``expired`` so the shell can clear the session and show the attract screen.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal

ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
})


class IdleWatcher(QObject):
    countdown = Signal(int)
    expired = Signal()

    def __init__(self, timeout_s: float = 60.0, warn_s: int = 15, parent: QObject | None = None):
        super().__init__(parent)
        self.timeout_ms = int(timeout_s * 1000)
        self.warn_s = warn_s
        self.active = False
        self._since = QElapsedTimer()
        self._since.start()
        self._tick = QTimer(self)
        self._tick.setInterval(min(1000, max(50, self.timeout_ms // 10)))
        self._tick.timeout.connect(self._check)
        self._last_shown: int | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.touch()
        return False

    def touch(self) -> None:
        self._since.restart()
        if self._last_shown is not None:
            self._last_shown = None
            self.countdown.emit(-1)

    def start(self) -> None:
        """Watch from now on (a session or a non-home screen began)."""
        self.active = True
        self.touch()
        self._tick.start()

    def stop(self) -> None:
        self.active = False
        self._tick.stop()
        if self._last_shown is not None:
            self._last_shown = None
            self.countdown.emit(-1)

    def remaining_ms(self) -> int:
        return self.timeout_ms - self._since.elapsed()

    def _check(self) -> None:
        if not self.active:
            return
        left_ms = self.remaining_ms()
        if left_ms <= 0:
            self.stop()
            self.expired.emit()
            return
        seconds = -(-left_ms // 1000)
        if seconds <= self.warn_s and seconds != self._last_shown:
            self._last_shown = seconds
            self.countdown.emit(seconds)
