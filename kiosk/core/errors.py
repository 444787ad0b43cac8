"""Refusals a patron or librarian sees, each with a stable code and a Vietnamese message."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "patron_not_found": ("Không tìm thấy thẻ bạn đọc {card}.", "Patron card {card} not found."),
    "card_expired": (
        "Thẻ bạn đọc đã hết hạn ngày {expires}. Vui lòng gặp thủ thư để gia hạn thẻ.",
        "The library card expired on {expires}. Please see the librarian to renew it.",
    ),
    "patron_blocked": (
        "Thẻ bạn đọc đang bị khóa: {reason}. Vui lòng gặp thủ thư.",
        "This card is blocked: {reason}. Please see the librarian.",
    ),
    "overdue_block": (
        "Bạn có {count} cuốn sách quá hạn trên {days} ngày. Vui lòng trả sách trước khi mượn thêm.",
        "You have {count} item(s) overdue by more than {days} days. Please return them first.",
    ),
    "max_loans": (
        "Bạn đã mượn tối đa {max} cuốn ({kind}). Vui lòng trả bớt sách trước khi mượn thêm.",
        "You have reached the limit of {max} loans ({kind_en}). Please return some first.",
    ),
    "item_not_found": (
        "Không tìm thấy sách có mã vạch {barcode}. Vui lòng quét lại hoặc gặp thủ thư.",
        "No item with barcode {barcode}. Scan again or see the librarian.",
    ),
    "item_not_for_loan": (
        "Sách này chỉ đọc tại chỗ, không cho mượn về nhà.",
        "This item is for reading in the library only.",
    ),
    "item_unavailable": (
        "Sách này hiện không thể cho mượn (tình trạng: {status}). Vui lòng gặp thủ thư.",
        "This item cannot be lent (status: {status}). Please see the librarian.",
    ),
    "item_on_loan": (
        "Sách này đang được người khác mượn. Vui lòng gặp thủ thư.",
        "This item is on loan to someone else. Please see the librarian.",
    ),
    "already_on_loan_to_you": (
        "Bạn đang mượn cuốn sách này rồi (hạn trả {due}).",
        "You already have this item (due {due}).",
    ),
    "item_on_hold_for_other": (
        "Sách này đang được giữ cho một bạn đọc khác đã đặt trước.",
        "This item is being held for another patron.",
    ),
    "not_on_loan": (
        "Sách này không có trong danh sách đang mượn.",
        "This item is not on loan.",
    ),
    "not_your_loan": (
        "Sách này không do bạn mượn.",
        "This item is not on loan to you.",
    ),
    "renewal_limit": (
        "Sách này đã được gia hạn tối đa {max} lần. Vui lòng trả sách.",
        "This loan has reached its limit of {max} renewals. Please return it.",
    ),
    "renewal_on_hold": (
        "Không thể gia hạn: đã có bạn đọc khác đặt trước sách này.",
        "Cannot renew: another patron has placed a hold on this title.",
    ),
    "record_not_found": ("Không tìm thấy đầu sách {record}.", "Title {record} not found."),
    "hold_exists": (
        "Bạn đã đặt trước đầu sách này rồi.",
        "You already have a hold on this title.",
    ),
    "hold_has_copy": (
        "Bạn đang mượn một bản của đầu sách này.",
        "You already have a copy of this title on loan.",
    ),
    "hold_not_possible": (
        "Đầu sách này không có bản nào cho mượn để đặt trước.",
        "This title has no lendable copy to hold.",
    ),
    "hold_not_found": ("Không tìm thấy yêu cầu đặt trước.", "Hold not found."),
    "request_not_found": ("Không tìm thấy yêu cầu.", "Request not found."),
    "bad_pin": ("Mã PIN không đúng.", "Wrong PIN."),
    "clock_wrong": (
        "Đồng hồ của máy đang sai nên không tính được hạn trả. {reason}",
        "This device's clock is wrong, so no due date can be computed. {reason_en}",
    ),
    "invalid_input": ("Dữ liệu không hợp lệ: {detail}", "Invalid input: {detail}"),
    "duplicate": ("Đã tồn tại: {detail}", "Already exists: {detail}"),
}


class LibraryError(Exception):
    """A refusal: ``code`` for programs, ``message`` (Vietnamese) and ``message_en`` for people."""

    def __init__(self, code: str, **details: Any):
        vi, en = MESSAGES[code]
        self.code = code
        self.details = details
        self.message = vi.format(**details)
        self.message_en = en.format(**details)
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en}
