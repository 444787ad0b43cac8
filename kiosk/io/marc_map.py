"""The MARC21 fields the kiosk understands, in both directions.

Holdings follow Koha's 952 convention (the system most Vietnamese libraries export
from) and the standard 852. Only what a commune library catalogue keeps is mapped;
everything else in a record is ignored on import rather than rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pymarc import Field, Indicators, Leader, Record, Subfield

from kiosk.core import isbn as isbnlib

ITEM_TYPE_CODES = {
    "book": "BK", "children": "CHILD", "periodical": "CR", "av": "VM", "reference": "REF",
}
_ITEM_TYPE_ALIASES = {
    "book": {"bk", "book", "books", "sach", "sách", "mono"},
    "children": {"child", "children", "juv", "jf", "thieunhi", "thiếu nhi", "tn"},
    "periodical": {"cr", "per", "serial", "periodical", "journal", "magazine", "bao", "báo",
                   "tapchi", "tạp chí"},
    "av": {"vm", "av", "mu", "cf", "dvd", "cd", "video", "audio", "nghenhin", "nghe nhìn"},
    "reference": {"ref", "reference", "tracuu", "tra cứu"},
}
_TRAILING = re.compile(r"[\s/:;,=]+$")
_INITIAL_DOT = re.compile(r"(\b\w|\.\.)\.$")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_ISBN_TEXT = re.compile(r"(?:ISBN[:\s]*)?([0-9Xx][0-9Xx\-\s]{8,}[0-9Xx])", re.IGNORECASE)
_PRICE_DECIMALS = re.compile(r"[.,]\d{1,2}$")


@dataclass
class MappedItem:
    barcode: str
    library_id: str | None = None
    location: str | None = None
    call_number: str | None = None
    item_type: str = "book"
    price: int | None = None


@dataclass
class MappedRecord:
    fields: dict[str, Any]
    items: list[MappedItem] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def strip_isbd(text: str | None) -> str:
    """Drop trailing ISBD punctuation (``Title /``, ``Tô Hoài,``, ``Hà Nội :``)."""
    text = _TRAILING.sub("", (text or "").strip())
    if text.endswith(".") and not _INITIAL_DOT.search(text):
        text = _TRAILING.sub("", text[:-1])
    return text.strip()


def item_type_from_code(code: str | None) -> str:
    key = (code or "").strip().lower()
    for ours, aliases in _ITEM_TYPE_ALIASES.items():
        if key in aliases:
            return ours
    return "book"


def parse_price(text: str | None) -> int | None:
    """``45000.00`` (Koha), ``45.000`` and ``45,000 đ`` (Vietnamese habits) -> 45000."""
    match = re.search(r"\d[\d.,\s]*", text or "")
    if not match:
        return None
    digits = _PRICE_DECIMALS.sub("", match.group(0).strip())
    digits = re.sub(r"\D", "", digits)
    return int(digits) if digits else None


def first_isbn13(record: Record) -> str | None:
    for f in record.get_fields("020"):
        for value in f.get_subfields("a"):
            match = _ISBN_TEXT.search(value)
            code = isbnlib.to_isbn13(match.group(1)) if match else None
            if code:
                return code
    return None


def _first(record: Record, tags: tuple[str, ...], code: str) -> str | None:
    return _first_of(record.get_fields(*tags), code)


def _control(record: Record, tag: str) -> str:
    f = record.get(tag)
    return (f.data or "") if f is not None and f.is_control_field() else ""


def _publication(record: Record) -> list[Field]:
    fields = record.get_fields("260")
    fields += sorted(record.get_fields("264"), key=lambda f: f.indicator2 != "1")
    return fields


def _year(record: Record) -> int | None:
    for f in _publication(record):
        for value in f.get_subfields("c"):
            if match := _YEAR.search(value):
                return int(match.group(1))
    date1 = _control(record, "008")[7:11]
    return int(date1) if _YEAR.fullmatch(date1) else None


def _subject(f: Field) -> str:
    parts = [strip_isbd(sf.value) for sf in f.subfields if sf.code in "avxyz"]
    return " -- ".join(p for p in parts if p)


def _items(record: Record, problems: list[str]) -> list[MappedItem]:
    """Copies from Koha's 952 and the standard 852; one without a barcode is reported."""
    items = []
    for f in record.get_fields("952"):
        barcode = (f.get("p") or "").strip()
        if barcode:
            items.append(MappedItem(
                barcode=barcode, library_id=f.get("a") or f.get("b"), location=f.get("c"),
                call_number=f.get("o"), item_type=item_type_from_code(f.get("y")),
                price=parse_price(f.get("g"))))
        else:
            problems.append("trường 952 (bản sách) không có mã vạch ($p): bản sách này "
                            "không được nhập")
    for f in record.get_fields("852"):
        barcode = (f.get("p") or "").strip()
        if barcode:
            call = " ".join(v.strip() for v in f.get_subfields("h", "i") if v.strip())
            items.append(MappedItem(
                barcode=barcode, library_id=f.get("a") or f.get("b"), location=f.get("c"),
                call_number=call or None))
        else:
            problems.append("trường 852 (nơi lưu giữ) không có mã vạch ($p): bản sách này "
                            "không được nhập")
    return items


def from_marc(record: Record) -> MappedRecord:
    """The kiosk's record fields, items and links for one MARC record."""
    fields: dict[str, Any] = {
        "control_number": _control(record, "001").strip() or None,
        "isbn13": first_isbn13(record),
        "language": _first(record, ("041",), "a") or (_control(record, "008")[35:38].strip()
                                                     or None),
        "ddc": _first(record, ("082",), "a"),
        "edition": _first(record, ("250",), "a"),
        "place": _first_of(_publication(record), "a"),
        "publisher": _first_of(_publication(record), "b"),
        "year": _year(record),
        "series": _first(record, ("490", "440"), "a"),
    }
    title = record.get("245")
    if title is not None:
        fields["title"] = strip_isbd(" ".join(title.get_subfields("a")))
        fields["subtitle"] = strip_isbd(" ".join(title.get_subfields("b"))) or None
    main = [strip_isbd(f.get("a")) for f in record.get_fields("100", "110")]
    added = [strip_isbd(f.get("a")) for f in record.get_fields("700", "710")]
    fields["authors"] = list(dict.fromkeys(a for a in main + added if a))
    fields["subjects"] = list(dict.fromkeys(
        s for s in (_subject(f) for f in record.get_fields("650", "651")) if s))
    physical = record.get("300")
    if physical is not None:
        fields["physical"] = strip_isbd(" ".join(physical.get_subfields("a", "b", "c", "e")))
    notes = [strip_isbd(f.get("a")) for f in record.get_fields("500")]
    fields["notes"] = "\n".join(n for n in notes if n) or None
    problems: list[str] = []
    mapped = MappedRecord(fields={k: v for k, v in fields.items() if v not in (None, "")},
                          items=_items(record, problems), problems=problems)
    for f in record.get_fields("856"):
        materials = " ".join(f.get_subfields("3"))
        for uri in f.get_subfields("u"):
            if re.search(r"cover|bìa", materials, re.IGNORECASE):
                mapped.fields.setdefault("cover", uri.strip())
            else:
                mapped.links.append((uri.strip(), materials or f.get("y") or ""))
    return mapped


def _first_of(fields: list[Field], code: str) -> str | None:
    for f in fields:
        for value in f.get_subfields(code):
            if strip_isbd(value):
                return strip_isbd(value)
    return None


def _df(tag: str, ind: str, *pairs: tuple[str, Any]) -> Field | None:
    subfields = [Subfield(code, str(value)) for code, value in pairs if value not in (None, "")]
    if not subfields:
        return None
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def to_marc(rec: dict[str, Any], items: list[dict[str, Any]],
            attachments: list[dict[str, Any]] = ()) -> Record:
    """A UTF-8 MARC21 bibliographic record (with 952 holdings) for one kiosk record."""
    record = Record(force_utf8=True, leader=Leader("00000nam a2200000 a 4500"))
    record.add_field(Field(tag="001", data=rec.get("control_number") or rec["id"]))
    authors = rec.get("authors") or []
    subtitle = rec.get("subtitle")
    candidates = [
        _df("020", "  ", ("a", rec.get("isbn13"))),
        _df("041", "0 ", ("a", rec.get("language"))),
        _df("082", "04", ("a", rec.get("ddc"))),
        *[_df("100" if i == 0 else "700", ("1" if "," in a else "0") + " ", ("a", a))
          for i, a in enumerate(authors)],
        _df("245", ("1" if authors else "0") + "0",
            ("a", rec["title"] + (" :" if subtitle else "")), ("b", subtitle)),
        _df("250", "  ", ("a", rec.get("edition"))),
        _df("260", "  ", ("a", rec.get("place")), ("b", rec.get("publisher")),
            ("c", rec.get("year"))),
        _df("300", "  ", ("a", rec.get("physical"))),
        _df("490", "0 ", ("a", rec.get("series"))),
        *[_df("500", "  ", ("a", line)) for line in (rec.get("notes") or "").splitlines()],
    ]
    for subject in rec.get("subjects") or []:
        head, *subdivisions = subject.split(" -- ")
        candidates.append(_df("650", " 4", ("a", head), *[("x", s) for s in subdivisions]))
    if rec.get("cover"):
        candidates.append(_df("856", "42", ("3", "Ảnh bìa"), ("u", rec["cover"])))
    for att in attachments:
        candidates.append(_df("856", "40", ("u", att["uri"]), ("y", att.get("label"))))
    for item in items:
        candidates.append(_df(
            "952", "  ", ("a", item.get("library_id")), ("b", item.get("library_id")),
            ("c", item.get("location")), ("g", item.get("price")), ("o", item.get("call_number")),
            ("p", item["barcode"]), ("y", ITEM_TYPE_CODES.get(item.get("item_type"), "BK"))))
    for f in candidates:
        if f is not None:
            record.add_field(f)
    return record
