"""CSV import and export of the catalogue and of patrons, for librarians who use Excel.

Exports are UTF-8 with a BOM, which Excel in Vietnam needs to show diacritics. Imports
accept a BOM or not, and comma or semicolon separators (Excel with Vietnamese regional
settings saves with ';'). A bad row is reported with its line number and skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from kiosk.core.catalogue import ITEM_TYPES
from kiosk.core.errors import LibraryError
from kiosk.core.patrons import CATEGORIES
from kiosk.io import batches
from kiosk.io.marc_map import MappedItem, MappedRecord, parse_price
from kiosk.io.report import Entry, ImportReport
from kiosk.io.upsert import upsert

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)

CATALOGUE_COLUMNS = (
    "record_id", "title", "subtitle", "authors", "publisher", "place", "year", "edition",
    "language", "subjects", "ddc", "isbn13", "series", "notes", "barcode", "library_id",
    "location", "call_number", "item_type", "price",
)
PATRON_COLUMNS = (
    "card_number", "name", "category", "birth_year", "phone", "commune", "address",
    "home_library", "expires_on",
)
LIST_SEPARATOR = "; "
_RECORD_TEXT = ("title", "subtitle", "publisher", "place", "edition", "language", "ddc",
                "isbn13", "series", "notes")


def _invalid(detail: str) -> LibraryError:
    return LibraryError("invalid_input", detail=detail)


def read_header(path: str | Path) -> tuple[list[str], str]:
    """The header's column names and the separator, or a clear error if it is not CSV."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
    except UnicodeDecodeError:
        raise _invalid(f"tệp {Path(path).name} không phải UTF-8: trong Excel hãy chọn "
                       "Lưu thành 'CSV UTF-8'") from None
    delimiter = max(",;\t", key=first.count)
    names = [n.strip().lower() for n in next(csv.reader([first], delimiter=delimiter), [])]
    return names, delimiter


def kind_of(columns: list[str]) -> str | None:
    """``catalogue`` or ``patrons`` from the header, or None for an unknown table."""
    if "title" in columns:
        return "catalogue"
    if "name" in columns and ("card_number" in columns or "category" in columns):
        return "patrons"
    return None


def _rows(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row)`` with the line where each row starts (header is line 1)."""
    _, delimiter = read_header(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        reader.fieldnames = [n.strip().lower() for n in reader.fieldnames or []]
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            values = {k: (v or "").strip() for k, v in row.items() if k}
            if any(values.values()):
                yield start, values


def _int(text: str, what: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise _invalid(f"{what} {text!r} không phải là số") from None


def _record_from_row(row: dict[str, str]) -> MappedRecord:
    fields: dict[str, Any] = {k: row.get(k, "") for k in _RECORD_TEXT}
    if not fields["title"]:
        raise _invalid("thiếu nhan đề (title)")
    fields["year"] = _int(row.get("year", ""), "năm xuất bản")
    fields["authors"] = [a.strip() for a in row.get("authors", "").split(";") if a.strip()]
    fields["subjects"] = [s.strip() for s in row.get("subjects", "").split(";") if s.strip()]
    return MappedRecord(fields={k: v for k, v in fields.items() if v not in (None, "", [])})


def _item_from_row(row: dict[str, str]) -> MappedItem | None:
    barcode = row.get("barcode", "")
    if not barcode:
        return None
    item_type = row.get("item_type") or "book"
    if item_type not in ITEM_TYPES:
        raise _invalid(f"loại tài liệu {item_type!r} (chọn: {', '.join(ITEM_TYPES)})")
    price = row.get("price", "")
    if price and parse_price(price) is None:
        raise _invalid(f"giá {price!r} không phải là số")
    return MappedItem(barcode=barcode, library_id=row.get("library_id") or None,
                      location=row.get("location") or None,
                      call_number=row.get("call_number") or None,
                      item_type=item_type, price=parse_price(price))


def _catalogue_entries(path: str | Path) -> Iterator[Entry]:
    """One entry per record: consecutive rows sharing a ``record_id`` are its copies."""
    group: list[tuple[int, dict[str, str]]] = []
    number = 0
    for line, row in _rows(path):
        if group and row.get("record_id") and row.get("record_id") == group[0][1].get("record_id"):
            group.append((line, row))
            continue
        if group:
            number += 1
            yield Entry(number, value=group)
        group = [(line, row)]
    if group:
        yield Entry(number + 1, value=group)


def import_catalogue(library: "Library", path: str | Path, *, source: str,
                     progress: batches.Progress | None = None,
                     batch_size: int = 200) -> ImportReport:
    entries = list(_catalogue_entries(path))

    def apply(group: list[tuple[int, dict[str, str]]], _: int, report: ImportReport) -> None:
        first_line, first = group[0]
        try:
            mapped = _record_from_row(first)
        except LibraryError as exc:
            report.skip(first_line, exc.message)
            return
        for line, row in group:
            try:
                item = _item_from_row(row)
            except LibraryError as exc:
                report.skip(line, exc.message)
                continue
            if item is not None:
                mapped.items.append(item)
        existing = None
        record_id = first.get("record_id")
        if record_id:
            row = library.store.one("SELECT id FROM records WHERE id = ?", (record_id,))
            existing = {"id": row["id"]} if row else None
        try:
            upsert(library, mapped, first_line, report, existing)
        except LibraryError as exc:
            report.skip(first_line, exc.message)

    return batches.run(library, source, entries, apply, ImportReport(format="csv"),
                       total=len(entries), progress=progress, batch_size=batch_size)


def _category(text: str) -> str | None:
    key = text.strip().lower()
    if not key:
        return None
    for code, (vi, en) in CATEGORIES.items():
        if key in (code, vi.lower(), en.lower()):
            return code
    raise _invalid(f"đối tượng {text!r} (chọn: {', '.join(CATEGORIES)})")


def _date(text: str) -> str | None:
    """ISO ``2027-03-31`` or the Vietnamese ``31/03/2027`` -> ISO."""
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    raise _invalid(f"ngày hết hạn {text!r} (dạng 2027-03-31 hoặc 31/03/2027)")


def import_patrons(library: "Library", path: str | Path, *, source: str,
                   progress: batches.Progress | None = None,
                   batch_size: int = 200) -> ImportReport:
    rows = list(_rows(path))
    lines = {n: line for n, (line, _) in enumerate(rows, start=1)}

    def apply(row: dict[str, str], number: int, report: ImportReport) -> None:
        line = lines[number]
        try:
            fields: dict[str, Any] = {
                "name": row.get("name") or None, "category": _category(row.get("category", "")),
                "birth_year": _int(row.get("birth_year", ""), "năm sinh"),
                "phone": row.get("phone") or None, "commune": row.get("commune") or None,
                "address": row.get("address") or None,
                "home_library": row.get("home_library") or None,
                "expires_on": _date(row.get("expires_on", "")),
            }
            card = row.get("card_number", "")
            if card and library.store.one("SELECT 1 FROM patrons WHERE card_number = ?", (card,)):
                library.patrons.update(card, **{k: v for k, v in fields.items() if v is not None})
                report.updated += 1
            else:
                library.patrons.add(fields.pop("name") or "", fields.pop("category") or "adult",
                                    card_number=card or None, **fields)
                report.created += 1
        except LibraryError as exc:
            report.skip(line, exc.message)

    entries = [Entry(n, value=row) for n, (_, row) in enumerate(rows, start=1)]
    return batches.run(library, source, entries, apply, ImportReport(format="csv-patrons"),
                       total=len(entries), progress=progress, batch_size=batch_size)


def _write(path: str | Path, columns: tuple[str, ...], rows: Iterator[dict[str, Any]]) -> int:
    """Write atomically (beside, then rename) with a BOM for Excel."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    count = 0
    with open(partial, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in columns})
            count += 1
    partial.replace(path)
    return count


def _catalogue_rows(library: "Library") -> Iterator[dict[str, Any]]:
    for rec in library.catalogue.iter_records():
        base = dict(rec, record_id=rec["id"], authors=LIST_SEPARATOR.join(rec["authors"]),
                    subjects=LIST_SEPARATOR.join(rec["subjects"]))
        items = library.store.all(
            "SELECT * FROM items WHERE record_id = ? ORDER BY barcode", (rec["id"],))
        if not items:
            yield base
        for item in items:
            yield {**base, **{k: item[k] for k in ("barcode", "library_id", "location",
                                                     "call_number", "item_type", "price")}}


def export_catalogue(library: "Library", path: str | Path) -> int:
    """One row per copy, or per record when it has none; returns the number of rows."""
    count = _write(path, CATALOGUE_COLUMNS, _catalogue_rows(library))
    log.info("exported %d catalogue rows to CSV", count)
    return count


def export_patrons(library: "Library", path: str | Path) -> int:
    """Patrons without PIN hashes or block reasons; returns the number of rows."""
    rows = (dict(r) for r in library.store.all(
        f"SELECT {', '.join(PATRON_COLUMNS)} FROM patrons ORDER BY card_number"))
    count = _write(path, PATRON_COLUMNS, rows)
    log.info("exported %d patrons to CSV", count)
    return count


def sniff_text(head: bytes) -> bool:
    """Whether the start of a file reads as a CSV header line of ours."""
    try:
        first = head.split(b"\n", 1)[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    names = [n.strip().strip('"').lower() for n in re.split(r"[,;\t]", first)]
    return kind_of(names) is not None
