"""Identification: scan the library card, or type the card number and PIN on the keypad.

A scanned card is the credential itself (as at the counter); typing a card number needs
its PIN. Blocks (expired card, blocked, long overdue) are shown in the core's own words;
a blocked patron may still open "my account", but not borrow.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout

from kiosk.ui.keys import Keypad
from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import Message, button, heading, label


def _identify(lib, card: str, pin: str | None) -> dict:
    """Runs on the database thread: authenticate, check blocks, count the visit."""
    patron = lib.patrons.authenticate(card, pin) if pin is not None else lib.patrons.get(card)
    blocks = lib.circulation.check_patron(card)
    lib.circulation.record_visit(card)
    return {"card": patron["card_number"], "name": patron["name"],
            "address": patron.get("address") or "", "blocks": blocks}


class IdentifyScreen(Screen):
    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        self.then = "borrow"
        self.then_args: dict = {}
        self.busy = False
        outer = QHBoxLayout(self)
        outer.setContentsMargins(32, 20, 32, 20)
        outer.setSpacing(32)
        left = QVBoxLayout()
        self.title = heading(self.tr("Quét thẻ bạn đọc"))
        self.hint = label(self.tr(
            "Đưa mã vạch trên thẻ vào máy quét. Hoặc nhập số thẻ và mã PIN bằng bàn phím số."))
        self.message = Message()
        form = QGridLayout()
        self.card = QLineEdit()
        self.card.setPlaceholderText(self.tr("Số thẻ"))
        self.pin = QLineEdit()
        self.pin.setPlaceholderText(self.tr("Mã PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.card.setAccessibleName(self.tr("Số thẻ bạn đọc"))
        self.card.setAccessibleDescription(self.tr("Quét thẻ, hoặc nhập số thẻ bằng bàn phím số"))
        self.pin.setAccessibleName(self.tr("Mã PIN"))
        self.pin.setAccessibleDescription(self.tr("Mã PIN của thẻ, nhập bằng bàn phím số"))
        form.addWidget(label(self.tr("Số thẻ")), 0, 0)
        form.addWidget(self.card, 0, 1)
        form.addWidget(label(self.tr("Mã PIN")), 1, 0)
        form.addWidget(self.pin, 1, 1)
        for field in (self.card, self.pin):
            field.installEventFilter(self)
        self.pin.returnPressed.connect(self.submit)
        self.card.returnPressed.connect(self.pin.setFocus)
        left.addWidget(self.title)
        left.addWidget(self.hint)
        left.addLayout(form)
        left.addWidget(self.message)
        left.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(button(self.tr("Quay lại"), "", self.nav.logout))
        self.login_button = button(self.tr("Đăng nhập"), "primary", self.submit)
        actions.addWidget(self.login_button)
        left.addLayout(actions)
        outer.addLayout(left, 3)
        self.keypad = Keypad()
        self.keypad.target = self.card
        outer.addWidget(self.keypad, 2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self.keypad.target = watched
        return False

    def enter(self, then: str = "borrow", then_args: dict | None = None,
              card: str | None = None, **kwargs) -> None:
        self.then, self.then_args = then, dict(then_args or {})
        self.card.setText(self.ctx.settings.get("card_prefix", ""))
        self.keypad.target = self.card
        if card:
            self.on_scan(card)

    def reset(self) -> None:
        super().reset()
        self.card.clear()
        self.pin.clear()
        self.message.clear()
        self.busy = False
        self.login_button.setEnabled(True)

    def on_scan(self, code: str) -> bool:
        self._identify(code.strip(), None)
        return True

    def submit(self) -> None:
        card, pin = self.card.text().strip(), self.pin.text().strip()
        if not card or not pin:
            self.message.show_text(self.tr("Vui lòng nhập số thẻ và mã PIN."), "error")
            return
        self._identify(card, pin)

    def _identify(self, card: str, pin: str | None) -> None:
        if self.busy or not card:
            return
        self.busy = True
        self.login_button.setEnabled(False)
        self.message.show_text(self.tr("Đang kiểm tra thẻ…"), "pending")
        self.run(lambda: _identify(self.ctx.library, card, pin), self._identified, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.login_button.setEnabled(True)
        self.pin.clear()
        self.message.show_text(self.error(exc), "error")

    def _identified(self, found: dict) -> None:
        self.busy = False
        self.login_button.setEnabled(True)
        blocks = [self.error(b) for b in found["blocks"]]
        if blocks and self.then == "borrow":
            self.pin.clear()
            self.message.show_text("\n".join(blocks), "error")
            return
        self.nav.session.sign_in(found["card"], found["name"], found["address"], blocks)
        then, then_args = self.then, self.then_args
        self.reset()
        self.nav.go(then, **then_args)

    def speech_text(self) -> str:
        parts = [self.title.text(), self.hint.text()]
        if self.message.isVisible():
            parts.append(self.message.text())
        return ". ".join(parts)
