"""The attract screen: what the library is, when it opens, what is new, and three big doors.

A card scanned here starts borrowing; a book scanned here (someone bringing it back, or
curious about it) offers to return it or to show its record, instead of "card not found".
The language switch lives here, where no session is open yet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout

from kiosk.ui import queries
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import button, heading, label

ROTATE_MS = 6000
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))   # each named in its own language


def classify_scan(lib, code: str) -> dict:
    """Runs on the database thread: is ``code`` a patron card, a copy here, or neither?"""
    if lib.store.one("SELECT 1 FROM patrons WHERE card_number = ?", (code,)):
        return {"kind": "card"}
    row = lib.store.one(
        "SELECT i.barcode, i.record_id, r.title, EXISTS (SELECT 1 FROM loans l "
        "WHERE l.item_id = i.id) AS on_loan FROM items i JOIN records r ON r.id = i.record_id "
        "WHERE i.barcode = ? ORDER BY i.library_id = ? DESC", (code, lib.code))
    if row is None:
        return {"kind": "unknown"}
    return {"kind": "item", **dict(row)}


class AttractScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.arrivals: list[dict] = []
        self.arrival_index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 12, 32, 16)
        layout.setSpacing(10)
        languages = QHBoxLayout()
        languages.addStretch(1)
        self.language_buttons = {}
        for code, name in LANGUAGES:
            choice = button(name, "", lambda _=False, c=code: self.choose_language(c),
                            description=self.tr("Đổi ngôn ngữ hiển thị"))
            choice.setCheckable(True)
            choice.setChecked(code == self.lang)
            choice.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.language_buttons[code] = choice
            languages.addWidget(choice)
        layout.addLayout(languages)
        self.name = heading()
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hours = label("", "muted")
        self.hours.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.name)
        layout.addWidget(self.hours)

        self.arrival_box = QFrame()
        self.arrival_box.setObjectName("row")
        box = QVBoxLayout(self.arrival_box)
        self.arrival_caption = label(self.tr("Sách mới về"), "muted")
        self.arrival_title = label("", "display")
        self.arrival_author = label("")
        for widget in (self.arrival_caption, self.arrival_title, self.arrival_author):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(widget)
        layout.addWidget(self.arrival_box, 1)

        self.item_box = QFrame()
        self.item_box.setObjectName("banner")
        item = QVBoxLayout(self.item_box)
        self.item_text = label("")
        item.addWidget(self.item_text)
        item_actions = QHBoxLayout()
        self.item_return_button = button(self.tr("Trả sách này"), "primary", self._return_item)
        self.item_record_button = button(self.tr("Xem thông tin sách"), "", self._show_item)
        self.item_close_button = button(self.tr("Đóng"), "", self._close_item)
        for widget in (self.item_return_button, self.item_record_button, self.item_close_button):
            item_actions.addWidget(widget)
        item.addLayout(item_actions)
        self.item_box.setVisible(False)
        self.scanned_item: dict = {}
        layout.addWidget(self.item_box)

        doors = QGridLayout()
        doors.setSpacing(14)
        self.borrow_button = button(self.tr("Quét thẻ để mượn sách"), "big",
                                    lambda: self.nav.go("identify", then="borrow"))
        self.return_button = button(self.tr("Trả sách"), "big", lambda: self.nav.go("return"))
        self.search_button = button(self.tr("Tìm sách"), "big", lambda: self.nav.go("search"))
        self.account_button = button(self.tr("Tài khoản của tôi"), "big",
                                     lambda: self.nav.go("identify", then="account"))
        doors.addWidget(self.borrow_button, 0, 0, 1, 3)
        doors.addWidget(self.return_button, 1, 0)
        doors.addWidget(self.search_button, 1, 1)
        doors.addWidget(self.account_button, 1, 2)
        layout.addLayout(doors)

        self.rotation = QTimer(self)
        self.rotation.setInterval(ROTATE_MS)
        self.rotation.timeout.connect(self.next_arrival)

    def enter(self, **kwargs) -> None:
        self.run(lambda: (queries.library_info(self.ctx.library),
                          self.ctx.library.catalogue.new_arrivals(12)), self._loaded)
        self.rotation.start()

    def _loaded(self, result) -> None:
        info, arrivals = result
        self.name.setText(info.get("name") or "")
        hours = info.get("opening_hours")
        self.hours.setText(self.tr("Giờ mở cửa: %1").replace("%1", hours) if hours else "")
        self.arrivals = arrivals
        self.arrival_index = -1
        self.next_arrival()

    def next_arrival(self) -> None:
        self.arrival_box.setVisible(bool(self.arrivals))
        if not self.arrivals:
            return
        self.arrival_index = (self.arrival_index + 1) % len(self.arrivals)
        record = self.arrivals[self.arrival_index]
        self.arrival_title.setText(record["title"])
        byline = ", ".join(record.get("authors") or [])
        if record.get("year"):
            byline = f"{byline} · {record['year']}" if byline else str(record["year"])
        self.arrival_author.setText(byline)

    def choose_language(self, lang: str) -> None:
        for code, choice in self.language_buttons.items():
            choice.setChecked(code == self.lang)
        if lang != self.lang and hasattr(self.nav, "set_language"):
            self.nav.set_language(lang)

    def on_scan(self, code: str) -> bool:
        self.run(lambda: classify_scan(self.ctx.library, code), lambda found: self._scanned(code, found))
        return True

    def _scanned(self, code: str, found: dict) -> None:
        if found["kind"] != "item":
            self.nav.go("identify", then="borrow", card=code)
            return
        self.scanned_item = found
        if found["on_loan"]:
            text = self.tr("Bạn vừa quét sách “%1”. Bạn muốn trả sách này, hay xem thông tin sách?")
        else:
            text = self.tr("Bạn vừa quét sách “%1”. Sách này không có ai đang mượn. "
                           "Muốn mượn, hãy quét thẻ bạn đọc trước.")
        self.item_text.setText(text.replace("%1", found["title"]))
        self.item_return_button.setVisible(bool(found["on_loan"]))
        self.item_box.setVisible(True)

    def _return_item(self) -> None:
        barcode = self.scanned_item.get("barcode")
        self._close_item()
        if barcode:
            self.nav.go("return", barcode=barcode)

    def _show_item(self) -> None:
        record_id = self.scanned_item.get("record_id")
        self._close_item()
        if record_id:
            self.nav.go("record", record_id=record_id)

    def _close_item(self) -> None:
        self.scanned_item = {}
        self.item_box.setVisible(False)
        self.item_text.clear()

    def reset(self) -> None:
        super().reset()
        self._close_item()

    def hideEvent(self, event) -> None:
        self.rotation.stop()
        super().hideEvent(event)

    def speech_text(self) -> str:
        if self.item_box.isVisible():
            return self.item_text.text()
        return ". ".join(t for t in (
            self.name.text(), self.hours.text(),
            self.tr("Quét thẻ để mượn sách, chọn Trả sách hoặc Tìm sách.")) if t)
