"""The counts the district reports (ISO 2789 style), by library and month.

Everything is computed from the replicated event log and the current tables of the
district database, so a loan that has since been returned still counts in the month it
was made, and every node's partition is counted under its own library code.

The annual report is the statistical year the district sends each October: the twelve
months from October of the previous year to September of the report year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kiosk.store.db import Store

METRICS: tuple[tuple[str, str], ...] = (
    ("collection", "Vốn tài liệu (bản)"),
    ("acquisitions", "Bổ sung (bản)"),
    ("loans", "Lượt mượn"),
    ("renewals", "Lượt gia hạn"),
    ("active_users", "Bạn đọc hoạt động"),
    ("new_users", "Bạn đọc đăng ký mới"),
    ("visits", "Lượt phục vụ (phiên)"),
)
COUNTED_EVENTS = {"loan.checkout": "loans", "loan.renew": "renewals", "visit": "visits"}
ACTIVITY = ("loan.checkout", "loan.renew", "visit")


@dataclass
class Report:
    """One report: per-library counts for each month of a period, and period totals.

    ``totals`` is not always a sum: the collection is the stock at the end of the period
    and active users are counted once however many months they came.
    """

    title: str
    period: str
    months: list[str]
    libraries: list[tuple[str, str]]
    by_month: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    totals: dict[str, dict[str, int]] = field(default_factory=dict)
    grand: dict[str, int] = field(default_factory=dict)

    def cell(self, code: str, month: str) -> dict[str, int]:
        return self.by_month[(code, month)]


def months_between(first: str, last: str) -> list[str]:
    """``YYYY-MM`` strings from ``first`` to ``last`` inclusive."""
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def next_month(month: str) -> str:
    year, mon = map(int, month.split("-"))
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def report_year_of(today: dt.date) -> int:
    """The latest statistical year that has started: October opens the next one."""
    return today.year + 1 if today.month >= 10 else today.year


def annual_months(year: int) -> tuple[str, str]:
    return f"{year - 1:04d}-10", f"{year:04d}-09"


def reporting_libraries(store: Store) -> list[tuple[str, str]]:
    """Every library and reading point, the district office itself excluded."""
    return [(r["code"], r["name"]) for r in store.all(
        "SELECT code, name FROM libraries WHERE kind != 'district' ORDER BY name, code")]


def _zero() -> dict[str, int]:
    return {key: 0 for key, _ in METRICS}


def _event_counts(store: Store, start: str, stop: str) -> list:
    marks = ",".join("?" * len(COUNTED_EVENTS))
    return store.all(
        f"SELECT library_id, substr(wall_time, 1, 7) AS month, type, COUNT(*) AS n FROM events "
        f"WHERE type IN ({marks}) AND wall_time >= ? AND wall_time < ? "
        "GROUP BY library_id, month, type", (*COUNTED_EVENTS, start, stop))


def _active(store: Store, start: str, stop: str, by_month: bool) -> list:
    group = "library_id, month" if by_month else "library_id"
    return store.all(
        "SELECT library_id, substr(wall_time, 1, 7) AS month, "
        "COUNT(DISTINCT json_extract(payload, '$.patron_id')) AS n FROM events "
        "WHERE type IN (?, ?, ?) AND wall_time >= ? AND wall_time < ? "
        f"AND json_extract(payload, '$.patron_id') IS NOT NULL GROUP BY {group}",
        (*ACTIVITY, start, stop))


def _created(store: Store, table: str, column: str, start: str, stop: str) -> list:
    withdrawn = "AND status != 'withdrawn'" if table == "items" else ""
    return store.all(
        f"SELECT {column} AS library_id, substr(created_at, 1, 7) AS month, COUNT(*) AS n "
        f"FROM {table} WHERE created_at >= ? AND created_at < ? {withdrawn} "
        "GROUP BY library_id, month", (start, stop))


def _stock_before(store: Store, stop: str) -> dict[str, int]:
    """Items held (not withdrawn) that were catalogued before ``stop``, by library.

    The log does not date withdrawals, so a copy withdrawn later leaves earlier months too.
    """
    return {r[0]: r[1] for r in store.all(
        "SELECT library_id, COUNT(*) FROM items WHERE created_at < ? AND status != 'withdrawn' "
        "GROUP BY library_id", (stop,))}


def build(store: Store, first: str, last: str, title: str, period: str) -> Report:
    """Counts for every library for each month ``first``..``last`` (``YYYY-MM``)."""
    months = months_between(first, last)
    start, stop = first, next_month(last)
    libraries = reporting_libraries(store)
    report = Report(title, period, months, libraries)
    known = {code for code, _ in libraries}
    seen: set[str] = set()

    def add(code: str, month: str, key: str, n: int) -> None:
        seen.add(code)
        report.by_month.setdefault((code, month), _zero())[key] += n

    for r in _event_counts(store, start, stop):
        add(r["library_id"], r["month"], COUNTED_EVENTS[r["type"]], r["n"])
    for r in _active(store, start, stop, by_month=True):
        add(r["library_id"], r["month"], "active_users", r["n"])
    for r in _created(store, "items", "library_id", start, stop):
        add(r["library_id"], r["month"], "acquisitions", r["n"])
    for r in _created(store, "patrons", "home_library", start, stop):
        add(r["library_id"], r["month"], "new_users", r["n"])
    for month in months:
        for code, n in _stock_before(store, next_month(month)).items():
            add(code, month, "collection", n)
    report.libraries += [(code, code) for code in sorted(seen - known)]

    for code, _ in report.libraries:
        total = _zero()
        for month in months:
            cell = report.by_month.setdefault((code, month), _zero())
            for key, _label in METRICS:
                if key not in ("collection", "active_users"):
                    total[key] += cell[key]
        total["collection"] = report.by_month[(code, months[-1])]["collection"]
        report.totals[code] = total
    for r in _active(store, start, stop, by_month=False):
        report.totals.setdefault(r["library_id"], _zero())["active_users"] = r["n"]
    report.grand = {key: sum(t[key] for t in report.totals.values()) for key, _ in METRICS}
    report.grand["active_users"] = store.scalar(
        "SELECT COUNT(DISTINCT json_extract(payload, '$.patron_id')) FROM events "
        "WHERE type IN (?, ?, ?) AND wall_time >= ? AND wall_time < ? "
        "AND json_extract(payload, '$.patron_id') IS NOT NULL", (*ACTIVITY, start, stop))
    return report


def annual(store: Store, year: int) -> Report:
    """The report sent in October ``year``: October ``year-1`` to September ``year``."""
    first, last = annual_months(year)
    return build(store, first, last, f"Báo cáo thống kê thư viện năm {year}",
                 f"Từ tháng 10/{year - 1} đến hết tháng 9/{year}")


def monthly(store: Store, month: str) -> Report:
    year, mon = month.split("-")
    return build(store, month, month, f"Báo cáo thống kê tháng {mon}/{year}",
                 f"Tháng {mon}/{year}")


def only(report: Report, code: str) -> Report:
    """The same report narrowed to one library (what a librarian account may see)."""
    narrowed = Report(report.title, report.period, report.months,
                      [(c, n) for c, n in report.libraries if c == code])
    narrowed.by_month = {k: v for k, v in report.by_month.items() if k[0] == code}
    narrowed.totals = {c: t for c, t in report.totals.items() if c == code}
    narrowed.grand = dict(report.totals.get(code) or _zero())
    return narrowed
