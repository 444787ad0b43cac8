"""Camera scanning in the real window: frames from a video file, decoded off the GUI thread."""

from __future__ import annotations

import cv2
import numpy as np

from hardware import testimages as ti
from hardware.device_config import parse_config
from kiosk import compose, config
from kiosk.ui.app import launch

FPS = 10


def _frame(code: np.ndarray | None) -> np.ndarray:
    frame = np.full((360, 640, 3), 235, np.uint8)
    if code is not None:
        h, w = code.shape
        y, x = (360 - h) // 2, (640 - w) // 2
        frame[y:y + h, x:x + w] = ti.as_bgr(code)
    return frame


def _video(path, *codes: str) -> str:
    frames = [_frame(None)] * 3
    for text in codes:
        frames += [_frame(ti.render_code128(text, scale=2))] * 15 + [_frame(None)] * 12
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (640, 360))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    return str(path)


def _appliance(tmp_path, lib, printer, camera: dict):
    cfg = config.load(environ={"KIOSK_CONFIG": str(tmp_path / "none.toml"),
                               "KIOSK_DB": str(tmp_path / "node.db")})
    devices = parse_config({"scanner": {"kind": "camera"}, "card_reader": {"kind": "none"},
                            "camera": camera, "hotplug": False,
                            "printer": {"uri": printer.uri, "paper_width_mm": 80}}, environ={})
    return compose.build(cfg, devices_config=devices, library=lib, cache_dir=tmp_path)


def test_a_card_then_a_book_held_to_the_camera_should_lend_the_book_once(
        qtbot, qapp, lib, stock, tmp_path, printer):
    card = stock["patron"]["card_number"]
    video = _video(tmp_path / "camera.avi", card, "PT000001")
    appliance = _appliance(tmp_path, lib, printer, {"folder": video})
    runtime = launch(appliance, environ={})
    try:
        shell = runtime.shell
        borrow = shell.screens["borrow"]
        qtbot.waitUntil(lambda: shell.current == "borrow", timeout=20000)
        assert shell.session.name == stock["patron"]["name"]
        qtbot.waitUntil(lambda: [loan.barcode for loan in borrow.loans] == ["PT000001"],
                        timeout=20000)
        assert borrow.camera.isVisible()
        qtbot.waitUntil(lambda: borrow.camera.frames_shown > 0, timeout=5000)  # refreshed on a timer
        camera = appliance.devices.camera
        qtbot.waitUntil(lambda: camera.status().detail.startswith("end of"), timeout=20000)
        qapp.processEvents()
        assert [loan.barcode for loan in borrow.loans] == ["PT000001"]
        assert appliance.print_queue.printer.paper_mm == 80
    finally:
        runtime.shutdown()


def test_a_camera_that_cannot_be_opened_is_named_on_the_technician_screen(
        qtbot, qapp, lib, tmp_path, printer):
    from kiosk.ui.technician import DiagnosticsScreen

    appliance = _appliance(tmp_path, lib, printer, {"index": 63})
    runtime = launch(appliance, environ={}, show=False)
    try:
        diagnostics = DiagnosticsScreen(runtime.shell.ctx)
        qtbot.addWidget(diagnostics)
        camera = appliance.devices.camera
        qtbot.waitUntil(lambda: camera.status().state.value == "disconnected", timeout=5000)
        diagnostics.refresh()
        table = diagnostics.devices_table
        rows = [[table.item(r, c).text() for c in range(table.columnCount())]
                for r in range(table.rowCount())]
        assert ["Máy quét mã vạch", "camera:63", "Mất kết nối",
                "không mở được camera:63: cannot open opencv:63"] in rows
        assert not diagnostics.camera.isHidden()
    finally:
        runtime.shutdown()
