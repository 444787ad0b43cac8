"""Typing Vietnamese at the counter with no input method (issue 16): Telex or VNI keys typed
into the staff forms compose "Nguyễn Thị Hoà", through the real widgets; fields for codes
stay exactly as scanned; the "Kiểu gõ" switch and the ``staff_typing`` setting choose."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTabWidget

from hardware.device_config import parse_config
from kiosk import compose, config
from kiosk.ui import vi_typing
from kiosk.ui.staff import STAFF_SCREENS
from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.patrons import PatronsScreen

NONE = {"scanner": {"kind": "none"}, "card_reader": {"kind": "none"}, "hotplug": False}
# Every staff field that takes Vietnamese words; every other field takes codes or numbers.
VIETNAMESE_FIELDS = {
    "CirculationScreen": {"reason"},
    "PatronsScreen": {"block_reason", "form.name", "form.commune", "form.address"},
    "CataloguingScreen": {"title", "authors", "publisher", "subjects", "location"},
    "ConflictsScreen": {"note"},
    "SettingsScreen": {"reason", "hours"},
}


def _patrons(qtbot, ctx, idle) -> PatronsScreen:
    screen = PatronsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1024, 600)
    screen.show()
    idle()
    screen.new_button.click()
    return screen


def _ctrl(widget, key) -> None:
    QTest.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


def test_telex_typed_into_a_new_patron_is_saved_in_vietnamese(qtbot, ctx, lib, idle):
    screen = _patrons(qtbot, ctx, idle)
    QTest.keyClicks(screen.form.name, "Nguyeenx Thij Hoaf")
    assert screen.form.name.text() == "Nguyễn Thị Hoà"
    QTest.keyClicks(screen.form.address, "Aaps Gio 3, khu phoos Ddoongf")
    assert screen.form.address.text() == "Ấp Gio 3, khu phố Đồng"
    QTest.keyClicks(screen.form.commune.lineEdit(), "Phus Thoj")
    assert screen.form.commune.currentText() == "Phú Thọ"
    QTest.keyClicks(screen.form.phone, "0912345678")
    screen.save_button.click()
    idle()
    assert screen.card_number, screen.message.text()
    saved = lib.patrons.get(screen.card_number)
    assert (saved["name"], saved["address"], saved["commune"]) == (
        "Nguyễn Thị Hoà", "Ấp Gio 3, khu phố Đồng", "Phú Thọ")
    assert saved["phone"] == "0912345678"


def test_the_setting_the_switch_and_vni_reach_the_staff_forms(qtbot, lib, tmp_path, unlock):
    """kiosk.toml says vni: the area's switch shows it and VNI keys compose; "Tắt" types the
    keys as pressed; the choice holds across a lock."""
    from kiosk.ui.app import launch

    (tmp_path / "kiosk.toml").write_text(f'db = "{lib.store.path}"\nstaff_typing = "vni"\n')
    cfg = config.load(environ={"KIOSK_CONFIG": str(tmp_path / "kiosk.toml")})
    appliance = compose.build(cfg, devices_config=parse_config(NONE, environ={}),
                              cache_dir=tmp_path)
    runtime = launch(appliance, environ={}, show=True)
    try:
        area = unlock(runtime.shell)
        switch = area.tabs.cornerWidget()
        assert isinstance(switch, vi_typing.TypingSwitch) and switch.isVisible()
        assert [b.text() for b in switch.buttons.values()] == ["Telex", "VNI", "Tắt"]
        assert switch.buttons["vni"].isChecked()
        patrons = next(area.tabs.widget(i) for i in range(area.tabs.count())
                       if isinstance(area.tabs.widget(i), PatronsScreen))
        area.tabs.setCurrentWidget(patrons)
        patrons.new_button.click()
        QTest.keyClicks(patrons.form.name, "Nguye6n4 Thi5 Hoa2")
        assert patrons.form.name.text() == "Nguyễn Thị Hoà"
        patrons.save_button.click()
        qtbot.waitUntil(lambda: patrons.card_number is not None, timeout=20000)
        assert lib.patrons.get(patrons.card_number)["name"] == "Nguyễn Thị Hoà"

        qtbot.mouseClick(switch.buttons["off"], Qt.MouseButton.LeftButton)
        assert runtime.ctx.settings["staff_typing"] == "off"
        QTest.keyClicks(patrons.form.address, "Nguyeenx 4")
        assert patrons.form.address.text() == "Nguyeenx 4"
        qtbot.mouseClick(switch.buttons["telex"], Qt.MouseButton.LeftButton)
        patrons.form.address.clear()
        QTest.keyClicks(patrons.form.address, "Nguyeenx")
        assert patrons.form.address.text() == "Nguyễn"

        area.lock()
        area = unlock(runtime.shell)
        assert area.tabs.cornerWidget().buttons["telex"].isChecked()
    finally:
        runtime.shutdown()


def test_code_and_number_fields_take_the_keys_exactly_as_sent(qtbot, ctx, idle, lib, book):
    catalogue = CataloguingScreen(ctx)
    circulation = CirculationScreen(ctx)
    for screen in (catalogue, circulation):
        qtbot.addWidget(screen)
    catalogue.isbn.setText(lib.catalogue.get_record(book[0])["isbn13"])
    catalogue.look_up()
    qtbot.waitUntil(catalogue.barcode.isEnabled, timeout=15000)
    for field, keys in ((catalogue.barcode, "DDAAS0001"), (catalogue.isbn, "978604aas"),
                        (catalogue.call_number, "895.922 Tooj"), (circulation.card, "TN-DDAAS"),
                        (circulation.barcode, "PTaas01")):
        field.clear()
        QTest.keyClicks(field, keys)
        QTest.keyClick(field, Qt.Key.Key_Space)
        assert field.text() == keys + " ", field.placeholderText()
    catalogue.title.clear()
    QTest.keyClicks(catalogue.title, "Ddaats ruwngf phuwowng Nam")
    assert catalogue.title.text() == "Đất rừng phương Nam"


def test_only_the_fields_for_vietnamese_words_compose(qtbot, ctx, idle):
    composing: dict[str, set[str]] = {}
    for _title, cls in STAFF_SCREENS:
        screen = cls(ctx)
        qtbot.addWidget(screen)
        holders = [("", screen)] + ([("form.", screen.form)] if hasattr(screen, "form") else [])
        for prefix, holder in holders:
            for name, widget in vars(holder).items():
                if isinstance(widget, (QLineEdit, QComboBox, QPlainTextEdit)) and \
                        vi_typing.attached(widget):
                    composing.setdefault(cls.__name__, set()).add(prefix + name)
                    editor = widget.lineEdit() if isinstance(widget, QComboBox) else widget
                    assert not (isinstance(editor, QLineEdit) and editor.validator()), name
    idle()
    assert composing == VIETNAMESE_FIELDS
    pin = QLineEdit()
    pin.setEchoMode(QLineEdit.EchoMode.Password)
    with pytest.raises(ValueError):
        vi_typing.attach({}, pin)


def test_editing_mid_text_with_a_selection_and_undo(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    vi_typing.attach({}, field)
    field.setText("Nguyen Thi Hoa")
    field.setCursorPosition(5)                      # Nguye|n
    QTest.keyClicks(field, "e")
    assert field.text() == "Nguyên Thi Hoa"
    field.setCursorPosition(6)                      # Nguyên|
    QTest.keyClicks(field, "x")
    field.setCursorPosition(len("Nguyễn Thi"))
    QTest.keyClicks(field, "j")
    field.end(False)
    QTest.keyClicks(field, "f")
    assert field.text() == "Nguyễn Thị Hoà"

    field.setText("Nguyexyz Van")
    field.setSelection(5, 3)                         # Nguye[xyz]
    QTest.keyClicks(field, "e")
    assert (field.text(), field.cursorPosition()) == ("Nguyê Van", 5)

    field.clear()
    QTest.keyClicks(field, "Nguyeenx")
    _ctrl(field, Qt.Key.Key_Z)
    assert field.text() == "Nguyên"
    _ctrl(field, Qt.Key.Key_Y)
    assert field.text() == "Nguyễn"


def test_a_many_line_note_composes_line_by_line(qtbot):
    note = QPlainTextEdit()
    qtbot.addWidget(note)
    vi_typing.attach({"staff_typing": "telex"}, note)
    QTest.keyClicks(note, "Ghi chus: Ross")
    QTest.keyClick(note, Qt.Key.Key_Return)
    QTest.keyClicks(note, "trar sachs muoonj")
    assert note.toPlainText() == "Ghi chú: Ross\ntrả sách muộn"
    _ctrl(note, Qt.Key.Key_Z)
    assert note.toPlainText() != "Ghi chú: Ross\ntrả sách muộn"


def test_an_english_word_keeps_its_letters_when_it_ends(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    vi_typing.attach({}, field)
    QTest.keyClicks(field, "Ross")
    assert field.text() == "Ros"                    # as Unikey shows it while typing
    QTest.keyClicks(field, " Nguyeenx, boss")
    assert field.text() == "Ross Nguyễn, bos"
    QApplication.sendEvent(field, QEvent(QEvent.Type.FocusOut))
    assert field.text() == "Ross Nguyễn, boss"


def test_nothing_is_composed_while_a_real_input_method_composes(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    vi_typing.attach({}, field)
    field.setText("Hoa")
    QApplication.sendEvent(field, QInputMethodEvent("Nguy", []))
    QTest.keyClicks(field, "f")
    assert field.text() == "Hoaf"
    done = QInputMethodEvent()
    done.setCommitString("ễn")
    QApplication.sendEvent(field, done)
    field.clear()
    QTest.keyClicks(field, "Hoaf")
    assert field.text() == "Hoà"


def test_key_chords_and_read_only_fields_are_left_to_qt(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    vi_typing.attach({}, field)
    field.setText("as")
    _ctrl(field, Qt.Key.Key_A)                     # select all, not a tone
    assert field.selectedText() == "as"
    field.setReadOnly(True)
    field.end(False)
    QTest.keyClicks(field, "s")
    assert field.text() == "as"


def test_the_switch_speaks_english_with_the_english_catalogue(qtbot, qapp):
    from PySide6.QtCore import QTranslator

    from kiosk.ui.app import I18N_DIR

    translator = QTranslator()
    assert translator.load(str(I18N_DIR / "kiosk_en.qm"))
    qapp.installTranslator(translator)
    try:
        tabs = QTabWidget()
        qtbot.addWidget(tabs)
        switch = vi_typing.TypingSwitch({"staff_typing": "off"}, tabs)
        assert switch.buttons["off"].text() == "Off" and switch.buttons["off"].isChecked()
        assert switch.caption.text() == "Typing:"
        assert "Telex" in switch.buttons["telex"].accessibleName()
    finally:
        qapp.removeTranslator(translator)
