"""The staff settings tab: loan rules, closed days and weekdays, opening hours — with the
command line's checks, and the effect a patron feels (the due date)."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDate

from kiosk.cli import main as cli_main
from kiosk.core.policy import Rule
from kiosk.ui.staff.settings import SettingsScreen


def _screen(qtbot, ctx, idle):
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    idle()
    return screen


def _rule_row(screen, label: str) -> tuple[str, str, str]:
    for row in range(screen.rules_table.rowCount()):
        if screen.rules_table.item(row, 0).text() == label:
            return tuple(screen.rules_table.item(row, c).text() for c in (1, 2, 3))
    raise AssertionError(label)


def test_a_changed_loan_rule_shows_in_the_table_and_sets_the_next_due_date(
        qtbot, ctx, lib, book, patron, idle):
    screen = _screen(qtbot, ctx, idle)
    assert screen.category.currentText() == "Người lớn"
    assert _rule_row(screen, "Sách") == ("14", "5", "2")
    screen.item_type.setCurrentIndex(screen.item_type.findData("book"))
    screen.loan_days.setValue(30)
    screen.max_loans.setValue(3)
    screen.max_renewals.setValue(1)
    screen.save_rule_button.click()
    idle()
    assert screen.message.kind == "ok" and "Người lớn / Sách" in screen.message.text()
    assert _rule_row(screen, "Sách") == ("30", "3", "1")
    loan = lib.circulation.checkout(patron["card_number"], book[1][0])
    assert loan.due_date >= lib.clock.today() + dt.timedelta(days=30)


def test_a_rule_the_command_line_refuses_is_refused_here_with_the_same_message(
        qtbot, ctx, lib, idle, tmp_path, capsys):
    screen = _screen(qtbot, ctx, idle)
    screen.item_type.setCurrentIndex(screen.item_type.findData("book"))
    screen.loan_days.setValue(0)
    screen.max_loans.setValue(3)
    screen.save_rule_button.click()
    idle()
    assert screen.message.kind == "error"
    shown = screen.message.text()
    assert "ít nhất 1 ngày mượn" in shown
    assert lib.policy.rule("adult", "book") == Rule(14, 5, 2)
    assert _rule_row(screen, "Sách") == ("14", "5", "2")

    db = str(tmp_path / "cli.db")
    assert cli_main(["--db", db, "init", "--library", "TN-X", "--name", "X"]) == 0
    capsys.readouterr()
    assert cli_main(["--db", db, "rules", "set", "adult", "book", "--days", "0", "--max", "3",
                     "--renewals", "2"]) == 1
    assert shown in capsys.readouterr().err
    assert cli_main(["--db", db, "rules", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"category": "adult", "item_type": "book", "loan_days": 14, "max_loans": 5,
            "max_renewals": 2} in listed


def test_closed_days_weekdays_and_opening_hours_are_set_and_undone_on_the_tab(
        qtbot, ctx, lib, idle):
    screen = _screen(qtbot, ctx, idle)
    screen.day.setDate(QDate(2027, 1, 4))
    screen.reason.setText("Họp tổng kết năm")
    screen.close_day()
    idle()
    assert screen.message.text() == "Thư viện nghỉ ngày 04/01/2027."
    assert (screen.closed_table.item(0, 0).text(), screen.closed_table.item(0, 1).text()) == (
        "04/01/2027", "Họp tổng kết năm")
    assert not lib.policy.is_open(dt.date(2027, 1, 4))

    screen.reason.setText("x" * 130)
    screen.close_day()
    idle()
    assert screen.message.kind == "error" and "lý do nghỉ dài quá 120 ký tự" in screen.message.text()
    assert screen.closed_table.rowCount() == 1

    screen.closed_table.selectRow(0)
    screen.reopen_button.click()
    idle()
    assert screen.closed_table.rowCount() == 0 and lib.policy.is_open(dt.date(2027, 1, 4))

    screen.weekday_boxes[6].click()
    idle()
    assert screen.message.text() == "Đã lưu ngày nghỉ hằng tuần."
    assert lib.policy.settings["closed_weekdays"] == [6]
    for box in screen.weekday_boxes[:6]:
        box.click()
        idle()
    assert "cả bảy ngày" in screen.message.text()
    assert lib.policy.settings["closed_weekdays"] == [0, 1, 2, 3, 4, 6]
    assert [box.isChecked() for box in screen.weekday_boxes] == [True] * 5 + [False, True]

    screen.hours.setText("Thứ Hai – Thứ Bảy, 7:00–11:00 và 13:30–17:00")
    screen.save_hours()
    idle()
    assert screen.message.text() == "Đã lưu giờ mở cửa."
    assert lib.policy.opening_hours() == "Thứ Hai – Thứ Bảy, 7:00–11:00 và 13:30–17:00"
