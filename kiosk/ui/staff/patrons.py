"""Patrons at the counter: find, register, edit, renew the card, block, print the card slip."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk import receipts
from kiosk.core.dates import vn_date
from kiosk.ui.context import UiContext
from kiosk.ui.staff.patron_form import PatronForm
from kiosk.ui.staff.widgets import (
    Page,
    button,
    category_label,
    fill_table,
    make_table,
    reveal,
)

log = logging.getLogger(__name__)


class PatronsScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.card_number: str | None = None
        self._patrons: list[dict[str, Any]] = []

        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Tìm theo tên hoặc số thẻ"))
        self.query.textChanged.connect(lambda _text: self.refresh())
        self.table = make_table([self.tr("Họ và tên"), self.tr("Số thẻ"), self.tr("Hạn thẻ")])
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        # A name wraps in its cell: the rows' heights follow the columns' widths, which
        # settle only once the tab is shown (filled while hidden, rows kept one line).
        self._rows_fit = QTimer(self, singleShot=True, interval=0)
        self._rows_fit.timeout.connect(self.table.resizeRowsToContents)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._rows_fit.start())

        self.form = PatronForm()
        self.form_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.save_button = button(self.tr("Đăng ký"), self.save, primary=True)
        self.new_button = button(self.tr("Bạn đọc mới"), self.new_patron)
        self.renew_button = button(self.tr("Gia hạn thẻ"), self.renew_card)
        self.print_button = button(self.tr("In thẻ"), self.print_card)
        self.block_reason = QLineEdit()
        self.block_reason.setPlaceholderText(self.tr("Lý do khóa thẻ"))
        self.vietnamese(*self.form.vietnamese_fields, self.block_reason)
        self.block_button = button(self.tr("Khóa thẻ"), self.block, danger=True)
        self.unblock_button = button(self.tr("Mở khóa"), self.unblock)

        left = QVBoxLayout()
        left.addWidget(self.query)
        left.addWidget(self.table)
        buttons = QGridLayout()
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.save_button, 0, 1)
        buttons.addWidget(self.renew_button, 0, 2)
        buttons.addWidget(self.print_button, 0, 3)
        buttons.addWidget(self.block_reason, 1, 0, 1, 2)
        buttons.addWidget(self.block_button, 1, 2)
        buttons.addWidget(self.unblock_button, 1, 3)
        right = QVBoxLayout()
        right.addWidget(self.message)
        right.addWidget(scroll, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        ctx.ops.changed.connect(self._on_changed)
        self._update_buttons()
        self.refresh()

    # List

    def _on_changed(self, what: str) -> None:
        if what in ('patrons',):
            self.refresh()

    def refresh(self) -> None:
        query = self.query.text().strip() or None
        patrons = self.ctx.library.patrons
        self.call(lambda: patrons.list(query, limit=200), self._show_list)

    def _show_list(self, patrons: list[dict[str, Any]]) -> None:
        self._patrons = patrons
        self.table.blockSignals(True)
        fill_table(self.table, [
            (("🔒 " if p["blocked_reason"] else "") + p["name"], p["card_number"],
             vn_date(p["expires_on"])) for p in patrons], stretch=0)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_patron(self._patrons[rows[0].row()]["card_number"])

    def show_scan(self, code: str) -> None:
        """A card scanned from any configured scanner opens that patron; anything else is searched."""
        patrons = self.ctx.library.patrons
        self.call(lambda: patrons.list(code, limit=200), lambda found: self._scanned(code, found))

    def _scanned(self, code: str, found: list[dict[str, Any]]) -> None:
        self.query.blockSignals(True)
        self.query.setText(code)
        self.query.blockSignals(False)
        self._show_list(found)
        match = next((i for i, p in enumerate(found) if p["card_number"] == code), None)
        if match is None:
            self.message.show_message(self.tr("Không có bạn đọc nào có thẻ {card}.").format(
                card=code), "warn")
            return
        self.message.clear_message()
        self.table.selectRow(match)

    def open_patron(self, card_number: str) -> None:
        self.call(lambda: self.ctx.library.patrons.get(card_number), self._show_patron)

    def _show_patron(self, patron: dict[str, Any]) -> None:
        self.card_number = patron["card_number"]
        self.form.set_patron(patron)
        self.block_reason.setText(patron["blocked_reason"] or "")
        self._update_buttons()

    def new_patron(self) -> None:
        self.card_number = None
        self.form.clear()
        self.block_reason.clear()
        self.table.clearSelection()
        self.message.clear_message()
        self._update_buttons()
        self.form.name.setFocus()

    def _update_buttons(self) -> None:
        known = self.card_number is not None
        self.save_button.setText(self.tr("Lưu thay đổi") if known else self.tr("Đăng ký"))
        for widget in (self.renew_button, self.print_button, self.block_button,
                       self.unblock_button, self.block_reason):
            widget.setEnabled(known)

    # Changes

    def save(self) -> None:
        try:
            fields, pin = self.form.values()
        except ValueError as problem:
            self.message.show_message(str(problem), "error")
            return
        patrons = self.ctx.library.patrons
        card = self.card_number
        if card is None:
            self.call(lambda: patrons.add(pin=pin, **fields), self._registered, changes="patrons")
            return

        def update() -> dict[str, Any]:
            if pin:
                patrons.set_pin(card, pin)
            return patrons.update(card, **fields)

        self.call(update, self._updated, changes="patrons")

    def _registered(self, patron: dict[str, Any]) -> None:
        category = category_label(patron["category"])
        log.info("registered a patron (%s)", patron["category"])
        self._show_patron(patron)
        self.message.show_message(self.tr("Đã đăng ký bạn đọc ({category}). Số thẻ: {card}")
                                  .format(category=category, card=patron["card_number"]), "ok")
        reveal(self.form.card, self.message)

    def _updated(self, patron: dict[str, Any]) -> None:
        self._show_patron(patron)
        self.message.show_message(self.tr("Đã lưu thay đổi."), "ok")

    def renew_card(self) -> None:
        card = self.card_number
        if card:
            self.call(lambda: self.ctx.library.patrons.renew_card(card), self._renewed,
                      changes="patrons")

    def _renewed(self, patron: dict[str, Any]) -> None:
        self._show_patron(patron)
        self.message.show_message(self.tr("Đã gia hạn thẻ đến {date}.").format(
            date=vn_date(patron["expires_on"])), "ok")

    def block(self) -> None:
        card, reason = self.card_number, self.block_reason.text().strip()
        if not card:
            return
        if not reason:
            self.message.show_message(self.tr("Hãy ghi lý do khóa thẻ."), "warn")
            self.block_reason.setFocus()
            return
        self.call(lambda: self.ctx.library.patrons.update(card, blocked_reason=reason),
                  self._updated, changes="patrons")

    def unblock(self) -> None:
        card = self.card_number
        if card:
            self.call(lambda: self.ctx.library.patrons.update(card, blocked_reason=None),
                      self._updated, changes="patrons")

    def print_card(self) -> None:
        card, queue = self.card_number, self.ctx.print_queue
        if not card:
            return
        if queue is None:
            self.message.show_message(
                self.tr("Chưa có máy in: không in được thẻ. Hãy gọi kỹ thuật viên."), "warn")
            return
        lib = self.ctx.library
        self.call(lambda: queue.submit(receipts.patron_card_slip(lib, card)),
                  lambda job: self.message.show_message(
                      self.tr("Đã gửi lệnh in thẻ (lệnh số {job}).").format(job=job), "ok"))
