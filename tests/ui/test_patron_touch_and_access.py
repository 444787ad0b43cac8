"""Touch, keyboard and screen-reader access to every patron screen (issue 16), through the
real window on the offscreen platform: a finger drags the lists, Tab reaches every control,
every field and button has a Vietnamese name and every screen can be read aloud."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScroller,
)
from ui_helpers import scan

from kiosk.ui.shell import PATRON_SCREENS
from kiosk.ui.widgets import RowList

# Every patron screen but the page viewer, which needs a document (tests/ui/test_viewer.py).
SCREENS = tuple(name for name in PATRON_SCREENS if name != "viewer")


@pytest.fixture
def shelf(lib, stock):
    """Forty more titles that all answer "so tay", on top of the usual stock."""
    for n in range(40):
        record = lib.catalogue.add_record({"title": f"Sổ tay nhà nông tập {n + 1}",
                                           "authors": ["Lê Văn Tám"]})
        lib.catalogue.add_item(record, f"ST{n:04d}")
    return stock


def _drag(widget, start: QPoint, end: QPoint, steps: int = 10) -> None:
    """A finger (the left button) pressed on ``widget``, moved to ``end`` and lifted, through
    the window system as a real touch screen's synthesised mouse events arrive."""
    window = widget.window()
    handle = window.windowHandle()

    def at(point: QPoint) -> QPoint:
        return widget.mapTo(window, point)

    QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(start))
    for step in range(1, steps + 1):
        QTest.qWait(16)                                  # a finger's pace, ~60 moves a second
        QTest.mouseMove(handle, at(start + (end - start) * step / steps))
    QTest.qWait(16)
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(end))


def _tap(widget, point: QPoint) -> None:
    handle = widget.window().windowHandle()
    at = widget.mapTo(widget.window(), point)
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at, 60)


def _row_in_view(rows: RowList, row) -> bool:
    top = row.mapTo(rows.viewport(), QPoint(0, 0)).y()
    return 0 <= top and top + row.height() <= rows.viewport().height()


def test_a_finger_dragging_the_search_results_moves_them_and_a_tap_still_opens_a_title(
        qtbot, make_runtime, shelf):
    shell = make_runtime(size=(1024, 600)).shell
    shell.go("search")
    search = shell.screens["search"]
    search.query.setText("so tay")
    qtbot.waitUntil(lambda: len(search.results.rows) >= 20, timeout=5000)
    results = search.results
    bar = results.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    assert bar.value() == 0 and _row_in_view(results, results.rows[0])   # opens at the top
    assert bar.width() >= 48                                              # a finger-wide bar
    viewport = results.viewport()
    bottom = QPoint(viewport.width() // 3, viewport.height() - 20)
    _drag(viewport, bottom, QPoint(bottom.x(), 20))
    qtbot.waitUntil(lambda: bar.value() > viewport.height() // 2, timeout=3000)
    qtbot.waitUntil(lambda: QScroller.scroller(viewport).state() == QScroller.State.Inactive,
                    timeout=5000)
    assert not _row_in_view(results, results.rows[0])                     # the list moved
    shown = [row for row in results.rows if _row_in_view(results, row)]
    assert shown
    wanted = shown[0].title.text()
    _tap(viewport, shown[0].mapTo(viewport, QPoint(20, shown[0].height() // 2)))
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: shell.current == "record" and record.title.text() == wanted,
                    timeout=3000)


def test_search_says_how_many_match_and_shows_more_below_without_losing_my_place(
        qtbot, make_runtime, shelf):
    from ui_helpers import click, visible_texts

    shell = make_runtime().shell
    shell.go("search")
    search = shell.screens["search"]
    search.query.setText("so tay")
    qtbot.waitUntil(lambda: len(search.results.rows) == 30, timeout=5000)
    assert "40 kết quả" in visible_texts(shell)             # all that match, not the 30 shown
    assert search.more_button.text() == "Xem thêm (còn 10 kết quả)"
    bar = search.results.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200, timeout=3000)
    bar.setValue(200)                                       # read down the list
    first = [row.title.text() for row in search.results.rows]
    click(qtbot, search.more_button)
    qtbot.waitUntil(lambda: len(search.results.rows) == 40, timeout=5000)
    assert [row.title.text() for row in search.results.rows][:30] == first
    assert bar.value() == 200                               # still where I was reading
    assert not search.more_button.isVisible()
    search.query.setText("so tay nha")                      # a new query starts afresh
    qtbot.waitUntil(lambda: search.more_button.isVisible()
                    and len(search.results.rows) == 30, timeout=5000)
    assert bar.value() == 0


def test_every_patron_list_can_be_dragged_and_has_a_finger_wide_scrollbar(qtbot, make_runtime,
                                                                          stock):
    shell = make_runtime().shell
    scan(qtbot, shell, stock["patron"]["card_number"])
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=3000)
    lists = []
    for name in SCREENS:
        shell.go(name, **({"record_id": stock["record"]} if name == "record" else {}))
        shown = [rows for rows in shell.screens[name].findChildren(RowList) if rows.isVisible()]
        for rows in shown:
            assert QScroller.hasScroller(rows.viewport()), name
            assert rows.verticalScrollBar().sizeHint().width() >= 48 or \
                rows.verticalScrollBar().width() >= 48, name
        lists += shown
    assert len(lists) >= 6      # borrow, return, search, account, record copies, goodbye


def _name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def _interactive(root) -> list:
    found = root.findChildren(QAbstractButton) + root.findChildren(QLineEdit)
    found += root.findChildren(QPlainTextEdit)
    return [w for w in found if w.isVisible() and w.isEnabled()]


def _tab_chain(start, limit: int) -> set:
    """Every widget the focus visits pressing Tab ``limit`` times from ``start``."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    visited = set()
    for _ in range(limit):
        focused = QApplication.focusWidget()
        visited.add(focused)
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    return visited


def _sign_in_and_borrow(qtbot, shell, stock) -> None:
    """A patron scans their card and one book, so every screen has something to show."""
    scan(qtbot, shell, stock["patron"]["card_number"])
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=3000)
    scan(qtbot, shell, "PT000001")
    borrow = shell.screens["borrow"]
    qtbot.waitUntil(lambda: borrow.slip_button.isEnabled(), timeout=3000)


def _visit_every_screen(qtbot, shell, stock):
    """Go to each patron screen in turn and yield its name once its page has loaded."""
    for name in SCREENS:
        args = {"record_id": stock["record"]} if name == "record" else {}
        if name == "request":
            args = {"kind": "postal", "record_id": stock["record"], "title": "Dế Mèn phiêu lưu ký"}
        shell.go(name, **args)
        QTest.qWait(150)
        qtbot.waitUntil(lambda: not shell.ctx.ops.busy, timeout=8000)  # the page has loaded
        yield name


def test_every_control_of_every_patron_screen_is_named_in_vietnamese_and_reached_by_tab(
        qtbot, make_runtime, stock):
    shell = make_runtime().shell
    _sign_in_and_borrow(qtbot, shell, stock)
    checked = 0
    for name in _visit_every_screen(qtbot, shell, stock):
        QApplication.processEvents()
        controls = _interactive(shell)
        assert controls, name
        for widget in controls:
            spoken = _name(widget)
            assert spoken.strip(), (name, widget.metaObject().className(), widget.text()
                                    if hasattr(widget, "text") else "")
            assert not any(unicodedata.category(c) in ("So", "Sm") for c in spoken), (name, spoken)
            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                assert widget.accessibleDescription(), (name, spoken)
        reached = _tab_chain(controls[0], 2 * len(controls) + 5)
        missing = [_name(w) for w in controls if w not in reached]
        assert not missing, (name, missing)
        checked += len(controls)
    assert checked > 150
    assert _name(shell.screens["search"].query) == "Tìm sách"


def test_read_aloud_speaks_every_patron_screen_with_its_heading_and_message(
        qtbot, make_runtime, tmp_path, monkeypatch, stock):
    """No screen reader runs under cage (docs/accessibility.md), so the read-aloud button must
    say each patron screen: its heading and whatever answer it shows, numbers in words."""
    import os
    import stat

    from kiosk.ui.speech import spoken_vi

    spoken = tmp_path / "spoken"
    fake = tmp_path / "espeak-ng"
    fake.write_text('#!/bin/sh\n[ "$1" = "--voices=vi" ] && exit 0\n'
                    f'for last; do :; done\nprintf "%s\\n" "$last" >> {spoken}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    shell = make_runtime().shell
    said = []

    def read_aloud() -> str:
        before = len(said)
        assert shell.read_button.isVisible() and shell.read_button.isEnabled()
        shell.read_button.click()
        qtbot.waitUntil(lambda: spoken.exists() and len(spoken.read_text().splitlines()) > before,
                        timeout=8000)
        said[:] = spoken.read_text().splitlines()
        return said[-1]

    _sign_in_and_borrow(qtbot, shell, stock)
    assert "Hạn trả: ngày bốn tháng mười hai năm hai ngàn không trăm hai mươi sáu" in read_aloud()
    for name in _visit_every_screen(qtbot, shell, stock):
        screen = shell.screens[name]
        text = read_aloud()
        headings = [w.text() for w in screen.findChildren(QLabel)
                    if w.objectName() == "heading" and w.isVisible() and w.text()]
        assert headings, name
        for heading in headings:
            assert spoken_vi(heading) in text, (name, heading, text)
        assert not any(ch.isdigit() for ch in text.replace("TN-PHUTHO", "")), (name, text)
    shell.logout()
    shell.go("identify")
    identify = shell.screens["identify"]
    identify.card.setText(stock["patron"]["card_number"])
    identify.pin.setText("0000")
    identify.submit()
    qtbot.waitUntil(lambda: identify.message.isVisible(), timeout=5000)
    assert identify.message.text() in read_aloud()


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("contrast", [False, True])
def test_the_stylesheet_draws_only_colours_whose_contrast_is_checked(large, contrast):
    """Every colour in the window's stylesheet is a palette colour, so the WCAG check over
    ``theme.PAIRS`` (test_patron_issue16.py) covers everything a patron sees."""
    import re

    from kiosk.ui import theme

    palette = theme.HIGH_CONTRAST if contrast else theme.NORMAL
    sheet = theme.stylesheet(large, contrast)
    drawn = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{3,8}\b", sheet)}
    assert drawn and drawn <= {v.lower() for v in vars(palette).values()}
    assert not re.search(r"\brgba?\(|\b(?:white|black|red|gray|grey)\b", sheet)
