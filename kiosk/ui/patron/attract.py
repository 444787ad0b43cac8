"""The attract screen: what the library is, when it opens, what is new, and three big doors."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QVBoxLayout

from kiosk.ui import queries
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import button, heading, label

ROTATE_MS = 6000


class AttractScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.arrivals: list[dict] = []
        self.arrival_index = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 12, 32, 16)
        layout.setSpacing(10)
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

    def on_scan(self, code: str) -> bool:
        self.nav.go("identify", then="borrow", card=code)
        return True

    def hideEvent(self, event) -> None:
        self.rotation.stop()
        super().hideEvent(event)

    def speech_text(self) -> str:
        return ". ".join(t for t in (
            self.name.text(), self.hours.text(),
            self.tr("Quét thẻ để mượn sách, chọn Trả sách hoặc Tìm sách.")) if t)
