"""Administrative units as data: the province, its communes and wards, optional clusters.

Since 1 July 2025 Vietnam has two levels of local government: provinces, and communes,
wards and special zones under them. Their names and codes are published by the state
and change with each merger, so the hub does not carry them in code: the operator
imports them from a CSV file (``district units import FILE``) and imports again when
they change. A *cluster* is optional: former districts kept as a grouping so old
reports can be continued. Each library or reading point belongs to one commune (the
hub's ``libraries.commune_code``) and has a kind (:data:`KINDS`).

CSV columns (UTF-8, header row, a byte-order mark is fine)::

    ma_tinh,ten_tinh,ma_xa,ten_xa,cap,cum

``cap`` is ``xã``, ``phường`` or ``đặc khu``; ``cum`` (the cluster's name) may be empty.
A row whose ``ma_xa`` is empty describes the province alone.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from kiosk.core.errors import LibraryError
from kiosk.core.library import Library
from kiosk.core.text import fold, words
from kiosk.store.db import Store

KINDS = {
    "public": "Thư viện công cộng",
    "school": "Thư viện trường học",
    "private": "Phòng đọc sách tư nhân",
    "bookshelf": "Tủ sách cộng đồng",
    "reading_point": "Điểm đọc sách",
}
LEGACY_KINDS = {  # kinds written before 2026-12, still in libraries' rows and events
    "commune": ("public", "Thư viện xã"), "town": ("public", "Thư viện thị trấn"),
    "community": ("reading_point", "Điểm đọc sách cộng đồng"),
}
LEVELS = {"xã": "commune", "xa": "commune", "phường": "ward", "phuong": "ward",
          "đặc khu": "special", "dac khu": "special"}
LEVEL_LABELS = {"commune": "Xã", "ward": "Phường", "special": "Đặc khu", "province": "Tỉnh"}
COLUMNS = ("ma_tinh", "ten_tinh", "ma_xa", "ten_xa", "cap", "cum")
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$")


def kind_label(kind: str | None) -> str:
    if kind in KINDS:
        return KINDS[kind]
    if kind in LEGACY_KINDS:
        return LEGACY_KINDS[kind][1]
    return kind or ""


def kind_group(kind: str | None) -> str:
    """The kind a report counts a library under (legacy kinds mapped to the new ones)."""
    if kind in LEGACY_KINDS:
        return LEGACY_KINDS[kind][0]
    return kind if kind in KINDS else "public"


def cluster_code(name: str) -> str:
    return "-".join(words(fold(name))).upper()[:32] or "CUM"


def _invalid(line: int, detail: str) -> LibraryError:
    return LibraryError("invalid_input", detail=f"dòng {line}: {detail}")


def parse(text: str) -> list[dict[str, str]]:
    """The rows of a units CSV, checked; raises LibraryError naming the bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise LibraryError("invalid_input",
                           detail=f"tệp thiếu cột: {', '.join(sorted(missing))}")
    rows = []
    for line, row in enumerate(reader, start=2):
        row = {k: (row.get(k) or "").strip() for k in COLUMNS}
        if not CODE.match(row["ma_tinh"]) or not row["ten_tinh"]:
            raise _invalid(line, "cần mã tỉnh và tên tỉnh")
        if row["ma_xa"]:
            if not CODE.match(row["ma_xa"]) or not row["ten_xa"]:
                raise _invalid(line, "mã xã không hợp lệ hoặc thiếu tên xã")
            if row["cap"].lower() not in LEVELS:
                raise _invalid(line, f"cấp '{row['cap']}' phải là xã, phường hoặc đặc khu")
        rows.append(row)
    return rows


def import_csv(library: Library, path: str | Path) -> dict[str, int]:
    """Add or update every unit in the file (units missing from it are kept: a library
    may still name them); returns counts of provinces, communes and clusters."""
    rows = parse(Path(path).read_text(encoding="utf-8"))
    store, now = library.store, library.now_iso()
    provinces, communes, clusters = set(), 0, set()
    with store.transaction():
        for row in rows:
            if row["ma_tinh"] not in provinces:
                provinces.add(row["ma_tinh"])
                _upsert(store, row["ma_tinh"], row["ten_tinh"], "province", None, None, now)
            if not row["ma_xa"]:
                continue
            cluster = None
            if row["cum"]:
                cluster = cluster_code(row["cum"])
                clusters.add(cluster)
                store.execute("INSERT INTO district_clusters (code, name) VALUES (?, ?) "
                              "ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                              (cluster, row["cum"]))
            _upsert(store, row["ma_xa"], row["ten_xa"], LEVELS[row["cap"].lower()],
                    row["ma_tinh"], cluster, now)
            communes += 1
    return {"provinces": len(provinces), "communes": communes, "clusters": len(clusters)}


def _upsert(store: Store, code, name, level, province, cluster, now) -> None:
    store.execute(
        "INSERT INTO district_units (code, name, level, province_code, cluster_code, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
        "level = excluded.level, province_code = excluded.province_code, "
        "cluster_code = excluded.cluster_code, imported_at = excluded.imported_at",
        (code, name, level, province, cluster, now))


def communes(store: Store) -> list[dict[str, Any]]:
    """Communes, wards and special zones, by name, with their cluster's name."""
    return [dict(r) for r in store.all(
        "SELECT u.code, u.name, u.level, u.province_code, c.name AS cluster FROM district_units u "
        "LEFT JOIN district_clusters c ON c.code = u.cluster_code "
        "WHERE u.level != 'province' ORDER BY u.name, u.code")]


def commune(store: Store, code: str) -> dict[str, Any] | None:
    row = store.one("SELECT * FROM district_units WHERE code = ? AND level != 'province'", (code,))
    return dict(row) if row else None


def province_name(store: Store, code: str | None) -> str | None:
    if code:
        return store.scalar("SELECT name FROM district_units WHERE code = ? AND level = "
                            "'province'", (code,))
    return store.scalar("SELECT name FROM district_units WHERE level = 'province' "
                        "ORDER BY code LIMIT 1")
