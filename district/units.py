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

Lists shipped with the hub (:data:`BUILTIN`, ``district units import --builtin NAME``) live
in ``district/data/``; its README says where each comes from and how to update it.

The file is hostile until checked: it is refused whole, before anything is written, when
it is over :data:`MAX_BYTES`, not UTF-8, lacks a column, repeats a code, or holds a name
a spreadsheet would run as a formula (``=HYPERLINK(...)``: names reach the XLSX and CSV
reports) or with control characters. Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
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
BUILTIN = {"dong-thap": "units-82-dong-thap.csv"}  # name -> file in district/data/
MAX_BYTES = 2 * 1024 * 1024  # the whole country (about 3,300 units) is about 300 KB
MAX_NAME = 100
FORMULA_STARTS = ("=", "+", "-", "@")  # what Excel and LibreOffice read as a formula
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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


def _refused(detail: str) -> LibraryError:
    return LibraryError("invalid_input", detail=detail)


def read(path: str | Path) -> str:
    """The text of a units file, read no further than :data:`MAX_BYTES`."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _refused(f"không mở được tệp {path}: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise _refused(f"tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB: danh mục đơn vị hành "
                       "chính cả nước chỉ khoảng 300 KB, đây không phải tệp danh mục")
    return _decode(data)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused("tệp không phải UTF-8: lưu lại bằng \"CSV UTF-8\"") from None


def builtin_file(name: str) -> Path:
    """The shipped list ``name``, beside this module (package data of the wheel; not looked
    up through ``importlib.resources``, which a ``district`` folder on the path can shadow)."""
    if name not in BUILTIN:
        raise _refused(f"không có danh mục sẵn '{name[:40]}' (có: {', '.join(sorted(BUILTIN))})")
    return Path(__file__).with_name("data") / BUILTIN[name]


def _text(line: int, label: str, value: str, required: bool = True) -> str:
    value = unicodedata.normalize("NFC", value)
    if not value:
        if required:
            raise _invalid(line, f"thiếu {label}")
        return value
    if _CONTROL.search(value):
        raise _invalid(line, f"{label} có ký tự điều khiển")
    if len(value) > MAX_NAME:
        raise _invalid(line, f"{label} dài quá {MAX_NAME} ký tự")
    if value.startswith(FORMULA_STARTS):
        raise _invalid(line, f"{label} \"{value[:24]}\" bắt đầu bằng \"{value[0]}\": bảng tính "
                             "(XLSX, CSV của báo cáo) sẽ chạy nó như công thức")
    return value


def parse(text: str) -> list[dict[str, str]]:
    """The rows of a units CSV, checked; raises LibraryError naming the bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = reader.fieldnames or ()
        missing = set(COLUMNS) - set(header)
        if missing:
            hint = " (các cột phải cách nhau bằng dấu phẩy)" if len(header) == 1 else ""
            raise _refused(f"tệp thiếu cột: {', '.join(sorted(missing))}{hint}")
        rows = [_row(line, raw) for line, raw in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise _invalid(reader.line_num, f"không đọc được dòng CSV ({exc})") from None
    _consistent(rows)
    return [row for _, row in rows]


def _row(line: int, raw: dict) -> tuple[int, dict[str, str]]:
    row = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    if any(cell.strip() for cell in raw.get(None) or ()):
        raise _invalid(line, "nhiều ô hơn số cột")
    if not CODE.match(row["ma_tinh"]):
        raise _invalid(line, "cần mã tỉnh và tên tỉnh")
    row["ten_tinh"] = _text(line, "tên tỉnh", row["ten_tinh"])
    if row["ma_xa"]:
        if not CODE.match(row["ma_xa"]) or not row["ten_xa"]:
            raise _invalid(line, "mã xã không hợp lệ hoặc thiếu tên xã")
        row["ten_xa"] = _text(line, "tên xã", row["ten_xa"])
        row["cap"] = unicodedata.normalize("NFC", row["cap"]).lower()
        if row["cap"] not in LEVELS:
            raise _invalid(line, f"cấp '{row['cap'][:20]}' phải là xã, phường hoặc đặc khu")
        row["cum"] = _text(line, "tên cụm", row["cum"], required=False)
    return line, row


def _consistent(rows: list[tuple[int, dict[str, str]]]) -> None:
    """One name per province, one line per commune code, one name per cluster code."""
    provinces: dict[str, str] = {}
    seen: dict[str, int] = {}
    clusters: dict[str, str] = {}
    for line, row in rows:
        name = provinces.setdefault(row["ma_tinh"], row["ten_tinh"])
        if name != row["ten_tinh"]:
            raise _invalid(line, f"tỉnh mã {row['ma_tinh']} đã có tên \"{name}\"")
        code = row["ma_xa"]
        if not code:
            continue
        if code in seen:
            raise _invalid(line, f"mã xã {code} đã có ở dòng {seen[code]}")
        seen[code] = line
        if row["cum"]:
            cluster = clusters.setdefault(cluster_code(row["cum"]), row["cum"])
            if cluster != row["cum"]:
                raise _invalid(line, f"cụm \"{row['cum']}\" trùng mã với cụm \"{cluster}\"")
    both = set(seen) & set(provinces)
    if both:
        raise _refused(f"mã {min(both)} vừa là mã tỉnh vừa là mã xã")


def import_csv(library: Library, path: str | Path) -> dict[str, int]:
    """Add or update every unit in the file (units missing from it are kept: a library
    may still name them); returns counts of provinces, communes and clusters, and how
    many units were added and changed."""
    return import_text(library, read(path))


def import_builtin(library: Library, name: str) -> dict[str, int]:
    """The same for a list shipped with the hub (:data:`BUILTIN`)."""
    return import_text(library, _decode(builtin_file(name).read_bytes()))


def import_text(library: Library, text: str) -> dict[str, int]:
    rows = parse(text)
    store, now = library.store, library.now_iso()
    counts = {"provinces": 0, "communes": 0, "clusters": 0, "added": 0, "changed": 0}
    provinces, clusters = set(), set()
    with store.transaction():
        held = {r["code"]: (r["name"], r["level"], r["province_code"], r["cluster_code"])
                for r in store.all("SELECT * FROM district_units")}
        for row in rows:
            if row["ma_tinh"] not in provinces:
                provinces.add(row["ma_tinh"])
                _put(store, held, counts, (row["ma_tinh"], row["ten_tinh"], "province", None,
                                           None), now)
            if not row["ma_xa"]:
                continue
            cluster = None
            if row["cum"]:
                cluster = cluster_code(row["cum"])
                if cluster not in clusters:
                    clusters.add(cluster)
                    store.execute("INSERT INTO district_clusters (code, name) VALUES (?, ?) "
                                  "ON CONFLICT (code) DO UPDATE SET name = excluded.name "
                                  "WHERE name != excluded.name", (cluster, row["cum"]))
            _put(store, held, counts, (row["ma_xa"], row["ten_xa"], LEVELS[row["cap"]],
                                       row["ma_tinh"], cluster), now)
            counts["communes"] += 1
    counts["provinces"], counts["clusters"] = len(provinces), len(clusters)
    return counts


def _put(store: Store, held: dict, counts: dict, unit: tuple, now: str) -> None:
    """Write a unit that is new or differs from the one held; an unchanged one is left
    alone (its ``imported_at`` too), so importing the same file twice changes nothing."""
    code, *fields = unit
    before = held.get(code)
    if before is not None and (before[1] == "province") != (fields[1] == "province"):
        raise _refused(f"mã {code} đã là {'mã tỉnh' if before[1] == 'province' else 'mã xã'}"
                       " trong danh mục đã nhập")
    if before == tuple(fields):
        return
    counts["added" if before is None else "changed"] += 1
    held[code] = tuple(fields)
    store.execute(
        "INSERT INTO district_units (code, name, level, province_code, cluster_code, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
        "level = excluded.level, province_code = excluded.province_code, "
        "cluster_code = excluded.cluster_code, imported_at = excluded.imported_at",
        (*unit, now))


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
