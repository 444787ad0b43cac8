"""Conflicts from merged offline work, listed for a librarian to resolve with one tap."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.core.conflicts import RESOLUTIONS
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, heading, make_table

log = logging.getLogger(__name__)

EVENT_LABELS = {
    "loan.checkout": QT_TRANSLATE_NOOP("ConflictsScreen", "Cho mượn"),
    "loan.checkin": QT_TRANSLATE_NOOP("ConflictsScreen", "Trả"),
    "loan.renew": QT_TRANSLATE_NOOP("ConflictsScreen", "Gia hạn"),
    "hold.filled": QT_TRANSLATE_NOOP("ConflictsScreen", "Đáp ứng đặt trước"),
    "hold.placed": QT_TRANSLATE_NOOP("ConflictsScreen", "Đặt trước"),
}
# The core's conflict kinds and resolutions (kiosk.core.conflicts KINDS, RESOLUTIONS), re-declared
# here so lupdate sees them; the Vietnamese must stay identical to the core's.
KIND_LABELS = {
    "double_checkout": QT_TRANSLATE_NOOP("ConflictsScreen",
                                         "Một bản sách được cho mượn hai lần khi mất kết nối"),
    "return_without_loan": QT_TRANSLATE_NOOP("ConflictsScreen",
                                             "Trả sách không có lượt mượn tương ứng"),
    "renew_after_return": QT_TRANSLATE_NOOP("ConflictsScreen", "Gia hạn sau khi sách đã được trả"),
    "hold_filled_twice": QT_TRANSLATE_NOOP("ConflictsScreen",
                                           "Một lượt đặt trước được đáp ứng hai lần"),
}
RESOLUTION_LABELS = {
    "acknowledge": QT_TRANSLATE_NOOP("ConflictsScreen", "Đã kiểm tra, giữ nguyên"),
    "keep_first": QT_TRANSLATE_NOOP("ConflictsScreen", "Giữ lượt mượn đầu tiên"),
    "keep_second": QT_TRANSLATE_NOOP("ConflictsScreen", "Chuyển cho người mượn sau"),
    "close_loan": QT_TRANSLATE_NOOP("ConflictsScreen", "Sách đã được trả: đóng lượt mượn"),
}
TRANSFERS = ("keep_first", "keep_second")


class ConflictsScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.conflicts: list[dict[str, Any]] = []
        self.table = make_table([self.tr("Loại"), self.tr("Bản sách"), self.tr("Các sự kiện")])
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.summary = QLabel()
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Ghi chú (không bắt buộc)"))
        self.vietnamese(self.note)
        self.resolve_buttons = {
            code: button(self.tr(RESOLUTION_LABELS.get(code, label_vi)), lambda c=code: self.resolve(c),
                         primary=code == "acknowledge")
            for code, (label_vi, _label_en) in RESOLUTIONS.items()}
        # Two a row under the note: four in one row need 1,570 px in large text.
        actions = QGridLayout()
        actions.addWidget(self.note, 0, 0, 1, 2)
        for index, widget in enumerate(self.resolve_buttons.values()):
            actions.addWidget(widget, 1 + index // 2, index % 2)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Xung đột cần xử lý")), 1)
        top.addWidget(button(self.tr("Làm mới"), self.refresh))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        ctx.ops.changed.connect(self._on_changed)
        self._update_buttons()
        self.refresh()

    def _on_changed(self, what: str) -> None:
        if what in ('circulation', 'sync'):
            self.refresh()

    def refresh(self) -> None:
        self.call(self.ctx.library.conflicts.list, self._show)

    def _kind_label(self, conflict: dict[str, Any]) -> str:
        label = KIND_LABELS.get(conflict.get("kind"))
        return self.tr(label) if label is not None else conflict["label"]

    def _describe_events(self, events: list[dict[str, Any]]) -> str:
        return "\n".join(
            f"{self.tr(EVENT_LABELS.get(e['type'], e['type']))} · {e['wall_time'][:16].replace('T', ' ')}"
            f" · {e['library_id']}" for e in events)

    def _show(self, conflicts: list[dict[str, Any]]) -> None:
        self.conflicts = conflicts
        fill_table(self.table, [
            (self._kind_label(c), f"{c['title'] or ''}\n{c['barcode'] or ''}".strip(),
             self._describe_events(c["events"])) for c in conflicts], stretch=2)
        for row, conflict in enumerate(conflicts):
            self.table.setRowHeight(row, 16 + 22 * max(2, len(conflict["events"])))
        self.summary.setText(self.tr("{n} xung đột chưa xử lý. Chọn một dòng rồi chọn cách xử lý.")
                             .format(n=len(conflicts)) if conflicts
                             else self.tr("Không có xung đột nào cần xử lý."))
        if conflicts:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.conflicts[rows[0].row()] if rows and self.conflicts else None

    def _update_buttons(self) -> None:
        conflict = self.selected()
        for code, widget in self.resolve_buttons.items():
            widget.setEnabled(conflict is not None and (
                code not in TRANSFERS or conflict["kind"] == "double_checkout"))

    def resolve(self, resolution: str) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        note = self.note.text().strip()
        conflicts = self.ctx.library.conflicts
        log.info("resolving conflict %s with %s", conflict["id"], resolution)
        self.call(lambda: conflicts.resolve(conflict["id"], resolution, note), self._resolved,
                  changes="circulation")

    def _resolved(self, conflict: dict[str, Any]) -> None:
        self.note.clear()
        self.message.show_message(self.tr("Đã xử lý: {label}.").format(label=self._kind_label(conflict)),
                                  "ok")
