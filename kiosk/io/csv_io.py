"""CSV import and export of the catalogue and of patrons, for librarians who use Excel.

Exports are UTF-8 with a BOM, which Excel in Vietnam needs to show diacritics. Imports
read UTF-8 (BOM or not), UTF-16, Windows-1258 and TCVN3 (:mod:`kiosk.io.text`), comma,
semicolon or tab separators (Excel with Vietnamese regional settings saves with ';').
Each row is imported or rejected with its line and reason, never both and never
neither: a row carrying a copy that cannot be added is rejected even though its record
went in, so that the exported rejected rows, fixed and imported again, complete it.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from kiosk.core.catalogue import ITEM_TYPES
from kiosk.core.errors import LibraryError
from kiosk.core.patrons import CATEGORIES
from kiosk.io import batches
from kiosk.io.marc_map import MappedItem, MappedRecord, parse_price
from kiosk.io.csv_read import CsvFile, open_csv
from kiosk.io.csv_read import sniff_text as sniff_names
from kiosk.io.csv_rows import Row
from kiosk.io.report import Entry, ImportReport, Place, Unit, reason_of
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


def kind_of(columns: list[str]) -> str | None:
    """``catalogue`` or ``patrons`` from the header, or None for an unknown table."""
    if "title" in columns:
        return "catalogue"
    if "name" in columns and ("card_number" in columns or "category" in columns):
        return "patrons"
    return None


def sniff_text(head: bytes) -> bool:
    """Whether the start of a file reads as a CSV header line of ours (any encoding)."""
    names = sniff_names(head)
    return names is not None and kind_of(names) is not None


def _values(row: Row, columns: list[str]) -> dict[str, str]:
    return {name: value.strip() for name, value in zip(columns, row.fields) if name}


def _unit(row: Row) -> Unit:
    return Unit(Place(line=row.line, end_line=row.end_line), row.raw)


def _start(path: str | Path, fmt: str, opened: CsvFile | None) -> tuple[CsvFile, ImportReport]:
    opened = opened or open_csv(path)
    report = ImportReport(format=fmt, encoding=opened.encoding, header=opened.header)
    known = CATALOGUE_COLUMNS if fmt == "csv" else PATRON_COLUMNS
    unused = [c for c in opened.columns if c and c not in known]
    if unused:
        report.notes.append("các cột không dùng đến, dữ liệu trong đó không được nhập: "
                            + ", ".join(unused))
    if opened.decoded.encoding == "tcvn3":
        report.notes.append("tệp TCVN3 không phân biệt chữ hoa có dấu: các chữ hoa có dấu "
                            "được nhập thành chữ thường, hãy kiểm tra lại")
    return opened, report


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


MAX_ROWS = 500_000
_HOPELESS_AFTER = 20_000


def _counted(entries: Iterator[Entry], path: str | Path) -> tuple[int, int]:
    """(entries, rows) of a first pass, for the progress bar and the report's total; the
    file is read twice rather than held as a list of rows. A file of more rows than any
    commune's catalogue, or whose rows are nearly all unreadable, is refused here, before
    anything is written."""
    count = units = bad = 0
    for entry in entries:
        count += 1
        units += len(entry.units)
        bad += len(entry.units) if entry.error else 0
        if units > MAX_ROWS:
            raise _invalid(f"tệp {Path(path).name} có hơn {MAX_ROWS:,} dòng: hãy chia thành "
                           "nhiều tệp nhỏ hơn".replace(",", "."))
        if units >= _HOPELESS_AFTER and bad > 0.9 * units:
            break
    if bad > 1000 and bad > 0.9 * units:
        raise _invalid(f"tệp {Path(path).name}: {bad} trên {units} dòng đầu không đọc được; "
                       "có lẽ đây không phải tệp biên mục, hoặc sai dấu phân cách")
    return count, units


def _catalogue_entries(opened: CsvFile) -> Iterator[Entry]:
    """One entry per record: consecutive rows sharing a ``record_id`` are its copies."""
    group: list[tuple[Row, dict[str, str]]] = []
    number = 0
    for row in opened.rows():
        values = None if row.error is not None else _values(row, opened.columns)
        rid = values.get("record_id") if values else None
        if group and not (values and rid and rid == group[0][1].get("record_id")):
            number += 1
            yield Entry(number, value=group, units=[_unit(r) for r, _ in group])
            group = []
        if values is None:
            number += 1
            yield Entry(number, error=row.error, units=[_unit(row)])
        else:
            group.append((row, values))
    if group:
        yield Entry(number + 1, value=group, units=[_unit(r) for r, _ in group])


def import_catalogue(library: "Library", path: str | Path, *, source: str,
                     progress: batches.Progress | None = None,
                     batch_size: int = 200, opened: CsvFile | None = None) -> ImportReport:
    opened, report = _start(path, "csv", opened)
    count, report.total = _counted(_catalogue_entries(opened), path)

    def apply(entry: Entry, report: ImportReport) -> None:
        group: list[tuple[Row, dict[str, str]]] = entry.value
        first_row, first = group[0]
        mapped = _record_from_row(first)
        by_barcode: dict[str, Row] = {}
        for row, values in group:
            try:
                item = _item_from_row(values)
            except LibraryError as exc:
                report.reject(_unit(row).place, reason_of(exc), row.raw)
                continue
            if item is not None:
                if item.barcode in by_barcode:
                    report.reject(_unit(row).place, f"mã vạch {item.barcode} lặp lại dòng "
                                  f"{by_barcode[item.barcode].line}", row.raw)
                    continue
                by_barcode[item.barcode] = row
                mapped.items.append(item)
        existing = None
        record_id = first.get("record_id")
        if record_id:
            found = library.store.one("SELECT id FROM records WHERE id = ?", (record_id,))
            existing = {"id": found["id"]} if found else None
        for item, why in upsert(library, mapped, report, existing):
            row = by_barcode[item.barcode]
            report.reject(_unit(row).place, why, row.raw)

    batches.run(library, source, _catalogue_entries(opened), apply, report,
                total=count, progress=progress, batch_size=batch_size)
    return report


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
                   batch_size: int = 200, opened: CsvFile | None = None) -> ImportReport:
    opened, report = _start(path, "csv-patrons", opened)

    def entries() -> Iterator[Entry]:
        for number, row in enumerate(opened.rows(), start=1):
            yield Entry(number, error=row.error, units=[_unit(row)],
                        value=None if row.error else _values(row, opened.columns))

    count, report.total = _counted(entries(), path)

    def apply(entry: Entry, report: ImportReport) -> None:
        row: dict[str, str] = entry.value
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

    batches.run(library, source, entries(), apply, report,
                total=count, progress=progress, batch_size=batch_size)
    return report


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
