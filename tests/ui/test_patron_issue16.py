"""What a child, an elderly farmer or a low-vision reader meets at the kiosk (issue 16),
through the real widgets on the offscreen platform."""

from __future__ import annotations

import json
import os
import stat

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit, QScroller
from ui_helpers import click, key, scan, visible_texts, wait_idle

from kiosk.core.policy import Rule
from kiosk.ui import theme

SIZES = ((1024, 600), (1280, 800), (1920, 1080))


def _books(lib, count):
    record = lib.catalogue.add_record({"title": "Sổ tay nhà nông", "authors": ["Lê Văn Tám"]})
    barcodes = [f"NN{n:04d}" for n in range(count)]
    for barcode in barcodes:
        lib.catalogue.add_item(record, barcode)
    lib.policy.set_rule("adult", "*", Rule(14, 50, 2))
    lib.policy.set_rule("adult", "book", Rule(14, 50, 2))
    return barcodes


def _signed_in_borrow(qtbot, shell, card):
    scan(qtbot, shell, card)
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=3000)
    return shell.screens["borrow"]


def _shown_in_window(widget, shell) -> bool:
    """The widget's whole box lies inside every scrolling viewport above it and the window."""
    top_left = widget.mapTo(shell, QPoint(0, 0))
    box = widget.rect().translated(top_left)
    parent = widget.parentWidget()
    while parent is not None and parent is not shell:
        if parent.objectName() == "qt_scrollarea_viewport":
            area = parent.rect().translated(parent.mapTo(shell, QPoint(0, 0)))
            if not area.contains(box):
                return False
        parent = parent.parentWidget()
    return shell.rect().contains(box) and widget.isVisible()


@pytest.mark.parametrize("size, large", [(SIZES[0], True), (SIZES[1], False), (SIZES[2], True)])
def test_the_answer_to_the_newest_scan_is_always_in_view(qtbot, make_runtime, lib, patron,
                                                         size, large):
    barcodes = _books(lib, 9)
    shell = make_runtime(size=size).shell
    if large:
        click(qtbot, shell.large_button)
    borrow = _signed_in_borrow(qtbot, shell, patron["card_number"])
    for count, barcode in enumerate(barcodes, start=1):
        scan(qtbot, shell, barcode)
        qtbot.waitUntil(lambda: len(borrow.rows.rows) == count
                        and borrow.rows.rows[-1].detail.property("state") == "ok", timeout=3000)
        QTest.qWait(30)
        newest = borrow.rows.rows[-1]
        assert _shown_in_window(newest.detail, shell), (size, large, count)
        assert newest.detail.text() == "Hạn trả: 04/12/2026"


def test_a_refused_book_shows_its_title_and_what_to_do(qtbot, make_runtime, lib, stock):
    shell = make_runtime().shell
    borrow = _signed_in_borrow(qtbot, shell, stock["patron"]["card_number"])
    sounds = []
    shell.sound.play = lambda name: sounds.append(name) or True
    scan(qtbot, shell, "PT000002")
    scan(qtbot, shell, "XX999")
    qtbot.waitUntil(lambda: all(r.detail.property("state") == "error" for r in borrow.rows.rows)
                    and len(borrow.rows.rows) == 2, timeout=3000)
    on_loan, unknown = borrow.rows.rows
    assert on_loan.title.text() == "Dế Mèn phiêu lưu ký"
    assert on_loan.detail.text() == (
        "Sách này đang được người khác mượn. Vui lòng gặp thủ thư. (PT000002)")
    assert unknown.title.text() == "XX999"
    assert "Vui lòng quét lại hoặc gặp thủ thư" in unknown.detail.text()
    assert sounds == ["refused", "refused"]
    assert not borrow.slip_button.isEnabled()


def test_dragging_a_list_with_a_finger_scrolls_it_and_the_scrollbar_is_finger_wide(
        qtbot, make_runtime, lib, patron):
    barcodes = _books(lib, 12)
    shell = make_runtime(size=SIZES[0]).shell
    borrow = _signed_in_borrow(qtbot, shell, patron["card_number"])
    for barcode in barcodes:
        scan(qtbot, shell, barcode)
    qtbot.waitUntil(lambda: len(borrow.rows.rows) == 12, timeout=3000)
    wait_idle(qtbot, _Runtime(shell))
    bar = borrow.rows.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0        # newest on top, in view
    assert bar.width() >= 48
    viewport = borrow.rows.viewport()
    assert QScroller.hasScroller(viewport)
    assert QScroller.grabbedGesture(viewport) != Qt.GestureType(0)


class _Runtime:
    def __init__(self, shell):
        self.ctx = shell.ctx


def test_a_hold_pressed_before_signing_in_is_placed_after_the_card(qtbot, make_runtime, lib, stock):
    shell = make_runtime().shell
    shell.go("record", record_id=stock["second"])
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: record.hold_button.isEnabled(), timeout=3000)
    click(qtbot, record.hold_button)
    assert shell.current == "identify"
    scan(qtbot, shell, stock["patron"]["card_number"])
    qtbot.waitUntil(lambda: record.message.isVisible(), timeout=3000)
    assert shell.current == "record"
    assert record.message.text().startswith("Đã đặt trước. Thứ tự chờ của bạn: 1.")
    assert record.message.text() in visible_texts(shell)
    assert [h["title"] for h in lib.holds.of_patron(stock["patron"]["card_number"])] == [
        "Kỹ thuật trồng lúa"]


def test_a_request_form_is_completed_on_the_on_screen_keyboard(qtbot, make_runtime, lib, stock):
    shell = make_runtime().shell
    scan(qtbot, shell, stock["patron"]["card_number"])
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=3000)
    shell.go("request", kind="copy", record_id=stock["record"], title="Dế Mèn phiêu lưu ký")
    form = shell.screens["request"]
    keyboard = form.keyboard
    assert not form.send_button.isEnabled()              # nothing typed: nothing to send
    for text in ("1", "2", "-", "2", "0"):
        click(qtbot, key(keyboard, text))
    assert form.pages.text() == "12-20"

    shell.go("request", kind="postal", record_id=stock["record"], title="Dế Mèn phiêu lưu ký")
    assert isinstance(form.address, QPlainTextEdit) and form.address.isVisible()
    form.address.setPlainText("Ap 3, xa Phu Tho")
    cursor = form.address.textCursor()
    cursor.setPosition(len("Ap 3,"))                   # a tap in the middle of the text
    form.address.setTextCursor(cursor)
    click(qtbot, key(keyboard, "↵"))
    click(qtbot, key(keyboard, "⇧"))
    assert key(keyboard, "K").text() == "K"
    for text in ("K", "h", "o", "m"):
        click(qtbot, key(keyboard, text))
    click(qtbot, key(keyboard, "Dấu cách"))
    assert form.address.toPlainText() == "Ap 3,\nKhom  xa Phu Tho"
    click(qtbot, key(keyboard, "t"))
    click(qtbot, key(keyboard, "á"))                    # a tone after a consonant does nothing
    assert "t́" not in form.address.toPlainText()
    click(qtbot, key(keyboard, "⌫"))
    click(qtbot, key(keyboard, "⌫"))
    assert form.address.toPlainText() == "Ap 3,\nKhom xa Phu Tho"
    click(qtbot, key(keyboard, "◀"))
    click(qtbot, key(keyboard, "à"))                    # on the syllable before the cursor
    assert form.address.toPlainText() == "Ap 3,\nKhòm xa Phu Tho"
    click(qtbot, form.send_button)
    qtbot.waitUntil(lambda: form.message.property("state") == "ok", timeout=3000)
    request = lib.requests.list(stock["patron"]["card_number"])[-1]
    details = request["details"]
    details = json.loads(details) if isinstance(details, str) else details
    assert details["address"] == "Ap 3,\nKhòm xa Phu Tho"
    assert not form.send_button.isEnabled()


def test_the_idle_warning_is_whole_and_i_am_still_here_keeps_the_session(
        qtbot, make_runtime, stock):
    runtime = make_runtime(size=SIZES[0], settings={"idle_seconds": 60})
    shell = runtime.shell
    _signed_in_borrow(qtbot, shell, stock["patron"]["card_number"])
    shell.idle.countdown.emit(12)
    label = shell.countdown_label
    assert label.text() == "Tự thoát sau 12 giây"
    assert label.isVisible() and label.width() >= label.fontMetrics().horizontalAdvance(label.text())
    assert _shown_in_window(shell.still_here_button, shell)
    shell.idle._since.restart()
    shell.idle._since = _Elapsed(59_000)
    click(qtbot, shell.still_here_button)
    assert shell.idle.remaining_ms() > 50_000
    assert not shell.idle_bar.isVisible()
    assert shell.session.signed_in


class _Elapsed:
    def __init__(self, ms):
        self.ms = ms

    def elapsed(self):
        return self.ms

    def restart(self):
        self.ms = 0


def test_large_text_and_high_contrast_end_with_the_session_or_follow_the_device(
        qtbot, make_runtime, stock):
    shell = make_runtime().shell
    hint = shell.screens["identify"].hint
    normal = hint.font().pixelSize()
    click(qtbot, shell.large_button)
    click(qtbot, shell.contrast_button)
    shell.logout()
    assert not shell.large_button.isChecked() and not shell.contrast_button.isChecked()
    assert hint.font().pixelSize() == normal
    assert shell.screens["attract"].grab().toImage().pixelColor(2, 2).name() != "#000000"
    device = make_runtime(settings={"idle_seconds": 60, "large_text": True}).shell
    device.logout()
    assert device.large_button.isChecked()
    assert device.screens["identify"].hint.font().pixelSize() > normal


def test_buttons_that_would_do_nothing_are_disabled(qtbot, make_runtime, stock):
    shell = make_runtime().shell
    borrow = _signed_in_borrow(qtbot, shell, stock["patron"]["card_number"])
    assert not borrow.slip_button.isEnabled()
    scan(qtbot, shell, "PT000001")
    qtbot.waitUntil(lambda: borrow.slip_button.isEnabled(), timeout=3000)
    shell.logout()
    assert not borrow.slip_button.isEnabled()
    assert not shell.screens["return"].slip_button.isEnabled()
    assert not shell.screens["record"].hold_button.isEnabled()


def test_a_book_scanned_on_the_attract_screen_offers_return_or_its_record(
        qtbot, make_runtime, lib, stock):
    shell = make_runtime().shell
    attract = shell.screens["attract"]
    scan(qtbot, shell, "PT000002")                       # on loan to the other patron
    qtbot.waitUntil(lambda: attract.item_box.isVisible(), timeout=3000)
    assert shell.current == "attract"
    assert "Dế Mèn phiêu lưu ký" in attract.item_text.text()
    assert not any("Không tìm thấy thẻ" in t for t in visible_texts(shell))
    click(qtbot, attract.item_return_button)
    returns = shell.screens["return"]
    qtbot.waitUntil(lambda: returns.rows.rows and returns.rows.rows[0].detail.property("state") == "ok",
                    timeout=3000)
    assert shell.current == "return"
    assert lib.circulation.loans(stock["other"]["card_number"]) == []
    shell.logout()
    scan(qtbot, shell, "PT000003")
    qtbot.waitUntil(lambda: attract.item_box.isVisible(), timeout=3000)
    assert not attract.item_return_button.isVisible()
    click(qtbot, attract.item_record_button)
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: record.title.text() == "Kỹ thuật trồng lúa", timeout=3000)


def test_scan_sounds_follow_volume_and_quiet_hours_and_fail_silently(tmp_path, monkeypatch):
    import datetime as dt
    import wave

    from kiosk.ui.sound import Sounds

    log = tmp_path / "aplay.log"
    fake = tmp_path / "aplay"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    noon = dt.datetime(2026, 11, 20, 12, 0)
    sounds = Sounds(60, "11:00-13:30", now=lambda: noon, folder=tmp_path / "tones")
    sounds._effect_class = None
    assert not sounds.play("accepted")                   # quiet hours
    sounds.now = lambda: dt.datetime(2026, 11, 20, 9, 0)
    assert sounds.play("accepted") and sounds.play("refused")
    with wave.open(str(sounds.file("refused"))) as tone:
        assert tone.getframerate() == 22050 and tone.getnframes() > 5000
    assert Sounds(0, folder=tmp_path).play("accepted") is False
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    silent = Sounds(60, folder=tmp_path / "tones")
    silent._effect_class = None
    assert silent.play("accepted") is False and "no audio player" in silent.last_error


def test_read_aloud_says_dates_and_numbers_in_words_with_the_southern_voice(
        qtbot, make_runtime, tmp_path, monkeypatch, stock):
    spoken = tmp_path / "spoken.txt"
    fake = tmp_path / "espeak-ng"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--voices=vi" ]; then\n'
        'echo "Pty Language       Age/Gender VoiceName          File                 Other Languages"\n'
        'echo " 5  vi              --/M      Vietnamese_Northern roa/vi"\n'
        'echo " 5  vi-vn-x-south   --/M      Vietnamese_Southern roa/vi-VN-x-south"\n'
        f'exit 0\nfi\nprintf "%s\\n" "$@" > {spoken}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    shell = make_runtime().shell
    borrow = _signed_in_borrow(qtbot, shell, stock["patron"]["card_number"])
    scan(qtbot, shell, "PT000001")
    qtbot.waitUntil(lambda: borrow.rows.rows and borrow.rows.rows[0].detail.property("state") == "ok",
                    timeout=3000)
    click(qtbot, shell.read_button)
    qtbot.waitUntil(lambda: spoken.exists() and "ngày" in spoken.read_text(), timeout=3000)
    args = spoken.read_text().splitlines()
    assert args[:2] == ["-v", "vi-vn-x-south"]
    assert "Hạn trả: ngày bốn tháng mười hai năm hai ngàn không trăm hai mươi sáu" in args[-1]
    assert "04/12" not in args[-1]


def test_numbers_are_read_the_way_vietnamese_says_them():
    from kiosk.ui.speech import number_vi, spoken_vi

    assert number_vi(15) == "mười lăm"
    assert number_vi(21) == "hai mươi mốt"
    assert number_vi(105) == "một trăm lẻ năm"
    assert number_vi(105, south=False) == "một trăm linh năm"
    assert spoken_vi("15/12/2026") == "ngày mười lăm tháng mười hai năm hai ngàn không trăm hai mươi sáu"
    assert spoken_vi("Mở 7:30") == "Mở bảy giờ ba mươi phút"


def test_the_attract_screen_switches_to_english_and_the_next_patron_gets_vietnamese(
        qtbot, make_runtime, stock):
    shell = make_runtime().shell
    attract = shell.screens["attract"]
    click(qtbot, attract.language_buttons["en"])
    attract = shell.screens["attract"]
    assert attract.borrow_button.text() == "Scan your card to borrow"
    assert attract.language_buttons["en"].isChecked()
    assert shell.large_button.text() != "A+ Chữ to"
    click(qtbot, attract.return_button)
    shell.logout()
    assert shell.screens["attract"].borrow_button.text() == "Quét thẻ để mượn sách"
    assert shell.ctx.settings["lang"] == "vi"


def _accessible_name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def test_every_kiosk_field_and_button_is_named_and_reachable_by_tab(qtbot, make_runtime, stock):
    import unicodedata

    shell = make_runtime().shell
    patron_names = ["attract", "identify", "borrow", "return", "account", "record", "request",
                    "goodbye", "viewer"]
    widgets = [shell.findChild(QLineEdit) and shell.scan_field, shell.home_button,
               shell.large_button, shell.contrast_button, shell.read_button,
               shell.still_here_button]
    for name in patron_names:
        screen = shell.screens[name]
        widgets += screen.findChildren(QLineEdit) + screen.findChildren(QPlainTextEdit)
        widgets += screen.findChildren(QAbstractButton)
    assert len(widgets) > 100
    for widget in widgets:
        name = _accessible_name(widget)
        assert name.strip(), widget
        assert not any(unicodedata.category(c) in ("So", "Sm") for c in name), name
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, name
    assert _accessible_name(shell.home_button) == "Màn hình chính"
    assert _accessible_name(shell.contrast_button) == "Tương phản cao"
    assert _accessible_name(key(shell.screens["identify"].keypad, "⌫")) == "Xóa lùi"
    assert _accessible_name(shell.screens["identify"].card) == "Số thẻ bạn đọc"
    assert shell.home_button.accessibleDescription()


@pytest.mark.parametrize("palette", [theme.NORMAL, theme.HIGH_CONTRAST], ids=["normal", "contrast"])
def test_every_colour_pair_in_the_theme_has_enough_contrast(palette):
    used = set()
    for foreground, background, minimum in theme.PAIRS:
        ratio = theme.contrast(getattr(palette, foreground), getattr(palette, background))
        assert ratio >= minimum, (foreground, background, round(ratio, 2))
        used |= {foreground, background}
    assert used == set(theme.Palette.__dataclass_fields__)   # no colour escapes the check
    sheet = theme.stylesheet(False, palette is theme.HIGH_CONTRAST)
    assert f"QPushButton:focus {{ border: 4px solid {palette.focus}; }}" in sheet
