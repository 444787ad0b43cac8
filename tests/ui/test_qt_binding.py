"""The Qt binding in use keeps Python's reference counts: a window that calls Qt thousands
of times an hour must not free ``None`` (PySide6 6.12.0 on Python 3.11 did: the kiosk died
with "Fatal Python error: none_dealloc" after a few dozen searches)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel


def test_calls_that_return_nothing_should_not_drop_references_to_none(qapp):
    label, timer = QLabel(), QTimer()
    calls = 300  # few enough that a leaking binding fails here rather than crashing
    before = sys.getrefcount(None)
    for n in range(calls):
        label.setText(str(n))
        label.show()
        timer.start(60_000)
        QCoreApplication.processEvents()
    lost = before - sys.getrefcount(None)
    timer.stop()
    # Other code may take or drop a few references meanwhile; the bug drops one per call.
    assert lost < calls // 6, f"{lost} references to None lost in {4 * calls} Qt calls"
