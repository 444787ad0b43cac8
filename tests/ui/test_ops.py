"""The window's worker: results that arrive while it closes end quietly."""

from __future__ import annotations

import threading

from kiosk.ui.ops import Ops


def test_a_view_refreshing_from_a_result_delivered_after_shutdown_should_not_raise(qtbot):
    # A staff screen's month list arrived as the window closed and asked for the report:
    # submitting to the stopped executor raised in the Qt event loop (seen in CI-like runs).
    ops = Ops()
    release = threading.Event()
    asked_again = []

    def refresh(_result) -> None:
        asked_again.append(ops.run(lambda: "report"))

    ops.run(lambda: release.wait(5), refresh)
    release.set()
    ops.shutdown()
    qtbot.waitUntil(lambda: bool(asked_again), timeout=5000)
    assert asked_again[0].cancelled()
    assert not ops.busy
    ran = []
    assert ops.run(lambda: ran.append(1)).cancelled() and not ran
