"""The counts the district asks for (ISO 2789 style), by month, from the event log.

Counts come from events rather than current state, so a loan that has since been
returned still counts in the month it was made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.core.library import Library

DDC_CLASSES = {
    "0": "Tổng loại", "1": "Triết học, tâm lý học", "2": "Tôn giáo", "3": "Khoa học xã hội",
    "4": "Ngôn ngữ", "5": "Khoa học tự nhiên", "6": "Công nghệ, nông nghiệp",
    "7": "Nghệ thuật, giải trí", "8": "Văn học", "9": "Lịch sử, địa lý",
}


class Stats:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def _count(self, event_type: str, period: str, distinct_patrons: bool = False) -> int:
        expr = ("COUNT(DISTINCT json_extract(payload, '$.patron_id'))" if distinct_patrons
                else "COUNT(*)")
        return self.store.scalar(
            f"SELECT {expr} FROM events WHERE type = ? AND wall_time LIKE ? "
            "AND library_id = ?", (event_type, period + "%", self.lib.code))

    def period(self, period: str) -> dict[str, Any]:
        """Counts for ``YYYY-MM`` (a month) or ``YYYY`` (a year) at this library."""
        active = self.store.scalar(
            "SELECT COUNT(DISTINCT json_extract(payload, '$.patron_id')) FROM events "
            "WHERE type IN ('loan.checkout', 'loan.renew', 'visit') AND wall_time LIKE ? "
            "AND library_id = ? AND json_extract(payload, '$.patron_id') IS NOT NULL",
            (period + "%", self.lib.code))
        return {
            "period": period,
            "loans": self._count("loan.checkout", period),
            "renewals": self._count("loan.renew", period),
            "returns": self._count("loan.checkin", period),
            "visits": self._count("visit", period),
            "active_patrons": active,
            "new_patrons": self.store.scalar(
                "SELECT COUNT(*) FROM patrons WHERE created_at LIKE ? AND home_library = ?",
                (period + "%", self.lib.code)),
            "acquisitions": self.store.scalar(
                "SELECT COUNT(*) FROM items WHERE created_at LIKE ? AND library_id = ?",
                (period + "%", self.lib.code)),
            "holds_placed": self._count("hold.placed", period),
            "requests": self._count("request.created", period),
        }

    def months(self, year: int) -> list[dict[str, Any]]:
        return [self.period(f"{year}-{m:02d}") for m in range(1, 13)]

    def collection_by_ddc(self) -> list[dict[str, Any]]:
        rows = self.store.all(
            "SELECT COALESCE(substr(r.ddc, 1, 1), '?') AS cls, COUNT(DISTINCT r.id) AS titles, "
            "COUNT(*) AS items FROM items i JOIN records r ON r.id = i.record_id "
            "WHERE i.library_id = ? AND i.status != 'withdrawn' GROUP BY cls ORDER BY cls",
            (self.lib.code,))
        return [{"class": r["cls"], "label": DDC_CLASSES.get(r["cls"], "Chưa phân loại"),
                 "titles": r["titles"], "items": r["items"]} for r in rows]

    def loans_by_ddc(self, period: str) -> list[dict[str, Any]]:
        rows = self.store.all(
            "SELECT COALESCE(substr(r.ddc, 1, 1), '?') AS cls, COUNT(*) AS loans FROM events e "
            "JOIN items i ON i.id = json_extract(e.payload, '$.item_id') "
            "JOIN records r ON r.id = i.record_id WHERE e.type = 'loan.checkout' "
            "AND e.wall_time LIKE ? AND e.library_id = ? GROUP BY cls ORDER BY cls",
            (period + "%", self.lib.code))
        return [{"class": r["cls"], "label": DDC_CLASSES.get(r["cls"], "Chưa phân loại"),
                 "loans": r["loans"]} for r in rows]
