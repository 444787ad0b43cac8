"""Technician diagnostics and provisioning screens, and the screen lists the shell reads."""

from __future__ import annotations

import kiosk
from hardware.printing.queue import PrintQueue
from kiosk.core import provisioning
from kiosk.store.migrations import current_version
from kiosk.ui.staff import STAFF_SCREENS, StaffLogin
from kiosk.ui.technician import TECHNICIAN_SCREENS
from kiosk.ui.technician.diagnostics import DiagnosticsScreen
from kiosk.ui.technician.provisioning import ProvisioningScreen


class _Device:
    def __init__(self, kind, name, state, detail):
        self.kind, self.name, self.state, self.detail = kind, name, state, detail


class _Devices:
    def status(self):
        return [_Device("scanner", "serial:/dev/ttyACM0", "connected", "")]


class _Printer:
    def send(self, data):
        raise AssertionError("not started in tests")


def test_diagnostics_show_devices_versions_sync_and_scans(qtbot, ctx, lib, tmp_path, idle, shoot):
    ctx.devices = _Devices()
    ctx.print_queue = PrintQueue(tmp_path / "print.db", _Printer())
    screen = DiagnosticsScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    assert screen.devices_table.item(0, 1).text() == "serial:/dev/ttyACM0"
    assert screen.devices_table.item(0, 2).text() == "Đã kết nối"
    text = screen.system.text()
    assert "chưa đồng bộ" in text and kiosk.__version__ in text and f"lược đồ CSDL {current_version(lib.store)}" in text
    assert "Phiếu chờ in: 0" in screen.printer.text()
    screen.test_print()
    idle()
    assert [job.kind for job in ctx.print_queue.jobs()] == ["test_page"]
    screen.show_scan("8935235226272")
    screen.show_scan("0012345678")
    assert "Vừa đọc: 0012345678" in screen.scan_label.text()
    assert "8935235226272" in screen.scan_label.text()
    lib.store.set_meta(provisioning.SYNC_STATUS_KEY, "đồng bộ lúc 09:00")
    screen.refresh()
    idle()
    assert "đồng bộ lúc 09:00" in screen.system.text()
    shoot(screen, "diagnostics")


def test_diagnostics_without_devices_or_printer(qtbot, ctx, idle):
    screen = DiagnosticsScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    assert "chưa cấu hình" in screen.printer.text()
    assert not screen.test_print_button.isEnabled()


def test_provisioning_saves_valid_settings_and_refuses_bad_ones(qtbot, ctx, lib, idle, shoot):
    screen = ProvisioningScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    assert screen.code.text() == "TN-PHUTHO"
    screen.district_url.setText("https://huyen.example.vn")
    screen.peers.setPlainText("http://192.168.1.20:8080\nhttp://quay.local")
    screen.save()
    idle()
    assert screen.message.kind == "ok"
    assert provisioning.load(lib.store).peers == ["http://192.168.1.20:8080", "http://quay.local"]
    screen.peers.setPlainText("192.168.1.30")
    screen.save()
    idle()
    assert screen.message.kind == "error"
    assert provisioning.load(lib.store).peers == ["http://192.168.1.20:8080", "http://quay.local"]
    shoot(screen, "provisioning")


def test_every_listed_screen_builds_and_renders_at_both_sizes(qtbot, ctx, book, patron, idle,
                                                             shoot):
    assert {title for title, _ in STAFF_SCREENS} >= {"Mượn – trả", "Bạn đọc", "Biên mục"}
    for title, cls in [*STAFF_SCREENS, *TECHNICIAN_SCREENS, ("login", StaffLogin)]:
        screen = cls(ctx)
        qtbot.addWidget(screen)
        idle()
        for width, height in ((1024, 600), (1280, 800)):
            path = shoot(screen, f"{cls.__name__}_{width}", (width, height))
            assert path.stat().st_size > 0
            assert screen.minimumSizeHint().height() <= height, title
            assert screen.minimumSizeHint().width() <= width, title
