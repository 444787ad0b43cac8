"""Conflicts from merged offline work, listed for a librarian to resolve with one tap."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.core.conflicts import RESOLUTIONS
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, heading, make_table

log = logging.getLogger(__name__)

EVENT_LABELS = {"loan.checkout": "Cho mượn", "loan.checkin": "Trả", "loan.renew": "Gia hạn",
                "hold.filled": "Đáp ứng đặt trước", "hold.placed": "Đặt trước"}
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
        self.resolve_buttons = {
            code: button(self.tr(label_vi), lambda c=code: self.resolve(c), primary=code == "acknowledge")
            for code, (label_vi, _label_en) in RESOLUTIONS.items()}
        actions = QHBoxLayout()
        actions.addWidget(self.note, 1)
        for widget in self.resolve_buttons.values():
            actions.addWidget(widget)
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

    def _describe_events(self, events: list[dict[str, Any]]) -> str:
        return "\n".join(
            f"{self.tr(EVENT_LABELS.get(e['type'], e['type']))} · {e['wall_time'][:16].replace('T', ' ')}"
            f" · {e['library_id']}" for e in events)

    def _show(self, conflicts: list[dict[str, Any]]) -> None:
        self.conflicts = conflicts
        fill_table(self.table, [
            (c["label"], f"{c['title'] or ''}\n{c['barcode'] or ''}".strip(),
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
        self.message.show_message(self.tr("Đã xử lý: {label}.").format(label=conflict["label"]),
                                  "ok")
