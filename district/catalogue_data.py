"""The union catalogue and the library registry as open data (CSV, JSON, GeoJSON, MARC21).

Only bibliographic fields and holdings counts leave the server: the columns are named
here one by one, so a column added to ``records`` later is not published by accident,
and no query in this module touches patrons, loans or the event log.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.core.library import Library
from kiosk.io.marc_export import export_marc
from kiosk.store.db import Store

from district.cells import inert

CATALOGUE_COLUMNS = ("id", "title", "subtitle", "authors", "publisher", "place", "year",
                     "edition", "language", "isbn13", "subjects", "ddc", "series", "updated_at")
CSV_HEADER = ("Mã biểu ghi", "Nhan đề", "Phụ đề", "Tác giả", "Nhà xuất bản", "Nơi xuất bản",
              "Năm xuất bản", "Lần xuất bản", "Ngôn ngữ", "ISBN", "Chủ đề", "DDC", "Tùng thư",
              "Cập nhật", "Số bản", "Số bản theo thư viện")
REGISTRY_COLUMNS = ("code", "name", "kind", "commune", "address", "opening_hours", "lat", "lon",
                    "status", "last_sync")
REGISTRY_HEADER = ("Mã", "Tên", "Loại", "Xã/thị trấn", "Địa chỉ", "Giờ mở cửa", "Vĩ độ",
                   "Kinh độ", "Trạng thái", "Đồng bộ lần cuối")


def holdings(store: Store) -> dict[str, dict[str, int]]:
    """Copies on hand (not withdrawn) per record and library."""
    out: dict[str, dict[str, int]] = {}
    for r in store.all("SELECT record_id, library_id, COUNT(*) AS n FROM items "
                       "WHERE status != 'withdrawn' GROUP BY record_id, library_id "
                       "ORDER BY record_id, library_id"):
        out.setdefault(r["record_id"], {})[r["library_id"]] = r["n"]
    return out


def iter_catalogue(store: Store) -> Iterator[dict[str, Any]]:
    held = holdings(store)
    for r in store.execute(f"SELECT {', '.join(CATALOGUE_COLUMNS)} FROM records ORDER BY rid"):
        row = dict(r)
        row["authors"] = json.loads(row["authors"] or "[]")
        row["subjects"] = json.loads(row["subjects"] or "[]")
        per_library = held.get(row["id"], {})
        row["holdings"] = per_library
        row["copies"] = sum(per_library.values())
        yield row


def catalogue_json(store: Store) -> bytes:
    return json.dumps(list(iter_catalogue(store)), ensure_ascii=False).encode("utf-8")


def catalogue_csv(store: Store) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_HEADER)
    for row in iter_catalogue(store):
        writer.writerow([inert(cell) for cell in (
            *("; ".join(row[c]) if c in ("authors", "subjects") else row[c]
              for c in CATALOGUE_COLUMNS),
            row["copies"], "; ".join(f"{code}: {n}" for code, n in row["holdings"].items()),
        )])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def registry_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(REGISTRY_HEADER)
    for r in rows:
        writer.writerow([inert(r[c]) for c in REGISTRY_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def registry_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps([{c: r[c] for c in REGISTRY_COLUMNS} for r in rows],
                      ensure_ascii=False).encode("utf-8")


def marc(library: Library, xml: bool = False) -> bytes:
    """The MARC21 export of :mod:`kiosk.io.marc_export`, through a temporary file.

    Holdings (952) carry barcodes, shelf locations and prices of copies, never borrowers.
    """
    with tempfile.TemporaryDirectory(prefix="district-marc-") as tmp:
        path = Path(tmp) / ("catalogue.xml" if xml else "catalogue.mrc")
        export_marc(library, path, xml=xml)
        return path.read_bytes()
