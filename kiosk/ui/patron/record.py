"""A title in full: who wrote it, where the copies are, and what the patron can do with it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QVBoxLayout

from kiosk.core.dates import vn_date
from kiosk.ui import queries
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Message, RowList, button, heading, label

VIEWABLE = ("pdf", "image")


def copy_status(item: dict) -> tuple[str, str]:
    """What a copy is doing now, in the patron's words, and the row state."""
    translate = QCoreApplication.translate
    if item.get("due_date"):
        return translate("RecordScreen", "Đang cho mượn, hạn trả %1").replace(
            "%1", vn_date(item["due_date"])), ""
    if item.get("hold_status") == "trapped":
        return translate("RecordScreen", "Đang giữ cho bạn đọc đã đặt trước"), ""
    if item["status"] == "available":
        return translate("RecordScreen", "Có trên giá"), "ok"
    return translate("RecordScreen", "Không cho mượn lúc này"), ""


class RecordScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.record_id: str | None = None
        self.record: dict = {}
        self.attachments: list[dict] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(8)
        self.title = heading()
        self.byline = label()
        self.facts = label("", "muted")
        self.message = Message()
        self.copies = RowList()
        for widget in (self.title, self.byline, self.facts, self.message):
            layout.addWidget(widget)
        layout.addWidget(self.copies, 1)
        actions = QGridLayout()
        self.back_button = button(self.tr("Quay lại"), "", lambda: self.nav.go("search", keep=True))
        self.hold_button = button(self.tr("Đặt trước"), "primary", self.place_hold)
        self.postal_button = button(self.tr("Gửi qua bưu điện"), "", lambda: self._request("postal"))
        self.copy_button = button(self.tr("Sao chụp từ xa"), "", lambda: self._request("copy"))
        self.view_button = button(self.tr("Xem tài liệu số"), "", self._view)
        self.view_button.setVisible(False)
        actions.addWidget(self.back_button, 0, 0)
        actions.addWidget(self.view_button, 0, 1)
        actions.addWidget(self.hold_button, 0, 2)
        actions.addWidget(self.postal_button, 1, 1)
        actions.addWidget(self.copy_button, 1, 2)
        layout.addLayout(actions)

    def enter(self, record_id: str | None = None, then: str | None = None, **kwargs) -> None:
        """``then="hold"``: the patron pressed "Đặt trước" before signing in; place it now."""
        if record_id is None:
            return
        self.message.clear()
        self.record_id = record_id
        self.hold_button.setEnabled(False)

        def shown(data: dict) -> None:
            self._show(data)
            if then == "hold" and self.nav.session.signed_in:
                self.place_hold()

        self.run(lambda: queries.record_detail(self.ctx.library, record_id), shown,
                 lambda exc: self.message.show_text(self.error(exc), "error"))

    def _show(self, data: dict) -> None:
        record = self.record = data["record"]
        self.title.setText(record["title"] + (f": {record['subtitle']}" if record.get("subtitle") else ""))
        self.byline.setText(", ".join(record.get("authors") or []))
        facts = [record.get("publisher"), str(record["year"]) if record.get("year") else None,
                 "; ".join(record.get("subjects") or []) or None]
        self.facts.setText(" · ".join(f for f in facts if f))
        self.copies.clear()
        items = data["items"]
        if not items:
            self.copies.add(self.tr("Thư viện này không có bản nào của sách này."), "", "")
        for item in items:
            status, state = copy_status(item)
            where = " · ".join(x for x in (item.get("location"), item.get("call_number")) if x)
            self.copies.add(where or item["barcode"], status, state)
        self.attachments = [a for a in data["attachments"] if a["kind"] in VIEWABLE]
        self.view_button.setVisible(bool(self.attachments))
        self.hold_button.setEnabled(True)

    def place_hold(self) -> None:
        if self.record_id is None:
            return
        if not self.nav.session.signed_in:
            self.nav.go("identify", then="record",
                        then_args={"record_id": self.record_id, "then": "hold"})
            return
        self.hold_button.setEnabled(False)
        card, record_id = self.nav.session.card, self.record_id

        def done(hold) -> None:
            self.message.show_text(self.tr(
                "Đã đặt trước. Thứ tự chờ của bạn: %1. Thư viện sẽ giữ sách khi có bản trả về."
            ).replace("%1", str(hold["position"])), "ok")

        def refused(exc: Exception) -> None:
            self.hold_button.setEnabled(True)
            self.message.show_text(self.error(exc), "error")

        self.run(lambda: self.ctx.library.holds.place(card, record_id), done, refused,
                 changes="circulation")

    def _request(self, kind: str) -> None:
        """The request screen needs a session; the shell signs the patron in on the way."""
        if self.record_id is None:
            return
        self.nav.go("request", kind=kind, record_id=self.record_id, title=self.record.get("title", ""))

    def _view(self) -> None:
        if self.attachments:
            self.nav.go("viewer", attachments=self.attachments, title=self.record.get("title", ""),
                        record_id=self.record_id)

    def reset(self) -> None:
        super().reset()
        self.record_id, self.record, self.attachments = None, {}, []
        for widget in (self.title, self.byline, self.facts):
            widget.clear()
        self.message.clear()
        self.copies.clear()
        self.view_button.setVisible(False)
        self.hold_button.setEnabled(False)

    def speech_text(self) -> str:
        parts = [self.title.text(), self.byline.text()]
        parts += [f"{r.title.text()}, {r.detail.text()}" for r in self.copies.rows[:4]]
        if self.message.isVisible():
            parts.append(self.message.text())
        return ". ".join(p for p in parts if p)
