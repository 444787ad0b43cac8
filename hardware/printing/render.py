"""Lay out each slip kind on a Canvas: what goes where, in Vietnamese.

Paper widths map to printhead dots at 203 dpi: 58 mm paper prints 384 dots, 80 mm prints 576.
"""

from __future__ import annotations

from functools import singledispatch

from PIL import Image

from .canvas import Canvas
from .slips import (
    VIETNAMESE_LETTERS,
    LoanSlip,
    PatronCardSlip,
    ReturnSlip,
    SlipItem,
    SpineLabel,
    TestPage,
    format_date_vi,
    format_datetime_vi,
)

PAPER_DOTS = {58: 384, 80: 576}
TITLE_SIZE = 30
HEADER_SIZE = 24
BODY_SIZE = 22
SMALL_SIZE = 18
DUE_SIZE = 40   # the one thing an elderly reader must find: larger than any other text
SPINE_SIZE = 36  # a call number read on a shelf from a step away


def dots_for_paper(paper_mm: int) -> int:
    """Printable dots for a paper width in millimetres (58 or 80)."""
    try:
        return PAPER_DOTS[paper_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, got {paper_mm}") from None


def _count_books(count: int) -> str:
    return f"Tổng số: {count} cuốn"


def _header(canvas: Canvas, library_name: str, title: str) -> None:
    canvas.text(library_name, HEADER_SIZE, bold=True, align="center")
    canvas.space(6)
    canvas.text(title, TITLE_SIZE, bold=True, align="center")
    canvas.space(6)


def _transaction(canvas: Canvas, transaction_id: str, footer: str) -> None:
    canvas.rule()
    canvas.space(8)
    canvas.code128(transaction_id)
    canvas.space(4)
    canvas.text(f"Mã giao dịch: {transaction_id}", SMALL_SIZE, align="center")
    canvas.space(10)
    canvas.text(footer, BODY_SIZE, align="center")


def _items(canvas: Canvas, items: tuple[SlipItem, ...], *, show_due: bool) -> None:
    for number, item in enumerate(items, start=1):
        canvas.text(f"{number}. {item.title}", BODY_SIZE, bold=True)
        canvas.text(f"Mã sách: {item.barcode}", BODY_SIZE)
        if show_due and item.due is not None:
            weekday, date = format_date_vi(item.due).split(", ")
            canvas.text(f"Hạn trả: {weekday}", BODY_SIZE, bold=True)
            canvas.text(date, DUE_SIZE, bold=True)
        if item.hold_for:
            canvas.text(f"Đặt lên giá sách giữ chỗ cho: {item.hold_for}", BODY_SIZE, bold=True)
        elif item.held:
            canvas.text("Có bạn đọc đặt trước: xin để sách lên giá giữ chỗ.", BODY_SIZE, bold=True)
        canvas.space(6)


@singledispatch
def draw(slip: object, canvas: Canvas) -> None:
    raise TypeError(f"no layout for {type(slip).__name__}")


@draw.register
def _(slip: LoanSlip, canvas: Canvas) -> None:
    _header(canvas, slip.library_name, "PHIẾU MƯỢN SÁCH")
    canvas.text(format_datetime_vi(slip.printed_at), SMALL_SIZE, align="center")
    canvas.rule()
    canvas.text(f"Bạn đọc: {slip.patron.display_name}", BODY_SIZE)
    canvas.text(f"Số thẻ: {slip.patron.card_tail}", BODY_SIZE)
    canvas.rule()
    _items(canvas, slip.items, show_due=True)
    canvas.text(_count_books(len(slip.items)), BODY_SIZE, bold=True)
    _transaction(canvas, slip.transaction_id, slip.footer)


@draw.register
def _(slip: ReturnSlip, canvas: Canvas) -> None:
    _header(canvas, slip.library_name, "PHIẾU TRẢ SÁCH")
    canvas.text(format_datetime_vi(slip.printed_at), SMALL_SIZE, align="center")
    canvas.rule()
    if slip.patron is not None:
        canvas.text(f"Bạn đọc: {slip.patron.display_name}", BODY_SIZE)
        canvas.text(f"Số thẻ: {slip.patron.card_tail}", BODY_SIZE)
        canvas.rule()
    _items(canvas, slip.items, show_due=False)
    canvas.text(_count_books(len(slip.items)), BODY_SIZE, bold=True)
    _transaction(canvas, slip.transaction_id, slip.footer)


@draw.register
def _(slip: PatronCardSlip, canvas: Canvas) -> None:
    _header(canvas, slip.library_name, "THẺ BẠN ĐỌC")
    canvas.text(slip.full_name, HEADER_SIZE, bold=True, align="center")
    canvas.text(f"Số thẻ: {slip.card_number}", BODY_SIZE, align="center")
    canvas.text(f"Hết hạn: {format_date_vi(slip.expires)}", BODY_SIZE, align="center")
    canvas.rule()
    canvas.space(8)
    canvas.code128(slip.card_number)
    canvas.space(12)
    canvas.qr(slip.card_number)
    canvas.space(6)
    canvas.text(slip.footer, BODY_SIZE, align="center")


@draw.register
def _(slip: TestPage, canvas: Canvas) -> None:
    paper = next((mm for mm, dots in PAPER_DOTS.items() if dots == canvas.width), None)
    _header(canvas, slip.library_name, "TRANG IN THỬ")
    canvas.text(format_datetime_vi(slip.printed_at), SMALL_SIZE, align="center")
    if slip.printer:
        canvas.text(f"Máy in: {slip.printer}", SMALL_SIZE, align="center")
    size = f"{paper} mm, " if paper else ""
    canvas.text(f"Khổ giấy: {size}{canvas.width} điểm", BODY_SIZE, align="center")
    canvas.ruler()
    canvas.space(8)
    for line in VIETNAMESE_LETTERS:
        canvas.text(line, BODY_SIZE)
    canvas.space(8)
    canvas.code128(check_code(canvas.width))
    canvas.text(check_code(canvas.width), SMALL_SIZE, align="center")
    canvas.space(8)
    canvas.text("Máy in hoạt động tốt nếu mọi dòng trên rõ nét.", SMALL_SIZE, align="center")


@draw.register
def _(slip: SpineLabel, canvas: Canvas) -> None:
    canvas.text(slip.library_name, SMALL_SIZE, align="center")
    canvas.space(6)
    for part in slip.call_number.split():
        canvas.text(part, SPINE_SIZE, bold=True, align="center")
    canvas.space(8)
    canvas.code128(slip.barcode)
    canvas.text(slip.barcode, BODY_SIZE, align="center")


def check_code(width: int) -> str:
    """The content of the test page's barcode, so a scanner check can confirm the width."""
    return f"KIOSK-TEST-{width}"



def render(slip: object, width: int) -> Image.Image:
    """The slip as a 1-bit image `width` dots wide."""
    canvas = Canvas(width)
    canvas.space(4)
    draw(slip, canvas)
    canvas.space(16)
    return canvas.image()
