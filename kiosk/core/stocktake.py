"""Stocktake of one shelf location: what was scanned against what the catalogue expects.

The comparison (:func:`compare`) is pure: it takes the items as plain dicts so it can be
tested without a database; :func:`shelf_items` and :func:`locations` read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from kiosk.core.library import Library

ON_SHELF_STATUSES = ("available",)


@dataclass
class StocktakeResult:
    location: str
    found: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    misplaced: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"found": len(self.found), "missing": len(self.missing),
                "misplaced": len(self.misplaced), "unknown": len(self.unknown)}


def _why_misplaced(item: dict[str, Any], location: str) -> str:
    if item.get("on_loan"):
        return "Đang cho mượn (chưa ghi trả)"
    if item.get("location") != location:
        return f"Thuộc vị trí khác: {item.get('location') or 'chưa ghi vị trí'}"
    return f"Tình trạng: {item.get('status')}"


def compare(location: str, items: Iterable[dict[str, Any]], scanned: Iterable[str]
            ) -> StocktakeResult:
    """Classify a shelf's items and the scanned barcodes.

    ``items`` are every known item (at least those of this location and those scanned),
    each with ``barcode``, ``location``, ``status`` and ``on_loan``. Found: scanned and
    expected here. Missing: expected here (at this location, available, not on loan) but
    not scanned. Misplaced: scanned but belonging elsewhere, on loan or not available.
    Unknown: scanned barcodes no item carries.
    """
    by_barcode = {item["barcode"]: item for item in items}
    seen: list[str] = []
    for code in scanned:
        code = code.strip()
        if code and code not in seen:
            seen.append(code)
    result = StocktakeResult(location)

    def expected(item: dict[str, Any]) -> bool:
        return (item.get("location") == location and not item.get("on_loan")
                and item.get("status") in ON_SHELF_STATUSES)

    for code in seen:
        item = by_barcode.get(code)
        if item is None:
            result.unknown.append(code)
        elif expected(item):
            result.found.append(item)
        else:
            result.misplaced.append({**item, "reason": _why_misplaced(item, location)})
    scanned_set = set(seen)
    result.missing = sorted(
        (item for item in by_barcode.values() if expected(item) and item["barcode"] not in scanned_set),
        key=lambda item: (item.get("call_number") or "", item["barcode"]))
    return result


_ITEM_SQL = ("SELECT i.barcode, i.location, i.status, i.call_number, r.title, "
             "EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id) AS on_loan "
             "FROM items i JOIN records r ON r.id = i.record_id")


def locations(library: "Library") -> list[str]:
    """Shelf locations used by this library's items, alphabetically."""
    rows = library.store.all(
        "SELECT DISTINCT location FROM items WHERE location IS NOT NULL AND location != '' "
        "AND library_id = ? ORDER BY location", (library.code,))
    return [r[0] for r in rows]


def shelf_items(library: "Library", location: str, scanned: Iterable[str] = ()
                ) -> list[dict[str, Any]]:
    """The items of ``location`` plus those carrying any of the ``scanned`` barcodes."""
    codes = sorted({c.strip() for c in scanned if c.strip()})
    rows = library.store.all(_ITEM_SQL + " WHERE i.location = ? AND i.library_id = ?",
                             (location, library.code))
    if codes:
        rows += library.store.all(
            _ITEM_SQL + f" WHERE i.barcode IN ({','.join('?' * len(codes))})", codes)
    return [{**dict(r), "on_loan": bool(r["on_loan"])} for r in rows]


def run(library: "Library", location: str, scanned: Iterable[str]) -> StocktakeResult:
    scanned = list(scanned)
    return compare(location, shelf_items(library, location, scanned), scanned)
