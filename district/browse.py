"""The union catalogue by Dewey class (the OPAC's shelf browser): works per division across
every library, and one division's works in class order.

Divisions are read as ranges of the ``records_ddc`` index (migration 8). Counting every
division reads the whole index, so the counts are kept for a few minutes
(:class:`CountsCache`); a division's page is read when asked.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from district.union import UnionCatalogue
from kiosk.core import ddc

PER_PAGE = 20
COUNTS_SECONDS = 300.0


def division_counts(union: UnionCatalogue) -> dict[str, int]:
    """Works per division (``"890"``; ``"800"`` the class's general works)."""
    rows = union.store.all(
        "SELECT substr(r.ddc, 1, 2) AS head, COUNT(DISTINCT u.work_key) FROM records r "
        "JOIN union_keys u ON u.record_id = r.id WHERE r.ddc GLOB '[0-9][0-9]*' GROUP BY head")
    return {head + "0": count for head, count in rows}


class CountsCache:
    """The division counts, recounted when older than ``seconds``."""

    def __init__(self, seconds: float = COUNTS_SECONDS):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._at: float | None = None
        self._counts: dict[str, int] = {}

    def get(self, union: UnionCatalogue) -> dict[str, int]:
        with self._lock:
            if self._at is None or time.monotonic() - self._at > self.seconds:
                self._counts = division_counts(union)
                self._at = time.monotonic()
            return self._counts


def classes(union: UnionCatalogue, counts: dict[str, int]) -> list[dict[str, Any]]:
    """The ten main classes, each with its divisions and their counts."""
    return [{"code": code, "name": name,
             "count": sum(counts.get(d, 0) for d, _ in ddc.divisions_of(code)),
             "divisions": [{"code": d, "name": n, "count": counts.get(d, 0)}
                           for d, n in ddc.divisions_of(code)]}
            for code, name in ddc.MAIN_CLASSES.items()]


def division(union: UnionCatalogue, code: str, page: int = 1) -> dict[str, Any]:
    """One page of a division's works, in DDC number order; ``code`` must be a division."""
    if code not in ddc.DIVISIONS:
        raise ValueError(f"not a DDC division: {code!r}")
    pattern = code[:2] + "*"
    total = union.store.scalar(
        "SELECT COUNT(DISTINCT u.work_key) FROM records r JOIN union_keys u "
        "ON u.record_id = r.id WHERE r.ddc GLOB ?", (pattern,))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    keys = [r[0] for r in union.store.all(
        "SELECT u.work_key, MIN(r.ddc) AS number, MIN(r.title) AS title FROM records r "
        "JOIN union_keys u ON u.record_id = r.id WHERE r.ddc GLOB ? "
        "GROUP BY u.work_key ORDER BY number, title LIMIT ? OFFSET ?",
        (pattern, PER_PAGE, (page - 1) * PER_PAGE))]
    return {"code": code, "name": ddc.DIVISIONS[code], "main": ddc.parent_of(code),
            "main_name": ddc.MAIN_CLASSES[ddc.parent_of(code)], "total": total,
            "page": page, "pages": pages, "works": union.works(keys)}
