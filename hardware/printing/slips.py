"""What a slip says: plain dataclasses, independent of the library core.

The lead's adapter turns core loan data into these. Patron details are masked when the slip is
built (`MaskedPatron.from_card`), so the full card number never reaches the print queue's file
or the paper. Only the patron-card slip carries a full card number: printing it is its purpose.
Every slip round-trips through JSON so the persistent queue can re-render it later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
DEFAULT_FOOTER = "Cảm ơn bạn đã đến thư viện!"
VIETNAMESE_LETTERS = (
    "ĂÂĐÊÔƠƯ ăâđêôơư",
    "àảãáạ ằẳẵắặ ầẩẫấậ",
    "èẻẽéẹ ềểễếệ ìỉĩíị",
    "òỏõóọ ồổỗốộ ờởỡớợ",
    "ùủũúụ ừửữứự ỳỷỹýỵ",
    "ÀẢÃÁẠ ẰẲẴẮẶ ẦẨẪẤẬ",
    "ÈẺẼÉẸ ỀỂỄẾỆ ÌỈĨÍỊ",
    "ÒỎÕÓỌ ỒỔỖỐỘ ỜỞỠỚỢ",
    "ÙỦŨÚỤ ỪỬỮỨỰ ỲỶỸÝỴ",
)


def nfc(text: str) -> str:
    """Precomposed form, so the font's single Vietnamese glyphs are used."""
    return unicodedata.normalize("NFC", text)


def format_date_vi(day: dt.date) -> str:
    """`Thứ Hai, 07/12/2026`: the weekday and dd/mm/yyyy as Vietnamese readers expect."""
    return f"{WEEKDAYS_VI[day.weekday()]}, {day:%d/%m/%Y}"


def format_datetime_vi(moment: dt.datetime) -> str:
    return f"{moment:%H:%M} {format_date_vi(moment.date())}"


def mask_card_number(card_number: str, visible: int = 4) -> str:
    """Keep only the last `visible` characters: `****1234` (asterisks survive any font)."""
    card = "".join(card_number.split())
    if not card:
        raise ValueError("card number must not be empty")
    tail = card[-visible:] if len(card) > visible else card[-max(1, len(card) // 2):]
    return "*" * 4 + tail


def short_name(full_name: str) -> str:
    """Initials of the family and middle names plus the given name: `Nguyễn Thị Lan` -> `N.T. Lan`.

    Vietnamese names put the given name last; it is what staff call a patron by.
    """
    words = nfc(full_name).split()
    if not words:
        return ""
    initials = "".join(f"{word[0].upper()}." for word in words[:-1])
    return f"{initials} {words[-1]}".strip()


@dataclass(frozen=True)
class MaskedPatron:
    """The only patron details a loan or return slip may show."""

    card_tail: str
    display_name: str

    @classmethod
    def from_card(cls, card_number: str, full_name: str) -> MaskedPatron:
        return cls(mask_card_number(card_number), short_name(full_name))


@dataclass(frozen=True)
class SlipItem:
    """One copy on a slip; `hold_for` (a masked name, counter slips only) or `held` (no
    name: a kiosk return slip goes to whoever returned the book) asks to shelve it for a hold."""

    title: str
    barcode: str
    due: dt.date | None = None
    hold_for: str | None = None
    held: bool = False


@dataclass(frozen=True)
class LoanSlip:
    library_name: str
    patron: MaskedPatron
    items: tuple[SlipItem, ...]
    transaction_id: str
    printed_at: dt.datetime
    footer: str = DEFAULT_FOOTER
    kind = "loan"


@dataclass(frozen=True)
class ReturnSlip:
    """``patron`` is None for returns at the kiosk, which need no identification."""

    library_name: str
    patron: MaskedPatron | None
    items: tuple[SlipItem, ...]
    transaction_id: str
    printed_at: dt.datetime
    footer: str = DEFAULT_FOOTER
    kind = "return"


@dataclass(frozen=True)
class PatronCardSlip:
    library_name: str
    card_number: str
    full_name: str
    expires: dt.date
    footer: str = DEFAULT_FOOTER
    kind = "patron_card"


@dataclass(frozen=True)
class TestPage:
    library_name: str
    printed_at: dt.datetime
    printer: str = ""
    kind = "test_page"

    __test__ = False


@dataclass(frozen=True)
class SpineLabel:
    """The label for a new copy's spine: call number large, the copy's barcode below. One
    label per job, so the cutter parts them."""

    library_name: str
    call_number: str
    barcode: str
    kind = "spine_label"


Slip = LoanSlip | ReturnSlip | PatronCardSlip | TestPage | SpineLabel
SLIP_TYPES: dict[str, type] = {cls.kind: cls for cls in (LoanSlip, ReturnSlip, PatronCardSlip, TestPage,
                                                         SpineLabel)}


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if isinstance(value, dict) and "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    return value


def slip_to_json(slip: Slip) -> str:
    return json.dumps(_encode(dataclasses.asdict(slip)), ensure_ascii=False, sort_keys=True)


def slip_from_json(kind: str, text: str) -> Slip:
    """Rebuild a slip stored by `slip_to_json`; ValueError for an unknown kind or bad fields."""
    cls = SLIP_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown slip kind: {kind!r}")
    raw = json.loads(text)
    values = {name: _decode_value(value) for name, value in raw.items()}
    if values.get("patron") is not None:
        values["patron"] = MaskedPatron(**values["patron"])
    if "items" in values:
        values["items"] = tuple(
            SlipItem(**{k: _decode_value(v) for k, v in item.items()}) for item in values["items"]
        )
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"stored {kind} slip does not match its fields: {exc}") from exc
