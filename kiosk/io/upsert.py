"""Writing one imported record: match it to what the library already holds, then add copies.

Shared by the MARC and CSV imports so both match the same way: by control number (001),
then by ISBN-13. A matched record is updated with only the fields the file carries, so
an import never blanks what a librarian typed. A copy whose barcode already exists is
left alone and reported; the rest of the record still goes in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import LibraryError
from kiosk.io.marc_map import MappedRecord
from kiosk.io.report import ImportReport

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)


def find_match(library: "Library", fields: dict[str, Any]) -> dict[str, Any] | None:
    """The record this one describes, if the library has it.

    A 001 is only unique within the system that assigned it, so a 001 match whose ISBN
    contradicts ours is treated as a different book rather than overwritten.
    """
    catalogue = library.catalogue
    control, isbn13 = fields.get("control_number"), fields.get("isbn13")
    if control:
        found = catalogue.find_by_control_number(control)
        if found and not (isbn13 and found.get("isbn13") and found["isbn13"] != isbn13):
            return found
    if isbn13:
        return catalogue.find_by_isbn(isbn13)
    return None


def _add_items(library: "Library", record_id: str, mapped: MappedRecord, number: int,
               report: ImportReport) -> None:
    for item in mapped.items:
        row = library.store.one(
            "SELECT i.record_id, r.title FROM items i JOIN records r ON r.id = i.record_id "
            "WHERE i.barcode = ?", (item.barcode,))
        if row is not None:
            if row["record_id"] == record_id:
                report.skip(number, f"mã vạch {item.barcode} đã có trong thư viện, giữ nguyên")
            else:
                report.skip(number, f"mã vạch {item.barcode} đã gắn với đầu sách khác "
                                    f"«{row['title']}», bỏ qua bản sách này")
            continue
        try:
            library.catalogue.add_item(
                record_id, item.barcode, library_id=item.library_id, location=item.location,
                call_number=item.call_number, item_type=item.item_type, price=item.price)
        except LibraryError as exc:
            report.skip(number, f"mã vạch {item.barcode}: {exc.message}")
            continue
        report.items_created += 1


def upsert(library: "Library", mapped: MappedRecord, number: int, report: ImportReport,
           existing: dict[str, Any] | None = None) -> str:
    """Create or update one record with its copies and links; returns the record id."""
    fields = {k: v for k, v in mapped.fields.items() if v not in (None, "", [])}
    existing = existing or find_match(library, fields)
    if existing is not None:
        record_id = existing["id"]
        library.catalogue.update_record(record_id, fields)
        report.updated += 1
    else:
        record_id = library.catalogue.add_record(fields)
        report.created += 1
    _add_items(library, record_id, mapped, number, report)
    if mapped.links:
        known = {a["uri"] for a in library.catalogue.attachments_of(record_id)}
        for uri, label in mapped.links:
            if uri and uri not in known:
                library.catalogue.add_attachment(record_id, uri, kind="link", label=label)
                known.add(uri)
    return record_id
