"""The shell around the screens: accessibility switches, read-aloud, staff area, systemd."""

from __future__ import annotations

import os
import socket
import stat
from contextlib import closing

from PySide6.QtWidgets import QTabWidget
from ui_helpers import click, visible_texts

from kiosk.core import staff
from kiosk.ui.staff import STAFF_SCREENS
from kiosk.ui.systemd import UPGRADE_SECONDS, allow_for_upgrade, notify, watchdog_interval_ms

STAFF_PIN, TECHNICIAN_PIN = "482913", "731950"


def test_large_text_makes_the_screen_text_bigger_and_back(qtbot, make_runtime):
    shell = make_runtime().shell
    hint = shell.screens["identify"].hint
    shell.go("identify")
    before = hint.font().pixelSize()
    click(qtbot, shell.large_button)
    assert hint.font().pixelSize() > before
    assert shell.large_button.isChecked()
    click(qtbot, shell.large_button)
    assert hint.font().pixelSize() == before


def test_high_contrast_turns_the_background_black(qtbot, make_runtime):
    shell = make_runtime().shell
    screen = shell.screens["attract"]
    click(qtbot, shell.contrast_button)
    qtbot.wait(10)
    assert screen.grab().toImage().pixelColor(2, 2).name() == "#000000"
    click(qtbot, shell.contrast_button)
    qtbot.wait(10)
    assert screen.grab().toImage().pixelColor(2, 2).name() != "#000000"


def test_read_aloud_speaks_the_screen_in_vietnamese_with_espeak(qtbot, make_runtime, tmp_path,
                                                                 monkeypatch):
    spoken = tmp_path / "spoken.txt"
    fake = tmp_path / "espeak-ng"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {spoken}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    shell = make_runtime().shell
    qtbot.waitUntil(lambda: bool(shell.screens["attract"].name.text()), timeout=3000)
    assert shell.read_button.isVisible()
    click(qtbot, shell.read_button)
    qtbot.waitUntil(spoken.exists, timeout=3000)
    qtbot.waitUntil(lambda: "Tìm sách" in spoken.read_text(), timeout=3000)
    args = spoken.read_text().splitlines()
    assert args[:2] == ["-v", "vi"]
    assert "Thư viện xã Phú Thọ" in args[-1]


def test_read_aloud_is_hidden_without_espeak(make_runtime, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    shell = make_runtime().shell
    assert not shell.read_button.isVisible()


def test_the_staff_area_opens_with_the_staff_pin_and_locks_on_logout(qtbot, lib, make_runtime):
    staff.set_pin(lib.store, staff.STAFF, STAFF_PIN)
    shell = make_runtime().shell
    click(qtbot, shell.staff_button)
    area = shell.screens["staff"]
    assert shell.current == "staff" and not area.unlocked
    area.gate.pin.setText(STAFF_PIN)
    area.gate.submit()
    qtbot.waitUntil(lambda: area.unlocked, timeout=3000)
    tabs = area.inside.findChild(QTabWidget)
    assert [tabs.tabText(i) for i in range(tabs.count())] == [t for t, _ in STAFF_SCREENS]
    click(qtbot, shell.home_button)
    assert shell.current == "attract" and not area.unlocked


def test_the_staff_area_refuses_a_wrong_pin(qtbot, lib, make_runtime):
    staff.set_pin(lib.store, staff.STAFF, STAFF_PIN)
    shell = make_runtime().shell
    shell.go("staff")
    area = shell.screens["staff"]
    area.gate.pin.setText("1234")
    area.gate.submit()
    qtbot.waitUntil(lambda: "Mã PIN không đúng." in visible_texts(shell), timeout=3000)
    assert not area.unlocked


def _listener(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    return sock


def _received(sock) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except BlockingIOError:
            return messages


def test_systemd_gets_ready_once_the_attract_screen_shows_then_watchdog_pings(
        qtbot, make_runtime, tmp_path):
    path = tmp_path / "notify.sock"
    sock = _listener(path)
    try:
        environ = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "100000"}
        runtime = make_runtime(environ=environ)
        messages: list[str] = []
        qtbot.waitUntil(lambda: messages.extend(_received(sock)) or messages.count("WATCHDOG=1") >= 2,
                        timeout=3000)
        assert messages[0] == "READY=1"
        assert messages.count("READY=1") == 1
        assert runtime.shell.current == "attract" and runtime.shell.isVisible()
        runtime.shutdown()
        assert "STOPPING=1" in _received(sock)
    finally:
        sock.close()


def test_a_start_that_will_upgrade_the_database_asks_systemd_for_the_time_it_needs(tmp_path):
    """Schema 9 rewrites the search index (minutes on a Pi with a large catalogue): a start
    killed at TimeoutStartSec would roll the migration back and begin it again forever."""
    from kiosk.store import migrations
    from kiosk.store.db import Store, connect, open_store

    old_path = tmp_path / "old.db"
    old = Store(connect(old_path), str(old_path))
    migrations.upgrade(old, target=8)
    old.close()
    open_store(tmp_path / "current.db").close()
    sock = _listener(tmp_path / "notify.sock")
    environ = {"NOTIFY_SOCKET": str(tmp_path / "notify.sock")}
    try:
        assert allow_for_upgrade(str(old_path), environ)
        assert _received(sock) == [f"EXTEND_TIMEOUT_USEC={UPGRADE_SECONDS * 1_000_000}"]
        with closing(connect(old_path)) as conn:
            assert migrations.current_version(conn) == 8            # only read
        assert not allow_for_upgrade(str(tmp_path / "current.db"), environ)
        assert not allow_for_upgrade(str(tmp_path / "missing.db"), environ)
        assert not (tmp_path / "missing.db").exists()
        assert _received(sock) == []
    finally:
        sock.close()
    assert not allow_for_upgrade(str(old_path), {})                   # not under systemd


def test_watchdog_interval_is_half_the_systemd_setting_and_only_for_this_process():
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000"}) == 15000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval_ms({}) is None


def test_notify_reaches_an_abstract_socket_and_is_quiet_without_systemd():
    name = f"kiosk-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    try:
        assert notify("READY=1", {"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(100) == b"READY=1"
    finally:
        sock.close()
    assert notify("READY=1", {}) is False


def test_a_card_from_the_serial_reader_thread_reaches_the_screen_on_the_gui_thread(
        qtbot, make_runtime, stock):
    from hardware.device_config import DeviceConfig
    from hardware.devices import DeviceRegistry

    runtime = make_runtime()
    devices = DeviceRegistry(DeviceConfig(hotplug=False), runtime.bridge.code.emit,
                             runtime.bridge.code.emit)
    devices.start()
    try:
        qtbot.waitUntil(lambda: all(r.status().state.value == "connected" for r in devices.readers),
                        timeout=3000)
        devices.fakes["scanner"].scan(stock["patron"]["card_number"])
        qtbot.waitUntil(lambda: runtime.shell.current == "borrow", timeout=3000)
        assert runtime.shell.session.name == stock["patron"]["name"]
    finally:
        devices.stop()


def _unlock(qtbot, shell, area_name: str):
    store = shell.ctx.library.store
    pin = STAFF_PIN if area_name == staff.STAFF else TECHNICIAN_PIN
    if not staff.has_pin(store, area_name):
        staff.set_pin(store, area_name, pin)
    shell.go(area_name)
    area = shell.screens[area_name]
    area.gate.pin.setText(pin)
    area.gate.submit()
    qtbot.waitUntil(lambda: area.unlocked, timeout=3000)
    return area


def test_large_text_and_high_contrast_reach_the_staff_screens(qtbot, make_runtime):
    from kiosk.ui.staff.circulation import CirculationScreen

    shell = make_runtime().shell
    desk = _unlock(qtbot, shell, "staff").inside.findChild(CirculationScreen)
    label = desk.patron_info
    before = label.font().pixelSize()
    click(qtbot, shell.large_button)
    assert label.font().pixelSize() > before
    click(qtbot, shell.large_button)
    assert label.font().pixelSize() == before
    click(qtbot, shell.contrast_button)
    qtbot.wait(10)
    assert desk.grab().toImage().pixelColor(2, 2).name() == "#000000"
    click(qtbot, shell.contrast_button)


def test_the_circulation_desk_fits_the_small_screen_without_scrolling(qtbot, make_runtime):
    shell = make_runtime().shell
    assert (shell.width(), shell.height()) == (1024, 600)
    _unlock(qtbot, shell, "staff")
    qtbot.wait(10)
    assert shell.holders["staff"].verticalScrollBar().maximum() == 0


def test_the_technician_gate_names_the_technician_area(qtbot, make_runtime):
    shell = make_runtime().shell
    shell.go("technician")
    assert shell.screens["technician"].gate.title.text() == "Khu vực kỹ thuật"
    shell.go("staff")
    assert shell.screens["staff"].gate.title.text() == "Khu vực thủ thư"


def test_a_scan_from_the_reader_thread_reaches_the_open_diagnostics_screen(qtbot, make_runtime):
    from hardware.device_config import DeviceConfig
    from hardware.devices import DeviceRegistry
    from kiosk.ui.technician import DiagnosticsScreen

    runtime = make_runtime()
    area = _unlock(qtbot, runtime.shell, "technician")
    diagnostics = area.inside.findChild(DiagnosticsScreen)
    assert area.tabs.currentWidget() is diagnostics
    devices = DeviceRegistry(DeviceConfig(hotplug=False), runtime.bridge.code.emit,
                             runtime.bridge.code.emit)
    devices.start()
    try:
        qtbot.waitUntil(lambda: all(r.status().state.value == "connected" for r in devices.readers),
                        timeout=3000)
        devices.fakes["scanner"].scan("8935235226272")
        qtbot.waitUntil(lambda: "Vừa đọc: 8935235226272" in diagnostics.scan_label.text(),
                        timeout=3000)
    finally:
        devices.stop()
    area.tabs.setCurrentIndex(1)
    runtime.shell.deliver_scan("0012345678")
    assert "0012345678" not in diagnostics.scan_label.text()
    area.tabs.setCurrentIndex(0)
    runtime.shell.deliver_scan("0012345678")
    assert "Vừa đọc: 0012345678" in diagnostics.scan_label.text()


def test_the_printer_state_is_kept_for_the_district_dashboard(qtbot, tmp_path):
    from hardware.printing.fake import FakeNetworkPrinter
    from hardware.printing.printer import ReceiptPrinter
    from hardware.printing.queue import PrintQueue
    from hardware.printing.uri import connection_from_uri
    from kiosk.app import open_library
    from kiosk.core.clock import FixedClock
    from kiosk.core.node import init_library
    from kiosk.ui.app import build_runtime

    lib = open_library(tmp_path / "k.db", FixedClock("2026-11-20T09:00:00"))
    init_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    with FakeNetworkPrinter() as fake:
        queue = PrintQueue(tmp_path / "q.db", ReceiptPrinter(lambda: connection_from_uri(fake.uri), 58))
        fake.model.set_paper("out")
        queue.retry_pending(force=True)
        queue.submit_bytes(b"x")
        queue.retry_pending(force=True)
        runtime = build_runtime(lib, print_queue=queue, show=False, environ={})
        try:
            qtbot.waitUntil(lambda: lib.store.get_meta("printer_status") == "paper_out", timeout=5000)
        finally:
            runtime.shutdown()
