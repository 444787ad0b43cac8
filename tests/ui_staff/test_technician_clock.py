"""The technician's diagnostics name a wrong machine clock, which stops lending, at once."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.core.clock import FixedClock
from kiosk.ui.technician.diagnostics import DiagnosticsScreen


@pytest.fixture
def clock() -> FixedClock:
    """The device's own clock, as a Pi without its RTC battery boots: 1970."""
    return FixedClock("1970-01-01T07:00:00", machine=True)


def test_diagnostics_warn_that_a_1970_clock_stops_lending_and_clear_once_it_is_set(
        qtbot, ctx, clock, idle, shoot):
    screen = DiagnosticsScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    screen.show()
    assert screen.clock.isVisible() and screen.clock.kind == "error"
    text = screen.clock.text()
    assert text.startswith("Đồng hồ sai, máy không cho mượn và gia hạn: ")
    assert "Đồng hồ máy đang chỉ 01/01/1970 07:00" in text
    assert 'kiosk clock set "YYYY-MM-DD HH:MM"' in text
    shoot(screen, "diagnostics-clock-1970")

    clock.set(dt.datetime(2026, 12, 4, 9, 0))
    screen.refresh()
    idle()
    assert screen.clock.kind == "ok"
    assert screen.clock.text() == "Đồng hồ máy: 04/12/2026 09:00, hợp lý."
