"""The technician's PIN screen: the staff PIN set there, the technician PIN set when none
exists or after the current one, the two never equal, and no PIN ever left on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from kiosk.core import staff
from kiosk.ui.technician import TECHNICIAN_SCREENS, PinsScreen


def fields_are_empty(screen) -> bool:
    return all(not field.text() for field in screen.findChildren(QLineEdit))


def test_the_pin_screen_is_a_technician_tab(qtbot):
    assert PinsScreen in [cls for _, cls in TECHNICIAN_SCREENS]


def test_the_staff_pin_is_set_from_the_technician_screen(qtbot, ctx, lib, idle, shoot):
    screen = PinsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    idle()
    assert screen.staff_state.text() == "chưa đặt: khu vực đang khóa"
    screen.staff_pin.setText("482913")
    screen.staff_pin2.setText("482914")
    screen.staff_button.click()
    idle()
    assert screen.message.kind == "error" and "không khớp" in screen.message.text()
    assert not staff.has_pin(lib.store, staff.STAFF) and fields_are_empty(screen)

    screen.staff_pin.setText("482913")
    screen.staff_pin2.setText("482913")
    screen.staff_button.click()
    idle()
    assert screen.message.kind == "ok" and screen.staff_state.text() == "đã đặt"
    assert staff.verify(lib.store, staff.STAFF, "482913") and fields_are_empty(screen)
    assert not staff.has_pin(lib.store, staff.TECHNICIAN)
    shoot(screen, "technician_pins")


def test_the_technician_pin_needs_the_current_one_once_it_exists(qtbot, ctx, lib, idle):
    staff.set_pin(lib.store, staff.STAFF, "482913")
    screen = PinsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    idle()
    assert not screen.current.isVisible()
    screen.technician_pin.setText("482913")
    screen.technician_pin2.setText("482913")
    screen.technician_button.click()
    idle()
    assert screen.message.kind == "error" and "phải khác nhau" in screen.message.text()
    assert not staff.has_pin(lib.store, staff.TECHNICIAN)

    screen.technician_pin.setText("731950")
    screen.technician_pin2.setText("731950")
    screen.technician_button.click()
    idle()
    assert screen.message.kind == "ok" and staff.verify(lib.store, staff.TECHNICIAN, "731950")
    assert screen.current.isVisible() and screen.technician_state.text() == "đã đặt"

    screen.current.setText("000000")
    screen.technician_pin.setText("111222")
    screen.technician_pin2.setText("111222")
    screen.technician_button.click()
    idle()
    assert screen.message.kind == "error"
    assert staff.verify(lib.store, staff.TECHNICIAN, "731950") and fields_are_empty(screen)

    screen.current.setText("731950")
    screen.technician_pin.setText("111222")
    screen.technician_pin2.setText("111222")
    screen.technician_button.click()
    idle()
    assert screen.message.kind == "ok"
    assert staff.verify(lib.store, staff.TECHNICIAN, "111222")
    assert staff.verify(lib.store, staff.STAFF, "482913")
