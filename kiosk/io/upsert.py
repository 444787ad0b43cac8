"""Writing one imported record: match it to what the library already holds, then add copies.

Shared by the MARC and CSV imports so both match the same way: by control number (001),
then by ISBN-13. A matched record is updated with only the fields the file carries, so
an import never blanks what a librarian typed. A copy whose barcode already exists is
left alone (the same record) or refused and returned to the caller (another record's
barcode); the rest of the record still goes in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import LibraryError
from kiosk.io.marc_map import MappedItem, MappedRecord
from kiosk.io.report import ImportReport, reason_of

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


def _add_items(library: "Library", record_id: str, mapped: MappedRecord,
               report: ImportReport) -> list[tuple[MappedItem, str]]:
    """Add the record's copies; returns those left out, each with the reason."""
    refused: list[tuple[MappedItem, str]] = []
    for item in mapped.items:
        row = library.store.one(
            "SELECT i.record_id, r.title FROM items i JOIN records r ON r.id = i.record_id "
            "WHERE i.barcode = ?", (item.barcode,))
        if row is not None:
            if row["record_id"] == record_id:
                report.items_existing += 1
            else:
                refused.append((item, f"mã vạch {item.barcode} đã gắn với đầu sách khác "
                                      f"«{row['title']}», bản sách này không được nhập"))
            continue
        try:
            library.catalogue.add_item(
                record_id, item.barcode, library_id=item.library_id, location=item.location,
                call_number=item.call_number, item_type=item.item_type, price=item.price)
        except LibraryError as exc:
            refused.append((item, f"mã vạch {item.barcode}: {reason_of(exc)}"))
            continue
        report.items_created += 1
    return refused


def upsert(library: "Library", mapped: MappedRecord, report: ImportReport,
           existing: dict[str, Any] | None = None) -> list[tuple[MappedItem, str]]:
    """Create or update one record with its copies and links.

    Returns the copies that could not be added, each with the reason; the caller
    reports them (a warning on a MARC record, a rejected row in a CSV file).
    """
    fields = {k: v for k, v in mapped.fields.items() if v not in (None, "", [])}
    existing = existing or find_match(library, fields)
    if existing is not None:
        record_id = existing["id"]
        library.catalogue.update_record(record_id, fields)
        report.updated += 1
    else:
        record_id = library.catalogue.add_record(fields)
        report.created += 1
    refused = _add_items(library, record_id, mapped, report)
    if mapped.links:
        known = {a["uri"] for a in library.catalogue.attachments_of(record_id)}
        for uri, label in mapped.links:
            if uri and uri not in known:
                library.catalogue.add_attachment(record_id, uri, kind="link", label=label)
                known.add(uri)
    return refused
