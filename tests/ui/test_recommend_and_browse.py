"""Readers also borrowed on the record page, "Gợi ý cho bạn" in the account, and the shelf
browser by Dewey class, through the real kiosk window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import click, scan, visible_texts

from tests.borrowing_data import co_borrowing_library


def test_a_record_page_shows_what_its_readers_also_borrowed(qtbot, make_runtime, lib):
    titles, _ = co_borrowing_library(lib)
    shell = make_runtime().shell
    shell.go("record", record_id=titles["ca_loc"][0])
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: bool(record.related.rows), timeout=5000)
    assert "Bạn đọc mượn cuốn này cũng mượn…" in visible_texts(shell)
    assert [r.title.text() for r in record.related.rows] == ["Kỹ thuật nuôi cá tra"]
    assert record.related.rows[0].detail.text() == "Nhiều tác giả\nCó sẵn 1"
    shell.go("record", record_id=titles["lua"][0])  # its pairs have four readers: none shown
    qtbot.waitUntil(lambda: record.title.text() == "Trồng lúa chất lượng cao", timeout=5000)
    qtbot.waitUntil(lambda: not record.ctx.ops.busy, timeout=5000)
    assert not record.related.rows
    assert "Bạn đọc mượn cuốn này cũng mượn…" not in visible_texts(shell)


def test_a_signed_in_patron_sees_suggestions_without_what_they_borrowed(
        qtbot, make_runtime, lib):
    titles, cards = co_borrowing_library(lib)
    shell = make_runtime().shell
    shell.go("identify", then="account")
    scan(qtbot, shell, cards[5])
    account = shell.screens["account"]
    qtbot.waitUntil(lambda: "Gợi ý cho bạn" in [r.title.text() for r in account.rows.rows],
                    timeout=5000)
    shown = [r.title.text() for r in account.rows.rows]
    assert shown[shown.index("Gợi ý cho bạn") + 1:] == ["Kỹ thuật nuôi cá tra"]
    assert "Kỹ thuật nuôi cá lóc" not in shown


def test_the_shelf_browser_goes_from_a_class_to_its_titles_and_on_to_a_record(
        qtbot, make_runtime, lib, stock):
    co_borrowing_library(lib)
    shell = make_runtime().shell
    shell.go("search")
    click(qtbot, shell.screens["search"].browse_button)
    browse = shell.screens["browse"]
    assert shell.current == "browse"
    technology = browse.class_buttons["600"]
    qtbot.waitUntil(lambda: technology.text() == "600  Công nghệ\n3 đầu sách", timeout=5000)
    assert browse.class_buttons["800"].text() == "800  Văn học\n3 đầu sách"
    assert technology.height() >= 48  # a touch target
    click(qtbot, technology)
    divisions = [r.title.text() for r in browse.rows.rows]
    assert divisions[0] == "600 Công nghệ" and "630 Nông nghiệp" in divisions
    agriculture = browse.rows.rows[divisions.index("630 Nông nghiệp")]
    assert agriculture.detail.text() == "3 đầu sách"
    qtbot.mouseClick(agriculture, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(browse.rows.rows) == 3, timeout=5000)
    assert [r.title.text() for r in browse.rows.rows] == [
        "Trồng lúa chất lượng cao", "Kỹ thuật nuôi cá lóc", "Kỹ thuật nuôi cá tra"]
    assert browse.rows.rows[0].detail.text() == "633.18 NHI · Nhiều tác giả\nCó sẵn 1"
    qtbot.mouseClick(browse.rows.rows[0], Qt.MouseButton.LeftButton)
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: shell.current == "record" and
                    record.title.text() == "Trồng lúa chất lượng cao", timeout=5000)
    click(qtbot, record.back_button)
    assert shell.current == "browse" and len(browse.rows.rows) == 3
    click(qtbot, browse.back_button)
    assert browse.level == "divisions"
