"""Screen-reader access at the counter (issue 16), as the patron screens have it: every
control of the staff and technician PIN gates and of the technician screens is named in
Vietnamese (no symbol read out), every PIN field says what to type, and Tab reaches the gate's
controls."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit

from kiosk.core import staff
from kiosk.ui.staff.login import StaffLogin
from kiosk.ui.staff.patron_form import PatronForm
from kiosk.ui.technician import TECHNICIAN_SCREENS
from kiosk.ui.technician.pins import PinsScreen


def _name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def _controls(root) -> list:
    """What a librarian can operate; a table's own select-all corner (Qt's, unnamed, never
    focused by Tab) is left out."""
    found = root.findChildren(QAbstractButton) + root.findChildren(QLineEdit)
    found += root.findChildren(QPlainTextEdit)
    return [w for w in found if w.isVisible() and w.isEnabled()
            and w.metaObject().className() != "QTableCornerButton"]


def _assert_named(controls, where: str) -> None:
    assert controls, where
    for widget in controls:
        spoken = _name(widget)
        assert spoken.strip(), (where, widget.metaObject().className())
        assert not any(unicodedata.category(c) in ("So", "Sm") for c in spoken), (where, spoken)


def _shown(qtbot, widget, idle):
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    idle()
    QApplication.processEvents()
    return widget


@pytest.mark.parametrize(("area", "pin_name"), [(staff.STAFF, "Mã PIN nhân viên"),
                                                (staff.TECHNICIAN, "Mã PIN kỹ thuật viên")])
def test_the_pin_gates_are_named_described_and_reached_by_tab(qtbot, ctx, lib, idle, area,
                                                              pin_name):
    staff.set_pin(lib.store, area, "482913" if area == staff.STAFF else "731950")
    gate = _shown(qtbot, StaffLogin(ctx, area=area), idle)
    controls = _controls(gate)
    _assert_named(controls, area)
    assert _name(gate.pin) == pin_name
    assert "chữ số" in gate.pin.accessibleDescription()
    keypad = {button.text(): button for button in gate.keypad.findChildren(QAbstractButton)}
    assert _name(keypad["⌫"]) == "Xóa lùi" and _name(keypad["OK"]) == "Xác nhận"
    gate.pin.setFocus(Qt.FocusReason.TabFocusReason)
    reached = set()
    for _ in range(2 * len(controls) + 2):
        reached.add(QApplication.focusWidget())
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert [_name(w) for w in controls if w not in reached] == []


def test_every_technician_screen_names_its_controls(qtbot, ctx, lib, idle):
    staff.set_pin(lib.store, staff.TECHNICIAN, "731950")
    for _title, cls in TECHNICIAN_SCREENS:
        _assert_named(_controls(_shown(qtbot, cls(ctx), idle)), cls.__name__)


def test_the_technician_pin_fields_say_which_pin_they_take(qtbot, ctx, lib, idle):
    staff.set_pin(lib.store, staff.TECHNICIAN, "731950")
    screen = _shown(qtbot, PinsScreen(ctx), idle)
    fields = [screen.staff_pin, screen.staff_pin2, screen.current, screen.technician_pin,
              screen.technician_pin2]
    assert [_name(f) for f in fields] == [
        "Mã PIN nhân viên mới", "Nhập lại mã PIN nhân viên mới", "Mã PIN kỹ thuật viên hiện tại",
        "Mã PIN kỹ thuật viên mới", "Nhập lại mã PIN kỹ thuật viên mới"]
    assert all(f.accessibleDescription() for f in fields)
    assert all(f.echoMode() == QLineEdit.EchoMode.Password for f in fields)


def test_the_patron_pin_fields_are_named_for_a_screen_reader(qtbot):
    form = PatronForm()
    qtbot.addWidget(form)
    assert (_name(form.pin), _name(form.pin2)) == ("Mã PIN của bạn đọc",
                                                   "Nhập lại mã PIN của bạn đọc")
    assert "để trống" in form.pin.accessibleDescription() and form.pin2.accessibleDescription()
