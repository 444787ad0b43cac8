"""My account: loans with due dates (overdue in red), renew one or all, holds, requests."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.core.dates import vn_date
from kiosk.core.errors import LibraryError
from kiosk.ui import queries
from kiosk.ui.patron.base import Screen
from kiosk.ui.patron.record import shelf_status
from kiosk.ui.widgets import Message, RowList, button, heading


class AccountScreen(Screen):
    needs_session = True

    def __init__(self, ctx, nav, parent=None):
        super().__init__(ctx, nav, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.title = heading()
        self.renew_all_button = button(self.tr("Gia hạn tất cả"), "primary", self.renew_all)
        self.renew_all_button.setMaximumWidth(360)
        top.addWidget(self.title, 1)
        top.addWidget(self.renew_all_button)
        layout.addLayout(top)
        self.message = Message()
        layout.addWidget(self.message)
        self.rows = RowList()
        layout.addWidget(self.rows, 1)
        actions = QHBoxLayout()
        actions.addWidget(button(self.tr("Mượn sách"), "", lambda: self.nav.go("borrow")))
        actions.addWidget(button(self.tr("Tìm sách"), "", lambda: self.nav.go("search")))
        actions.addWidget(button(self.tr("Đăng xuất"), "primary", self.nav.logout))
        layout.addLayout(actions)
        self.loan_count = 0

    def enter(self, **kwargs) -> None:
        self.title.setText(self.tr("Tài khoản: %1").replace("%1", self.nav.session.name))
        self.refresh()

    def refresh(self) -> None:
        card = self.nav.session.card
        if card is None:
            return
        self.run(lambda: queries.account(self.ctx.library, card), self._show,
                 lambda exc: self.message.show_text(self.error(exc), "error"))
        self.run(lambda: queries.suggestions(self.ctx.library, self.ctx.recommender, card),
                 self._show_suggestions)

    def _show_suggestions(self, found: list[dict]) -> None:
        """"Gợi ý cho bạn" after the account (the worker answers in order)."""
        if not found:
            return
        self._section(self.tr("Gợi ý cho bạn"))
        for title in found:
            detail, state = shelf_status(title)
            self.rows.add(title["title"], detail, state,
                          on_click=lambda rid=title["id"]: self.nav.go("record", record_id=rid,
                                                                       back="account"))

    def _section(self, text: str) -> None:
        row = self.rows.add(text, "", "")
        row.setObjectName("section")
        row.setStyleSheet("QFrame#section { border: none; background: transparent; }")

    def _show(self, data: dict) -> None:
        self.rows.clear()
        if data["blocks"]:
            self.message.show_text("\n".join(self.error(b) for b in data["blocks"]), "error")
        loans = data["loans"]
        self.loan_count = len(loans)
        self.renew_all_button.setEnabled(bool(loans))
        self._section(self.tr("Sách đang mượn (%1)").replace("%1", str(len(loans))))
        if not loans:
            self.rows.add(self.tr("Bạn không có sách đang mượn."), "", "")
        for loan in loans:
            due = self.tr("Hạn trả: %1").replace("%1", vn_date(loan["due_date"]))
            if loan["overdue_days"]:
                due += " — " + self.tr("quá hạn %1 ngày").replace("%1", str(loan["overdue_days"]))
            row = self.rows.add(loan["title"], due, "error" if loan["overdue_days"] else "ok")
            barcode = loan["barcode"]
            row.add_action(self.tr("Gia hạn"), lambda _=False, b=barcode, r=row: self.renew(b, r))
        holds = data["holds"]
        if holds:
            self._section(self.tr("Sách đặt trước (%1)").replace("%1", str(len(holds))))
        for hold in holds:
            if hold["status"] == "trapped":
                detail = self.tr("Đã có sách, mời nhận tại quầy đến hết ngày %1").replace(
                    "%1", vn_date(hold["pickup_expires"]))
                state = "notice"
            else:
                detail = self.tr("Thứ tự chờ: %1").replace("%1", str(hold["position"]))
                state = ""
            self.rows.add(hold["title"], detail, state)
        requests = data["requests"]
        if requests:
            self._section(self.tr("Yêu cầu (%1)").replace("%1", str(len(requests))))
        for request in requests:
            self.rows.add(request["title"], f"{request['kind_label']}: {request['status_label']}", "")

    def renew(self, barcode: str, row) -> None:
        card = self.nav.session.card
        if card is None:
            return

        def done(loan) -> None:
            row.update_row(None, self.tr("Đã gia hạn. Hạn trả mới: %1").replace(
                "%1", vn_date(loan.due_date)), "ok")

        self.run(lambda: self.ctx.library.circulation.renew(card, barcode), done,
                 lambda exc: row.update_row(None, self.error(exc), "error"), changes="circulation")

    def renew_all(self) -> None:
        card = self.nav.session.card
        if card is None:
            return

        def done(results) -> None:
            renewed = sum(1 for r in results if not isinstance(r, LibraryError))
            refused = [self.error(r) for r in results if isinstance(r, LibraryError)]
            text = self.tr("Đã gia hạn %1 cuốn.").replace("%1", str(renewed))
            if refused:
                text += " " + self.tr("Không gia hạn được %1 cuốn.").replace("%1", str(len(refused)))
            self.refresh()
            self.message.show_text(text, "error" if refused and not renewed else "ok")

        self.run(lambda: self.ctx.library.circulation.renew_all(card), done,
                 lambda exc: self.message.show_text(self.error(exc), "error"), changes="circulation")

    def reset(self) -> None:
        super().reset()
        self.rows.clear()
        self.title.clear()
        self.message.clear()
        self.loan_count = 0

    def speech_text(self) -> str:
        parts = [self.title.text()]
        parts += [f"{r.title.text()}, {r.detail.text()}" for r in self.rows.rows[:6]]
        return ". ".join(parts)
