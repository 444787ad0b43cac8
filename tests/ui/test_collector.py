"""Qt garbage is freed on the GUI thread even when a worker thread does the allocating."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from kiosk.ui.collector import GuiThreadCollector


class _Screen(QObject):
    """A closed screen caught in a reference cycle; notes the thread that frees it."""

    freed_in: list[str] = []

    def __init__(self):
        super().__init__()
        self.cycle = self

    def __del__(self):
        _Screen.freed_in.append(threading.current_thread().name)


def _allocate_cycles(count: int) -> None:
    for _ in range(count):
        node: list = []
        node.append(node)


def test_garbage_left_by_a_screen_is_collected_on_the_gui_thread_not_in_the_worker(qtbot):
    gc.enable()
    collector = GuiThreadCollector(tick_ms=20)
    collector.start()
    try:
        _Screen.freed_in.clear()
        _Screen()
        worker = threading.Thread(target=_allocate_cycles, args=(50_000,), name="library-db")
        worker.start()
        worker.join(timeout=30)
        assert _Screen.freed_in == [], "a collection ran in the worker thread"
        qtbot.waitUntil(lambda: bool(_Screen.freed_in), timeout=5000)
        assert _Screen.freed_in == [threading.main_thread().name]
        assert collector.collections >= 1
    finally:
        collector.stop()
    assert gc.isenabled(), "stopping gives the interpreter its automatic collection back"
