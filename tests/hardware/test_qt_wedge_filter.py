import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from hardware.scanners.qt_filter import Lateness, WedgeScanFilter
from hardware.scanners.wedge import WedgeSettings

KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}


@pytest.fixture
def app():
    return QApplication.instance() or QApplication([])


@pytest.fixture
def form(app):
    window = QWidget()
    layout = QVBoxLayout(window)
    field = QLineEdit()
    layout.addWidget(field)
    window.show()
    field.setFocus()
    wedge = WedgeScanFilter(WedgeSettings(max_interval=0.020))
    scans, returns = [], []
    wedge.scanned.connect(scans.append)
    field.returnPressed.connect(lambda: returns.append(field.text()))
    app.installEventFilter(wedge)
    yield field, scans, returns
    app.removeEventFilter(wedge)
    window.close()
    window.deleteLater()
    QTest.qWait(1)


def type_keys(widget, text, start_ms, interval_ms):
    """Deliver key presses and releases with the timestamps a real keyboard would give them."""
    stamp = start_ms
    for char in text:
        key = KEYS.get(char) or Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            event.setTimestamp(stamp)
            QApplication.sendEvent(widget, event)
        stamp += interval_ms
    return stamp


def test_a_scan_is_announced_and_never_reaches_the_focused_field(form):
    field, scans, returns = form
    type_keys(field, "9786041234567\r", 10_000, 8)
    QTest.qWait(60)
    assert scans == ["9786041234567"]
    assert field.text() == ""
    assert returns == []


def test_typing_reaches_the_field_unchanged_including_enter(form):
    field, scans, returns = form
    type_keys(field, "sach\r", 20_000, 120)
    QTest.qWait(60)
    assert scans == []
    assert field.text() == "sach"
    assert returns == ["sach"]


def test_typing_then_a_scan_keeps_the_typed_text_and_reports_the_scan(form):
    field, scans, returns = form
    end = type_keys(field, "ab", 30_000, 150)
    QTest.qWait(60)
    type_keys(field, "0001234567\r", end + 500, 7)
    QTest.qWait(60)
    assert field.text() == "ab"
    assert scans == ["0001234567"]
    assert returns == []


def test_the_last_typed_key_is_released_by_the_timer_in_a_running_event_loop(form):
    field, scans, _ = form
    type_keys(field, "x", 40_000, 0)
    assert field.text() == ""
    QTest.qWait(80)
    assert field.text() == "x"
    assert scans == []


def deliver(widget, text, lateness_ms=(0,), spacing_ms=8):
    """Keys stamped `spacing_ms` apart by the keyboard's clock (monotonic milliseconds, as X and
    Wayland stamp them), key i reaching the window `lateness_ms[i]` (or the last one given)
    after its stamp."""
    start = time.monotonic() * 1000 + 5
    for index, char in enumerate(text):
        stamp = start + spacing_ms * index
        arrival = (stamp + lateness_ms[min(index, len(lateness_ms) - 1)]) / 1000
        while (left := arrival - time.monotonic()) > 0:
            QTest.qWait(max(1, int(left * 1000)))
        type_keys(widget, char, int(stamp), 0)


def test_a_scan_whose_keys_reach_the_window_late_is_still_one_scan(form):
    # The timer runs on the wall clock: a sudden 25 ms delay after three prompt keys, then keys
    # later and later (an input method's round trip on a busy CPU) split the scan before.
    field, scans, returns = form
    deliver(field, "TN-BARIA000001\r", [0, 0, 0, 25, 25, 50, 75, 100, 125, 150, 175])
    QTest.qWait(400)
    assert scans == ["TN-BARIA000001"]
    assert field.text() == ""
    assert returns == []


def test_a_late_scan_after_typing_leaves_the_typed_text_alone(form):
    field, scans, _ = form
    deliver(field, "ab", spacing_ms=150)
    QTest.qWait(120)
    assert field.text() == "ab"
    deliver(field, "0001234567\r", [0, 25, 50, 75])
    QTest.qWait(400)
    assert (field.text(), scans) == ("ab", ["0001234567"])

def test_lateness_counts_from_the_keys_own_clock_and_forgets_a_clock_that_jumps():
    now = [100.0]
    lateness = Lateness(window=4, clock=lambda: now[0])
    assert lateness.of(5.000) == 0
    now[0] += 0.008
    assert lateness.of(5.008) == 0
    now[0] += 0.060
    assert lateness.of(5.016) == pytest.approx(0.052)
    # X's millisecond stamps wrap: a key 49 days "earlier" is a new clock, not a late key.
    now[0] += 0.008
    assert lateness.of(5.024 - 4294967.296) == 0
    now[0] += 0.008
    assert lateness.of(5.032 - 4294967.296) == 0
