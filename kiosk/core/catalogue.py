"""Bibliographic records and the physical copies (items) that carry barcodes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable

from kiosk.core import isbn as isbnlib
from kiosk.core.errors import LibraryError
from kiosk.core.text import nfc

if TYPE_CHECKING:
    from kiosk.core.library import Library

RECORD_FIELDS = (
    "title", "subtitle", "authors", "publisher", "place", "year", "edition", "language",
    "subjects", "ddc", "isbn13", "series", "physical", "notes", "cover", "control_number",
)
ITEM_TYPES = ("book", "children", "periodical", "av", "reference")
# (Vietnamese, English) names of the item types, for messages such as the loan limit.
ITEM_TYPE_NAMES = {"book": ("sách", "books"), "children": ("sách thiếu nhi", "children's books"),
                   "periodical": ("báo – tạp chí", "periodicals"),
                   "av": ("tài liệu nghe nhìn", "audio-visual items"),
                   "reference": ("sách tra cứu", "reference books")}
ITEM_STATUSES = ("available", "lost", "damaged", "withdrawn", "in_repair", "missing")


def _clean_record(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in RECORD_FIELDS:
            raise LibraryError("invalid_input", detail=f"unknown record field {key!r}")
        if isinstance(value, str):
            value = nfc(value).strip() or None
        elif isinstance(value, list):
            value = [nfc(str(v)).strip() for v in value if str(v).strip()]
        out[key] = value
    if "isbn13" in out and out["isbn13"]:
        normalised = isbnlib.to_isbn13(str(out["isbn13"]))
        if normalised is None:
            raise LibraryError("invalid_input", detail=f"ISBN {out['isbn13']} không hợp lệ")
        out["isbn13"] = normalised
    if "year" in out and out["year"] is not None:
        try:
            out["year"] = int(out["year"])
        except (TypeError, ValueError):
            raise LibraryError("invalid_input", detail=f"năm xuất bản {out['year']!r}") from None
    return out


def record_dict(row) -> dict[str, Any]:
    data = dict(row)
    data.pop("rid", None)
    data["authors"] = json.loads(data.get("authors") or "[]")
    data["subjects"] = json.loads(data.get("subjects") or "[]")
    return data


class Catalogue:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def add_record(self, fields: dict[str, Any], record_id: str | None = None) -> str:
        cleaned = _clean_record(fields)
        if not cleaned.get("title"):
            raise LibraryError("invalid_input", detail="thiếu nhan đề (title)")
        now = self.lib.now_iso()
        cleaned.setdefault("authors", [])
        cleaned.setdefault("subjects", [])
        cleaned.update(created_at=now, updated_at=now)
        with self.lib.transaction():
            record_id = record_id or self.lib.log.new_entity_id()
            self.lib.put("records", record_id, cleaned)
        return record_id

    def update_record(self, record_id: str, fields: dict[str, Any]) -> None:
        self.get_record(record_id)
        cleaned = _clean_record(fields)
        cleaned["updated_at"] = self.lib.now_iso()
        self.lib.put("records", record_id, cleaned)

    def get_record(self, record_id: str) -> dict[str, Any]:
        row = self.store.one("SELECT * FROM records WHERE id = ?", (record_id,))
        if row is None:
            raise LibraryError("record_not_found", record=record_id)
        return record_dict(row)

    def find_by_isbn(self, text: str) -> dict[str, Any] | None:
        code = isbnlib.to_isbn13(text)
        if code is None:
            return None
        row = self.store.one("SELECT * FROM records WHERE isbn13 = ? ORDER BY rid LIMIT 1", (code,))
        return record_dict(row) if row else None

    def find_by_control_number(self, control: str) -> dict[str, Any] | None:
        row = self.store.one("SELECT * FROM records WHERE control_number = ?", (control,))
        return record_dict(row) if row else None

    def add_item(
        self,
        record_id: str,
        barcode: str,
        *,
        library_id: str | None = None,
        location: str | None = None,
        call_number: str | None = None,
        item_type: str = "book",
        status: str = "available",
        price: int | None = None,
    ) -> str:
        barcode = barcode.strip()
        if not barcode:
            raise LibraryError("invalid_input", detail="thiếu mã vạch")
        if item_type not in ITEM_TYPES:
            raise LibraryError("invalid_input", detail=f"loại tài liệu {item_type!r}")
        if status not in ITEM_STATUSES:
            raise LibraryError("invalid_input", detail=f"tình trạng {status!r}")
        self.get_record(record_id)
        owner = library_id or self.lib.code
        if self.store.one("SELECT 1 FROM items WHERE barcode = ? AND library_id = ?",
                          (barcode, owner)):
            raise LibraryError("duplicate", detail=f"mã vạch {barcode}")
        with self.lib.transaction():
            item_id = self.lib.log.new_entity_id()
            self.lib.put("items", item_id, {
                "barcode": barcode, "record_id": record_id, "library_id": owner,
                "location": location, "call_number": call_number, "item_type": item_type,
                "status": status, "price": price, "created_at": self.lib.now_iso(),
            })
        return item_id

    def update_item(self, barcode: str, **fields: Any) -> None:
        item = self.item_by_barcode(barcode)
        allowed = {"location", "call_number", "item_type", "status", "price", "library_id"}
        unknown = set(fields) - allowed
        if unknown:
            raise LibraryError("invalid_input", detail=f"trường không sửa được: {sorted(unknown)}")
        if fields.get("status", "available") not in ITEM_STATUSES:
            raise LibraryError("invalid_input", detail=f"tình trạng {fields['status']!r}")
        self.lib.put("items", item["id"], fields)

    def item_by_barcode(self, barcode: str) -> dict[str, Any]:
        row = self.store.one("SELECT * FROM items WHERE barcode = ? ORDER BY library_id = ? DESC",
                             (barcode.strip(), self.store.get_meta("library_code")))
        if row is None:
            raise LibraryError("item_not_found", barcode=barcode)
        return dict(row)

    def items_of(self, record_id: str) -> list[dict[str, Any]]:
        rows = self.store.all(
            "SELECT i.*, l.due_date, h.status AS hold_status FROM items i "
            "LEFT JOIN loans l ON l.item_id = i.id "
            "LEFT JOIN holds h ON h.item_id = i.id AND h.status = 'trapped' "
            "WHERE i.record_id = ? ORDER BY i.barcode",
            (record_id,),
        )
        return [dict(r) for r in rows]

    def add_attachment(self, record_id: str, uri: str, kind: str = "pdf", label: str = "") -> str:
        self.get_record(record_id)
        with self.lib.transaction():
            attachment_id = self.lib.log.new_entity_id()
            self.lib.put("attachments", attachment_id,
                         {"record_id": record_id, "kind": kind, "uri": uri, "label": label})
        return attachment_id

    def attachments_of(self, record_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.store.all(
            "SELECT * FROM attachments WHERE record_id = ? ORDER BY label", (record_id,))]

    def new_arrivals(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self.store.all(
            "SELECT r.* FROM records r WHERE EXISTS (SELECT 1 FROM items i WHERE i.record_id = r.id "
            "AND i.library_id = ?) ORDER BY r.created_at DESC, r.rid DESC LIMIT ?",
            (self.lib.code, limit),
        )
        return [record_dict(r) for r in rows]

    def count(self) -> int:
        return self.store.scalar("SELECT COUNT(*) FROM records")

    def iter_records(self) -> Iterable[dict[str, Any]]:
        for row in self.store.execute("SELECT * FROM records ORDER BY rid"):
            yield record_dict(row)
