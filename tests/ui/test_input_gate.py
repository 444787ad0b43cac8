"""Only the fields for Vietnamese words take the input method (issue 16), in the counter's
real window: what Qt's IBus plugin asks the focused widget (``ImEnabled``) and what the
"Kiểu gõ" switch asks of the window's IBus. With real IBus:
tests/appliance/test_input_method.py."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QInputMethodQueryEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from kiosk.core import staff
from kiosk.ui import vi_typing
from kiosk.ui.input_gate import InputGate
from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.patrons import PatronsScreen

PIN = "482913"


def _staff_area(qtbot, make_runtime, lib):
    staff.set_pin(lib.store, staff.STAFF, PIN)
    runtime = make_runtime(mode="staff")
    runtime.shell.activateWindow()
    area = runtime.shell.screens["staff"]
    runtime.shell.go("staff")
    area.gate.pin.setText(PIN)
    area.gate.submit()
    qtbot.waitUntil(lambda: area.unlocked, timeout=5000)
    return runtime, area


def _screen(area, kind):
    page = next(area.tabs.widget(i) for i in range(area.tabs.count())
                if isinstance(area.tabs.widget(i), kind))
    area.tabs.setCurrentWidget(page)
    return page


def _ask(qtbot, field, queries=Qt.InputMethodQuery.ImEnabled) -> QInputMethodQueryEvent:
    """Focus ``field`` and ask the focus object as Qt does before it hands keys to IBus."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=3000)
    query = QInputMethodQueryEvent(queries)
    QApplication.sendEvent(QApplication.focusObject(), query)
    return query


def _takes_input_method(qtbot, field) -> bool:
    return bool(_ask(qtbot, field).value(Qt.InputMethodQuery.ImEnabled))


def test_code_fields_refuse_the_input_method_and_vietnamese_fields_take_it(
        qtbot, make_runtime, lib):
    runtime, area = _staff_area(qtbot, make_runtime, lib)
    circulation = _screen(area, CirculationScreen)
    circulation.card.setText("TN-PHUTHO-0001")
    answer = _ask(qtbot, circulation.card,
                  Qt.InputMethodQuery.ImEnabled | Qt.InputMethodQuery.ImSurroundingText)
    # Only ImEnabled is refused; the field still answers the rest itself.
    assert answer.value(Qt.InputMethodQuery.ImEnabled) is False
    assert answer.value(Qt.InputMethodQuery.ImSurroundingText) == "TN-PHUTHO-0001"
    assert not _takes_input_method(qtbot, circulation.barcode)
    patrons = _screen(area, PatronsScreen)
    patrons.new_button.click()
    form = patrons.form
    for field in (form.name, form.address, form.commune):
        assert vi_typing.attached(field)
        assert _takes_input_method(qtbot, field), field
    for field in (form.phone, form.birth_year, patrons.query):
        assert not _takes_input_method(qtbot, field), field.placeholderText()
    catalogue = _screen(area, CataloguingScreen)
    assert _takes_input_method(qtbot, catalogue.title)
    assert not _takes_input_method(qtbot, catalogue.isbn)
    # Without the window's gate, the same card field would let Telex in.
    gate = next(step.__self__ for step in runtime.cleanups
                if isinstance(getattr(step, "__self__", None), InputGate))
    runtime.cleanups.remove(gate.remove)
    gate.remove()
    assert _takes_input_method(qtbot, circulation.card)


class Recording:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, method, environ):
        self.calls.append((method, dict(environ)))


def test_the_typing_switch_turns_the_windows_ibus_but_not_when_it_only_shows_the_setting(
        qtbot):
    env = {"IBUS_ADDRESS_FILE": "/run/user/900/kiosk-ibus/bus-address", "PATH": "/usr/bin"}
    recording = Recording()
    ime = vi_typing.InputMethodSwitch(env, switch=recording)
    settings = {"staff_typing": "telex"}
    switch = vi_typing.TypingSwitch(settings, ime=ime)
    qtbot.addWidget(switch)
    assert ime.wait(5) and recording.calls == []
    qtbot.mouseClick(switch.buttons["vni"], Qt.MouseButton.LeftButton)
    assert ime.wait(5)
    assert settings["staff_typing"] == "vni" and recording.calls == [("vni", env)]
    # A window without an IBus started for it has nothing to switch.
    bare = Recording()
    alone = vi_typing.TypingSwitch({}, ime=vi_typing.InputMethodSwitch({}, switch=bare))
    qtbot.addWidget(alone)
    qtbot.mouseClick(alone.buttons["off"], Qt.MouseButton.LeftButton)
    assert alone.ime.wait(5) and bare.calls == []


def test_a_switch_ibus_refuses_is_logged_and_the_apps_own_typing_goes_on(
        qtbot, tmp_path, caplog):
    foreign = tmp_path / "ibus" / "bus" / "0123-unix-0"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("IBUS_ADDRESS=unix:path=/tmp/elsewhere\nIBUS_DAEMON_PID=1\n")
    ime = vi_typing.InputMethodSwitch({"IBUS_ADDRESS_FILE": str(foreign), "PATH": "/usr/bin"})
    settings = {"staff_typing": "telex"}
    switch = vi_typing.TypingSwitch(settings, ime=ime)
    qtbot.addWidget(switch)
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.vi_typing"):
        qtbot.mouseClick(switch.buttons["vni"], Qt.MouseButton.LeftButton)
        assert ime.wait(10)
    assert "not switched to vni" in caplog.text
    assert switch.buttons["vni"].isChecked() and settings["staff_typing"] == "vni"


def test_a_pre_edit_left_behind_at_focus_out_does_not_stop_the_apps_own_telex(qtbot):
    """IBus switched off while a word was still being composed: the field's next keys come
    as key presses, and the app's own Telex composes them."""
    box = QWidget()
    column = QVBoxLayout(box)
    name, other = QLineEdit(), QLineEdit()
    column.addWidget(name)
    column.addWidget(other)
    qtbot.addWidget(box)
    vi_typing.attach({"staff_typing": "telex"}, name)
    box.show()
    box.activateWindow()
    name.setFocus()
    qtbot.waitUntil(name.hasFocus, timeout=3000)
    QApplication.sendEvent(name, QInputMethodEvent("Nguy", []))
    other.setFocus()
    qtbot.waitUntil(other.hasFocus, timeout=3000)
    name.setFocus()
    qtbot.waitUntil(name.hasFocus, timeout=3000)
    QTest.keyClicks(name, "Vawn")
    assert name.text() == "Văn"
