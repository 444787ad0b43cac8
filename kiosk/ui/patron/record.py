"""A title in full: who wrote it, where the copies are, and what the patron can do with it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QVBoxLayout

from kiosk.core.dates import vn_date
from kiosk.ui import queries
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Message, RowList, button, heading, label

VIEWABLE = ("pdf", "image")
RELATED_HEIGHT = 170


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


def shelf_status(title: dict) -> tuple[str, str]:
    """'Có sẵn 1 · Đang cho mượn 2' for a title of a list, and the row state."""
    translate = QCoreApplication.translate
    parts = []
    if title["available"]:
        parts.append(translate("RecordScreen", "Có sẵn %1").replace("%1", str(title["available"])))
    if title["on_loan"]:
        parts.append(translate("RecordScreen", "Đang cho mượn %1").replace(
            "%1", str(title["on_loan"])))
    if not parts:
        parts.append(translate("RecordScreen", "Không có trên giá lúc này"))
    authors = ", ".join(title["authors"][:2])
    text = " · ".join(parts)
    return (f"{authors}\n{text}" if authors else text), "ok" if title["available"] else ""


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
        self.related_title = label(self.tr("Bạn đọc mượn cuốn này cũng mượn…"))
        self.related = RowList()
        self.related.setMaximumHeight(RELATED_HEIGHT)  # scrolls inside: the actions stay in view
        self.related_title.setVisible(False)
        self.related.setVisible(False)
        beside = QGridLayout()  # copies on the left, related titles on the right
        beside.addWidget(self.copies, 0, 0, 2, 1)
        beside.addWidget(self.related_title, 0, 1)
        beside.addWidget(self.related, 1, 1)
        beside.setColumnStretch(0, 3)
        beside.setColumnStretch(1, 2)
        beside.setRowStretch(1, 1)
        layout.addLayout(beside, 1)
        actions = QGridLayout()
        self.back_to = "search"
        self.back_button = button(self.tr("Quay lại"), "",
                                  lambda: self.nav.go(self.back_to, keep=True))
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

    def enter(self, record_id: str | None = None, then: str | None = None,
              back: str | None = None, **kwargs) -> None:
        """``then="hold"``: the patron pressed "Đặt trước" before signing in; place it now.
        ``back``: the screen "Quay lại" returns to (the search, or the shelf browser)."""
        if record_id is None:
            return
        self.back_to = back or "search"
        self.message.clear()
        self.record_id = record_id
        self.hold_button.setEnabled(False)

        def shown(data: dict) -> None:
            self._show(data)
            if then == "hold" and self.nav.session.signed_in:
                self.place_hold()

        self.run(lambda: queries.record_detail(self.ctx.library, record_id), shown,
                 lambda exc: self.message.show_text(self.error(exc), "error"))
        self._show_related([])
        self.run(lambda: queries.related(self.ctx.library, self.ctx.recommender, record_id),
                 lambda found: self._show_related(found) if self.record_id == record_id else None)

    def _show_related(self, found: list[dict]) -> None:
        """Other titles this title's readers borrowed (at least five readers per pair)."""
        self.related.clear()
        for title in found:
            detail, state = shelf_status(title)
            self.related.add(title["title"], detail, state,
                             on_click=lambda rid=title["id"]: self.enter(record_id=rid,
                                                                     back=self.back_to))
        self.related_title.setVisible(bool(found))
        self.related.setVisible(bool(found))

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
        self._show_related([])
        self.view_button.setVisible(False)
        self.hold_button.setEnabled(False)

    def speech_text(self) -> str:
        parts = [self.title.text(), self.byline.text()]
        parts += [f"{r.title.text()}, {r.detail.text()}" for r in self.copies.rows[:4]]
        if self.related.rows:
            parts.append(self.related_title.text())
            parts += [r.title.text() for r in self.related.rows[:3]]
        if self.message.isVisible():
            parts.append(self.message.text())
        return ". ".join(p for p in parts if p)
