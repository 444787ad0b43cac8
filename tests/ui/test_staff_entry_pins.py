"""No default PIN, through the real window: what a patron sees behind "Nhân viên", the locked
areas, PINs set with `kiosk staff-pin set`, and a 6-digit patron PIN on the kiosk keypad."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from ui_helpers import all_texts, click, key, visible_texts

from kiosk.core import staff

STAFF_PIN, TECHNICIAN_PIN = "482913", "731950"
PIN_LIKE = re.compile(r"\d{4,}")


def kiosk_cli(db, *args: str, stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args],
                          capture_output=True, text=True, input=stdin, env=env, timeout=60)


def every_text_in(widget) -> list[str]:
    """Shown or hidden: labels, fields, and the hints (placeholders) inside fields."""
    return all_texts(widget) + [f.placeholderText() for f in widget.findChildren(QLineEdit)]


def wait_gate(qtbot, runtime, area):
    qtbot.waitUntil(lambda: area.gate._has_pin is not None and not runtime.ctx.ops.busy,
                    timeout=3000)


def test_a_patron_tapping_nhan_vien_never_sees_a_pin(qtbot, lib, make_runtime):
    runtime = make_runtime()
    shell = runtime.shell
    click(qtbot, shell.staff_button)
    area = shell.screens["staff"]
    wait_gate(qtbot, runtime, area)
    assert shell.current == "staff"
    assert not [t for t in every_text_in(area) if PIN_LIKE.search(t)]
    assert not [t for t in visible_texts(shell) if "0000" in t or PIN_LIKE.search(t)]

    staff.set_pin(lib.store, staff.STAFF, STAFF_PIN)
    click(qtbot, shell.home_button)
    click(qtbot, shell.staff_button)
    wait_gate(qtbot, runtime, area)
    assert not area.gate.locked
    assert not [t for t in every_text_in(area) if STAFF_PIN in t or PIN_LIKE.search(t)]
    assert area.gate.pin.echoMode() == QLineEdit.EchoMode.Password


def test_with_no_pin_set_neither_area_can_be_entered(qtbot, make_runtime):
    runtime = make_runtime()
    shell = runtime.shell
    for name, words in (("staff", "chưa đặt mã PIN nhân viên"),
                        ("technician", "chưa đặt mã PIN kỹ thuật viên")):
        shell.go(name)
        area = shell.screens[name]
        wait_gate(qtbot, runtime, area)
        shown = " ".join(visible_texts(area))
        assert words in shown and "Kỹ thuật viên cần đặt mã" in shown
        assert not area.gate.pin.isVisible() and not area.gate.ok_button.isVisible()
        for guess in ("0000", "1234", "000000"):
            area.gate.pin.setText(guess)
            area.gate.submit()
            area.gate.pin.returnPressed.emit()
            qtbot.waitUntil(lambda: not runtime.ctx.ops.busy, timeout=3000)
        assert not area.unlocked and area.inside is None
        click(qtbot, shell.home_button)


def test_after_kiosk_staff_pin_set_the_pin_opens_only_its_own_area(qtbot, lib, make_runtime):
    runtime = make_runtime()
    shell = runtime.shell
    shell.go("staff")
    area = shell.screens["staff"]
    wait_gate(qtbot, runtime, area)
    assert area.gate.locked

    assert kiosk_cli(lib.store.path, "staff-pin", "set", stdin=STAFF_PIN + "\n").returncode == 0
    assert kiosk_cli(lib.store.path, "staff-pin", "set", "--technician",
                     stdin=TECHNICIAN_PIN + "\n").returncode == 0
    click(qtbot, shell.home_button)
    click(qtbot, shell.staff_button)
    wait_gate(qtbot, runtime, area)
    assert not area.gate.locked and area.gate.pin.isVisible()
    for digit in TECHNICIAN_PIN:
        click(qtbot, key(area.gate.keypad, digit))
    click(qtbot, key(area.gate.keypad, "OK"))
    qtbot.waitUntil(lambda: "Mã PIN không đúng." in visible_texts(area), timeout=3000)
    assert not area.unlocked
    for digit in STAFF_PIN:
        click(qtbot, key(area.gate.keypad, digit))
    click(qtbot, key(area.gate.keypad, "OK"))
    qtbot.waitUntil(lambda: area.unlocked, timeout=3000)
    qtbot.waitUntil(lambda: not runtime.ctx.ops.busy, timeout=5000)
    click(qtbot, shell.home_button)
    assert not area.unlocked

    shell.go("technician")
    technician = shell.screens["technician"]
    wait_gate(qtbot, runtime, technician)
    technician.gate.pin.setText(STAFF_PIN)
    technician.gate.submit()
    qtbot.waitUntil(lambda: "Mã PIN không đúng." in visible_texts(technician), timeout=3000)
    assert not technician.unlocked
    technician.gate.pin.setText(TECHNICIAN_PIN)
    technician.gate.submit()
    qtbot.waitUntil(lambda: technician.unlocked, timeout=3000)


def test_a_six_digit_patron_pin_typed_on_the_kiosk_keypad_signs_in(qtbot, lib, book, make_runtime):
    card = lib.patrons.add("Hồ Thị Sáu", pin="048213")["card_number"]
    runtime = make_runtime()
    shell = runtime.shell
    shell.go("identify", then="borrow")
    identify = shell.screens["identify"]
    identify.card.setText(card)
    qtbot.mouseClick(identify.pin, Qt.MouseButton.LeftButton)
    for digit in "048213":
        click(qtbot, key(identify.keypad, digit))
    assert identify.pin.text() == "048213"
    identify.submit()
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=5000)
    assert shell.session.name == "Hồ Thị Sáu"
    assert not [w.text() for w in shell.findChildren(QLabel) if "048213" in w.text()]
