"""The shelves by Dewey class: how many titles each class holds here, and a class's titles
in shelf order (DDC number, then call number) with what is on the shelf now.

Also lists given titles with their availability, for "readers also borrowed".
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.core import ddc

PAGE = 40

_AVAILABILITY = (
    "SELECT r.id, r.title, r.authors, r.ddc, COUNT(i.id) AS copies, "
    "SUM(l.id IS NOT NULL) AS on_loan, "
    "SUM(l.id IS NULL AND h.id IS NOT NULL) AS held, "
    "SUM(l.id IS NULL AND h.id IS NULL AND i.status = 'available') AS available, "
    "MIN(i.call_number) AS call_number "
    "FROM records r JOIN items i ON i.record_id = r.id AND i.library_id = ? "
    "AND i.status != 'withdrawn' "
    "LEFT JOIN loans l ON l.item_id = i.id "
    "LEFT JOIN holds h ON h.item_id = i.id AND h.status = 'trapped' ")


def _title(row) -> dict[str, Any]:
    return {"id": row["id"], "title": row["title"], "authors": json.loads(row["authors"] or "[]"),
            "ddc": row["ddc"], "call_number": row["call_number"], "copies": row["copies"],
            "available": int(row["available"] or 0), "on_loan": int(row["on_loan"] or 0),
            "held": int(row["held"] or 0)}


def class_counts(store, library: str) -> tuple[dict[str, int], dict[str, int]]:
    """Titles with a copy here: (per main class, per division). Division ``800`` holds
    the class's general works (800–809), main class ``800`` the whole class."""
    rows = store.all(
        "SELECT substr(r.ddc, 1, 2) AS head, COUNT(DISTINCT r.id) FROM records r "
        "JOIN items i ON i.record_id = r.id WHERE i.library_id = ? AND i.status != 'withdrawn' "
        "AND r.ddc GLOB '[0-9][0-9]*' GROUP BY head", (library,))
    mains: dict[str, int] = {}
    divisions: dict[str, int] = {}
    for head, count in rows:
        mains[head[0] + "00"] = mains.get(head[0] + "00", 0) + count
        divisions[head + "0"] = count
    return mains, divisions


def titles_of_class(store, library: str, code: str, page: int = 1,
                    per_page: int = PAGE) -> dict[str, Any]:
    """One page of a division's titles with a copy here, in shelf order, and the total.

    ``code`` is a division (``"890"``; ``"800"`` is the class's general works, 800–809).
    """
    if code not in ddc.DIVISIONS:
        raise ValueError(f"not a DDC division: {code!r}")
    pattern = code[:2] + "*"
    total = store.scalar(
        "SELECT COUNT(DISTINCT r.id) FROM records r JOIN items i ON i.record_id = r.id "
        "WHERE i.library_id = ? AND i.status != 'withdrawn' AND r.ddc GLOB ?",
        (library, pattern))
    page = max(1, page)
    rows = store.all(
        _AVAILABILITY + "WHERE r.ddc GLOB ? GROUP BY r.id "
        "ORDER BY r.ddc, call_number, r.title LIMIT ? OFFSET ?",
        (library, pattern, per_page, (page - 1) * per_page))
    return {"code": code, "name": ddc.name_of(code), "total": total, "page": page,
            "pages": max(1, -(-total // per_page)), "titles": [_title(r) for r in rows]}


def titles(store, library: str, record_ids: list[str]) -> list[dict[str, Any]]:
    """Those records that have a copy here, in the order given, with availability."""
    if not record_ids:
        return []
    marks = ",".join("?" * len(record_ids))
    rows = {r["id"]: r for r in store.all(
        _AVAILABILITY + f"WHERE r.id IN ({marks}) GROUP BY r.id", (library, *record_ids))}
    return [_title(rows[i]) for i in record_ids if i in rows]
