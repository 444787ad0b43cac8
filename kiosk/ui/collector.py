"""Cyclic garbage collection on the GUI thread only.

CPython runs its cyclic collector in whichever thread crosses an allocation threshold. When
that is the database worker (an import allocating records) and the garbage holds a Qt
wrapper left by a closed screen, the C++ object is destroyed off the GUI thread and the
process crashes (seen as a segfault inside a MARC import). Anki met the same and collects
on the main thread; so do we: automatic collection is off while the window runs, and a timer
on the GUI thread applies CPython's own generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = False
        self.collections = 0

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose count has passed its threshold, as the
        automatic collector would; None when nothing is due."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = None
        for generation in range(3):
            if thresholds[generation] and counts[generation] >= thresholds[generation]:
                due = generation
        if due is None:
            return None
        gc.collect(due)
        self.collections += 1
        return due
