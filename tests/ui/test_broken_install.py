"""A staff or technician package that fails to import is a broken install, shown as one."""

from __future__ import annotations

import logging
import sys


def test_a_technician_package_that_fails_to_import_is_shown_and_logged_as_an_error(
        qtbot, make_runtime, monkeypatch, caplog):
    from kiosk.ui.staff_area import ProtectedArea

    shell = make_runtime().shell
    monkeypatch.setitem(sys.modules, "kiosk.ui.technician", None)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.staff_area"):
        area = ProtectedArea(shell.ctx, shell, "technician")
    qtbot.addWidget(area)
    texts = [w.text() for w in area.findChildren(type(shell.screens["attract"].name))]
    assert any(t.startswith("Lỗi cài đặt phần mềm") and "kiosk.ui.technician" in t for t in texts)
    assert not any("chưa có trong phiên bản" in t for t in texts)
    assert area.gate is None
    assert [r.levelno for r in caplog.records if "installation is broken" in r.getMessage()] == \
        [logging.ERROR]
