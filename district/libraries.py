"""Registering and editing libraries from the admin pages.

Writes go through ``Library.put("libraries", code, ..., library_id=code)``: the hub
writes into that library's own partition with its per-library origin, which the
ownership rule accepts, so the details reach that library's devices with their next
sync (a write in the hub's own partition would stay at the hub). Only changed fields
are written: an unchanged field in an edit would otherwise claim a new version and
could shadow a concurrent edit elsewhere. A library names its commune by code
(``commune_code``, see ``district/units.py``); the commune's name is written beside it
(``commune``) for devices, which know no codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from district import audit, units
from district.units import KINDS, LEGACY_KINDS
from kiosk.core.errors import LibraryError
from kiosk.core.library import Library
from kiosk.core.node import LIBRARY_CODE

TEXT_FIELDS = ("name", "commune", "address", "opening_hours", "contact")
FIELDS = (*TEXT_FIELDS, "kind", "lat", "lon", "commune_code")


def _invalid(detail: str) -> LibraryError:
    return LibraryError("invalid_input", detail=detail)


def _coordinate(text: str, label: str, limit: float) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise _invalid(f"{label} phải là số thập phân, ví dụ 10.72") from None
    if not -limit <= value <= limit:
        raise _invalid(f"{label} phải nằm trong khoảng ±{limit:g}")
    return value


def parse_form(form: Mapping[str, Any], store=None) -> dict[str, Any]:
    """The library fields from a submitted form, validated; raises LibraryError. With
    ``store``, a chosen ``commune_code`` must be an imported commune, and its name is
    filled in as ``commune``."""
    fields: dict[str, Any] = {k: (str(form.get(k) or "").strip() or None) for k in TEXT_FIELDS}
    if not fields["name"]:
        raise _invalid("cần nhập tên thư viện")
    kind = str(form.get("kind") or "")
    if kind not in KINDS and kind not in LEGACY_KINDS:
        raise _invalid("loại thư viện không hợp lệ")
    fields["kind"] = kind
    code = str(form.get("commune_code") or "").strip()
    if code and store is not None:
        unit = units.commune(store, code)
        if unit is None:
            raise _invalid(f"không có xã/phường mã {code}: nhập danh mục đơn vị hành chính trước")
        fields["commune"] = unit["name"]
    fields["commune_code"] = code or None
    fields["lat"] = _coordinate(str(form.get("lat") or ""), "Vĩ độ", 90)
    fields["lon"] = _coordinate(str(form.get("lon") or ""), "Kinh độ", 180)
    if (fields["lat"] is None) != (fields["lon"] is None):
        raise _invalid("cần nhập cả vĩ độ và kinh độ, hoặc để trống cả hai")
    return fields


def get(library: Library, code: str) -> dict[str, Any] | None:
    row = library.store.one("SELECT * FROM libraries WHERE code = ? AND kind != 'district'", (code,))
    return dict(row) if row else None


def listing(library: Library, code: str | None = None) -> list[dict[str, Any]]:
    rows = library.store.all(
        "SELECT * FROM libraries WHERE kind != 'district' AND (?1 IS NULL OR code = ?1) "
        "ORDER BY name", (code,))
    return [{**dict(r), "kind_label": units.kind_label(r["kind"])} for r in rows]


def add(library: Library, code: str, fields: dict[str, Any], actor: str) -> str:
    """Register a new library; an existing code is refused, never overwritten."""
    code = code.strip().upper()
    if not LIBRARY_CODE.match(code):
        raise _invalid("mã thư viện: 2–32 chữ cái, chữ số, '-' hoặc '_' (ví dụ TN-PHUTHO)")
    with library.transaction():
        if library.store.one("SELECT 1 FROM libraries WHERE code = ?", (code,)):
            raise LibraryError("duplicate", detail=f"đã có thư viện mã {code}")
        library.put("libraries", code, {k: v for k, v in fields.items() if v is not None},
                    library_id=code)
        audit.record(library, actor, "library.added", code, fields["name"])
    return code


def edit(library: Library, code: str, fields: dict[str, Any], actor: str) -> list[str]:
    """Write the changed fields; returns their names."""
    with library.transaction():
        current = get(library, code)
        if current is None:
            raise _invalid(f"không có thư viện {code}")
        changed = {k: v for k, v in fields.items() if current.get(k) != v}
        if changed:
            library.put("libraries", code, changed, library_id=code)
            audit.record(library, actor, "library.edited", code, ", ".join(sorted(changed)))
    return sorted(changed)
