"""Library settings at the counter: loan rules, closed days and weekdays, opening hours.

What ``kiosk rules`` and ``kiosk calendar`` do on the command line, for a librarian who never
opens one. Every change goes through :class:`kiosk.core.policy.Policy`, whose checks are the
command line's, so a refused value shows the same message and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.catalogue import ITEM_TYPES
from kiosk.core.dates import vn_date
from kiosk.core.patrons import CATEGORIES
from kiosk.core.policy import ALL_TYPES, MAX_HOURS_CHARS, MAX_REASON_CHARS, Rule
from kiosk.ui.context import UiContext
from kiosk.ui.staff.cataloguing import ITEM_TYPE_LABELS
from kiosk.ui.staff.widgets import Page, button, category_label, fill_table, make_table
from kiosk.ui.widgets import Reflow

WEEKDAYS = (
    QT_TRANSLATE_NOOP("SettingsScreen", "Thứ Hai"), QT_TRANSLATE_NOOP("SettingsScreen", "Thứ Ba"),
    QT_TRANSLATE_NOOP("SettingsScreen", "Thứ Tư"), QT_TRANSLATE_NOOP("SettingsScreen", "Thứ Năm"),
    QT_TRANSLATE_NOOP("SettingsScreen", "Thứ Sáu"), QT_TRANSLATE_NOOP("SettingsScreen", "Thứ Bảy"),
    QT_TRANSLATE_NOOP("SettingsScreen", "Chủ nhật"),
)
SPIN_MAX = 999


def _snapshot(lib) -> dict[str, Any]:
    """Runs on the database thread: everything this screen shows."""
    policy = lib.policy
    return {"rules": policy.rules(), "closed": policy.closed_days(),
            "weekdays": policy.settings["closed_weekdays"], "hours": policy.opening_hours(),
            "today": lib.clock.today()}


class SettingsScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.rules: dict[tuple[str, str], Rule] = {}
        self.closed: list[tuple[str, str]] = []

        self.category = QComboBox()
        for code in CATEGORIES:
            self.category.addItem(category_label(code), code)
        self.category.setCurrentIndex(self.category.findData("adult"))
        self.category.currentIndexChanged.connect(lambda _i: self._show_rules())
        self.item_type = QComboBox()
        for code in (ALL_TYPES, *ITEM_TYPES):
            self.item_type.addItem(self._type_label(code), code)
        self.item_type.currentIndexChanged.connect(lambda _i: self._fill_rule_fields())
        self.loan_days, self.max_loans, self.max_renewals = QSpinBox(), QSpinBox(), QSpinBox()
        for spin in (self.loan_days, self.max_loans, self.max_renewals):
            spin.setRange(0, SPIN_MAX)
            spin.setMinimumHeight(40)
        self.rules_table = make_table([self.tr("Loại tài liệu"), self.tr("Ngày mượn"),
                                       self.tr("Tối đa"), self.tr("Gia hạn")])
        self.rules_table.itemSelectionChanged.connect(self._rule_selected)
        self.save_rule_button = button(self.tr("Lưu quy định"), self.save_rule, primary=True)

        rules_page = QWidget()
        row = Reflow(rules_page)
        row.addWidget(self.rules_table, 3)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Đối tượng")), 0, 0)
        grid.addWidget(self.category, 0, 1)
        grid.addWidget(QLabel(self.tr("Loại")), 1, 0)
        grid.addWidget(self.item_type, 1, 1)
        grid.addWidget(QLabel(self.tr("Ngày mượn")), 2, 0)
        grid.addWidget(self.loan_days, 2, 1)
        grid.addWidget(QLabel(self.tr("Tối đa (cuốn)")), 3, 0)
        grid.addWidget(self.max_loans, 3, 1)
        grid.addWidget(QLabel(self.tr("Số lần gia hạn")), 4, 0)
        grid.addWidget(self.max_renewals, 4, 1)
        grid.addWidget(self.save_rule_button, 5, 0, 1, 2)
        grid.setRowStretch(6, 1)
        row.addLayout(grid, 2)

        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setMinimumHeight(40)
        self.reason = QLineEdit()
        self.reason.setMaxLength(MAX_REASON_CHARS + 1)
        self.reason.setPlaceholderText(self.tr("Lý do (ví dụ: Tết Nguyên đán)"))
        self.closed_table = make_table([self.tr("Ngày nghỉ"), self.tr("Lý do")])
        self.reopen_button = button(self.tr("Mở cửa lại ngày đã chọn"), self.reopen_day)
        self.weekday_boxes = [QCheckBox(self.tr(name)) for name in WEEKDAYS]
        self.hours = QLineEdit()
        self.hours.setMaxLength(MAX_HOURS_CHARS + 1)
        self.hours.setPlaceholderText(self.tr("ví dụ: Thứ Hai – Thứ Bảy, 7:00–11:00"))
        self.vietnamese(self.reason, self.hours)

        calendar_page = QWidget()
        column = QVBoxLayout(calendar_page)
        add_row = QHBoxLayout()
        add_row.addWidget(self.day)
        add_row.addWidget(self.reason, 1)
        add_row.addWidget(button(self.tr("Thêm ngày nghỉ"), self.close_day))
        column.addLayout(add_row)
        closed_row = QHBoxLayout()
        closed_row.addWidget(self.closed_table, 1)
        closed_row.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(closed_row, 1)
        # Four days a row: seven in one row need 1,225 px in large text.
        weekdays = QGridLayout()
        weekdays.addWidget(QLabel(self.tr("Nghỉ hằng tuần:")), 0, 0)
        for index, box in enumerate(self.weekday_boxes):
            weekdays.addWidget(box, index // 4, 1 + index % 4)
            box.toggled.connect(lambda _on: self.save_weekdays())
        weekdays.setColumnStretch(5, 1)
        column.addLayout(weekdays)
        hours_row = QHBoxLayout()
        hours_row.addWidget(QLabel(self.tr("Giờ mở cửa")))
        hours_row.addWidget(self.hours, 1)
        hours_row.addWidget(button(self.tr("Lưu giờ"), self.save_hours))
        column.addLayout(hours_row)

        self.parts = QTabWidget()
        self.parts.addTab(rules_page, self.tr("Quy định mượn"))
        self.parts.addTab(calendar_page, self.tr("Lịch nghỉ và giờ mở cửa"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.parts, 1)
        layout.addWidget(self.message)
        ctx.ops.changed.connect(self._on_changed)
        self.refresh()

    def _type_label(self, code: str) -> str:
        if code == ALL_TYPES:
            return self.tr("Tất cả loại (tổng số)")
        return QCoreApplication.translate("CataloguingScreen", ITEM_TYPE_LABELS.get(code, code))

    # Loading

    def _on_changed(self, what: str) -> None:
        if what == "settings":
            self.refresh()

    def refresh(self) -> None:
        lib = self.ctx.library
        self.call(lambda: _snapshot(lib), self._show)

    def _show(self, data: dict[str, Any]) -> None:
        self.rules, self.closed = data["rules"], data["closed"]
        if not self.day.property("set"):
            self.day.setDate(QDate(data["today"].year, data["today"].month, data["today"].day))
            self.day.setProperty("set", True)
        self._show_rules()
        fill_table(self.closed_table, [(vn_date(day), reason) for day, reason in self.closed],
                   stretch=1)
        for index, box in enumerate(self.weekday_boxes):
            box.blockSignals(True)
            box.setChecked(index in data["weekdays"])
            box.blockSignals(False)
        self.hours.setText(data["hours"] or "")

    def _show_rules(self) -> None:
        category = self.category.currentData()
        rows = []
        for code in (ALL_TYPES, *ITEM_TYPES):
            rule = self.rules.get((category, code))
            if rule is not None:
                rows.append((self._type_label(code), rule.loan_days, rule.max_loans,
                             rule.max_renewals))
        self.rules_table.blockSignals(True)
        fill_table(self.rules_table, rows, stretch=0)
        self.rules_table.blockSignals(False)
        self._fill_rule_fields()

    def _rule_selected(self) -> None:
        rows = self.rules_table.selectionModel().selectedRows()
        if rows:
            self.item_type.setCurrentIndex(rows[0].row())

    def _fill_rule_fields(self) -> None:
        rule = self.rules.get((self.category.currentData(), self.item_type.currentData()))
        if rule is not None:
            self.loan_days.setValue(rule.loan_days)
            self.max_loans.setValue(rule.max_loans)
            self.max_renewals.setValue(rule.max_renewals)

    # Changes (each one checked by the core, as on the command line)

    def save_rule(self) -> None:
        category, item_type = self.category.currentData(), self.item_type.currentData()
        rule = Rule(self.loan_days.value(), self.max_loans.value(), self.max_renewals.value())
        policy = self.ctx.library.policy
        label = f"{self.category.currentText()} / {self.item_type.currentText()}"
        self.call(lambda: policy.set_rule(category, item_type, rule),
                  lambda _r: self.message.show_message(
                      self.tr("Đã lưu quy định: {what}.").format(what=label), "ok"),
                  changes="settings", on_error=self._refused)

    def close_day(self) -> None:
        date = self.day.date()
        day = dt.date(date.year(), date.month(), date.day())
        reason, policy = self.reason.text(), self.ctx.library.policy
        self.call(lambda: policy.close_day(day, reason), lambda _r: self._day_closed(day),
                  changes="settings", on_error=self._refused)

    def _day_closed(self, day: dt.date) -> None:
        self.reason.clear()
        self.message.show_message(self.tr("Thư viện nghỉ ngày {day}.").format(day=vn_date(day)),
                                  "ok")

    def reopen_day(self) -> None:
        rows = self.closed_table.selectionModel().selectedRows()
        if not rows:
            self.message.show_message(self.tr("Hãy chọn một ngày nghỉ trong danh sách."), "warn")
            return
        day = dt.date.fromisoformat(self.closed[rows[0].row()][0])
        policy = self.ctx.library.policy
        self.call(lambda: policy.reopen_day(day), lambda _r: self.message.show_message(
            self.tr("Thư viện mở cửa ngày {day}.").format(day=vn_date(day)), "ok"),
            changes="settings", on_error=self._refused)

    def save_weekdays(self) -> None:
        """Saved as soon as a day is ticked or cleared (no separate button to forget)."""
        days = [index for index, box in enumerate(self.weekday_boxes) if box.isChecked()]
        policy = self.ctx.library.policy
        self.call(lambda: policy.set_closed_weekdays(days), lambda _r: self.message.show_message(
            self.tr("Đã lưu ngày nghỉ hằng tuần."), "ok"), changes="settings",
            on_error=self._weekdays_refused)

    def _weekdays_refused(self, error: Exception) -> None:
        """A tick box shows what is stored, so a refused tick is cleared again."""
        self.show_error(error)
        self.refresh()

    def save_hours(self) -> None:
        text, policy = self.hours.text(), self.ctx.library.policy
        self.call(lambda: policy.set_opening_hours(text), lambda _r: self.message.show_message(
            self.tr("Đã lưu giờ mở cửa."), "ok"), changes="settings", on_error=self._refused)

    def _refused(self, error: Exception) -> None:
        """The core's refusal; what was typed stays for the librarian to correct."""
        self.show_error(error)
