"""A patron at a kiosk whose clock went wrong is sent to the desk, not shown a 1970 due date."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import scan, visible_texts

from kiosk.core.clock import FixedClock

DESK = "Máy này tạm thời chưa cho mượn sách được. Vui lòng mang sách đến quầy thủ thư."


@pytest.fixture
def clock() -> FixedClock:
    """The kiosk's own clock (the one the sanity checks judge), right at first."""
    return FixedClock("2026-12-04T09:00:00", machine=True)


def test_a_kiosk_whose_clock_fell_back_to_1970_sends_the_patron_to_the_desk(
        qtbot, make_runtime, lib, stock, clock):
    shell = make_runtime().shell
    patron = stock["patron"]
    qtbot.waitUntil(lambda: shell.current == "attract")
    clock.set(dt.datetime(1970, 1, 1, 7, 0))          # power cut, no RTC battery, no network

    scan(qtbot, shell, patron["card_number"])
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=3000)
    borrow = shell.screens["borrow"]
    scan(qtbot, shell, "PT000001")
    qtbot.waitUntil(lambda: len(borrow.rows.rows) == 1 and
                    borrow.rows.rows[0].detail.property("state") != "pending", timeout=3000)
    row = borrow.rows.rows[0]
    assert (row.detail.text(), row.detail.property("state")) == (f"{DESK} (PT000001)", "error")
    assert f"{DESK} (PT000001)" in visible_texts(shell)
    assert not any("1970" in text for text in visible_texts(shell))
    assert lib.store.scalar("SELECT COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id "
                            "WHERE i.barcode = 'PT000001'") == 0
