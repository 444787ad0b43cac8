"""The hub's statistics: per library and month, rolled up library → commune → cluster → hub.

Terms follow TCVN 12843:2019 (= ISO 2789:2013, library statistics): the *collection* is
the physical units held at the end of the period; *acquisitions* and *withdrawals* the
units added and discarded in it; *loans* and *renewals* are counted apart (ISO 2789
counts a renewal as a loan transaction of its own kind); *visits* are entrances
recorded at the counter or kiosk; *registered users* hold a card at the end of the
period, *new users* registered in it, and *active users* borrowed, renewed or visited
at least once in it (each person once, however often they came).

The annual report covers the statistical year: January to December, the annual period
of the culture sector's statistical reports (Thông tư 16/2022/TT-BVHTTDL), or twelve
months from another month where a province counts so (``year_starts`` in
``district/config.py``). Its columns are the library indicators of those reports:
libraries by kind, collection, acquisitions, reader cards, visits and loans; which
column is which indicator is in ``docs/operations.md`` ("Báo cáo").

Every figure comes from the replicated event log and the hub's tables, so a loan since
returned still counts in the month it was made, under the library whose partition it
was written in; a closed month's figures are read back as they were stored
(``district/closing.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from district import closing, units
from kiosk.store.db import Store

METRICS: tuple[tuple[str, str], ...] = (
    ("collection", "Vốn tài liệu (bản)"),
    ("acquisitions", "Bổ sung (bản)"),
    ("withdrawals", "Thanh lọc (bản)"),
    ("loans", "Lượt mượn"),
    ("renewals", "Lượt gia hạn"),
    ("visits", "Lượt bạn đọc đến thư viện"),
    ("registered_users", "Bạn đọc có thẻ"),
    ("new_users", "Thẻ bạn đọc cấp mới"),
    ("active_users", "Bạn đọc hoạt động"),
)
STOCKS = ("collection", "registered_users")  # the value at the end of the period
DISTINCT = ("active_users",)  # each person once in the period


@dataclass
class Group:
    """A rollup row: a commune, a cluster or a kind of library, and its totals."""

    level: str
    code: str
    name: str
    libraries: int
    values: dict[str, int]


@dataclass
class Report:
    """Per-library counts for each month of a period, period totals and rollups.

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
    places: dict[str, dict] = field(default_factory=dict)
    communes: list[Group] = field(default_factory=list)
    clusters: list[Group] = field(default_factory=list)
    kinds: list[Group] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    province: str | None = None

    def cell(self, code: str, month: str) -> dict[str, int]:
        return self.by_month[(code, month)]

    @property
    def final(self) -> bool:
        return set(self.closed) == set(self.months)


def months_between(first: str, last: str) -> list[str]:
    """``YYYY-MM`` strings from ``first`` to ``last`` inclusive."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = closing.next_month(month)
    return months


next_month = closing.next_month


def report_year_of(today: dt.date, starts: int = 1) -> int:
    """The latest statistical year that has started. A year that starts in a month other
    than January is named by the year it ends in (October 2025–September 2026 is 2026)."""
    return today.year + 1 if starts > 1 and today.month >= starts else today.year


def annual_months(year: int, starts: int = 1) -> tuple[str, str]:
    if starts == 1:
        return f"{year:04d}-01", f"{year:04d}-12"
    return f"{year - 1:04d}-{starts:02d}", f"{year:04d}-{starts - 1:02d}"


def _places(store: Store) -> dict[str, dict]:
    """Every library and reading point (the hub itself excluded) with its commune,
    cluster and kind, by name."""
    cols = {r["name"] for r in store.all("PRAGMA table_info(libraries)")}
    code_col = "l.commune_code" if "commune_code" in cols else "NULL"
    rows = store.all(
        f"SELECT l.code, l.name, l.kind, l.commune, {code_col} AS commune_code, "
        "u.name AS unit_name, c.code AS cluster_code, c.name AS cluster_name FROM libraries l "
        f"LEFT JOIN district_units u ON u.code = {code_col} "
        "LEFT JOIN district_clusters c ON c.code = u.cluster_code "
        "WHERE l.kind != 'district' ORDER BY l.name, l.code")
    return {r["code"]: {"name": r["name"], "kind": units.kind_group(r["kind"]),
                        "commune_code": r["commune_code"] or "",
                        "commune": r["unit_name"] or r["commune"] or "",
                        "cluster_code": r["cluster_code"] or "",
                        "cluster": r["cluster_name"] or ""} for r in rows}


def _zero() -> dict[str, int]:
    return {key: 0 for key, _ in METRICS}


def _sum(values: list[dict[str, int]]) -> dict[str, int]:
    return {key: sum(v[key] for v in values) for key, _ in METRICS}


def build(store: Store, first: str, last: str, title: str, period: str) -> Report:
    """Counts for every library for each month ``first``..``last`` (``YYYY-MM``)."""
    months = months_between(first, last)
    places = _places(store)
    report = Report(title, period, months, [(c, p["name"]) for c, p in places.items()],
                    places=places, province=units.province_name(store, None))
    ytd_last: dict[str, dict[str, int]] = {}
    for month in months:
        values, closed = closing.figures(store, month)
        if closed:
            report.closed.append(month)
        for code, cell in values.items():
            report.by_month[(code, month)] = {key: cell.get(key, 0) for key, _ in METRICS}
        if month == months[-1]:
            ytd_last = values if closed else {}
    seen = {code for code, _ in report.by_month}
    for code in sorted(seen - places.keys()):  # a partition with no registry row yet
        report.libraries.append((code, code))
        places[code] = {"name": code, "kind": "public", "commune_code": "", "commune": "",
                        "cluster_code": "", "cluster": ""}

    for code, _ in report.libraries:
        cells = [report.by_month.setdefault((code, m), _zero()) for m in months]
        total = _sum(cells)
        for key in STOCKS:
            total[key] = cells[-1][key]
        report.totals[code] = total
    _period_active(store, report, first, last, ytd_last)
    _rollups(report)
    return report


def _period_active(store: Store, report: Report, first: str, last: str,
                   ytd_last: dict[str, dict[str, int]]) -> None:
    """Active users over the whole period: from a closed last month's year-to-date figure
    when the period is a statistical year, else counted from the log."""
    whole_year = first == closing.year_start(last) and len(report.months) == 12
    if whole_year and ytd_last:
        counts = {code: v.get(closing.YTD, 0) for code, v in ytd_last.items()}
    elif len(report.months) == 1:
        counts = {code: report.by_month[(code, first)]["active_users"]
                  for code, _ in report.libraries}
    else:
        counts = closing.active(store, first, next_month(last))
    for code, _ in report.libraries:
        report.totals[code]["active_users"] = counts.get(code, 0)


def _group(report: Report, level: str, key, name) -> list[Group]:
    members: dict[str, list[str]] = defaultdict(list)
    for code, _ in report.libraries:
        members[key(report.places[code])].append(code)
    groups = []
    for group_code, codes in members.items():
        groups.append(Group(level, group_code, name(report.places[codes[0]], group_code),
                            len(codes), _sum([report.totals[c] for c in codes])))
    return sorted(groups, key=lambda g: (g.code == "", g.name))


def _rollups(report: Report) -> None:
    report.communes = _group(report, "commune", lambda p: p["commune_code"] or p["commune"],
                             lambda p, c: p["commune"] or "Chưa gán xã/phường")
    report.clusters = _group(report, "cluster", lambda p: p["cluster_code"],
                             lambda p, c: p["cluster"] or "Ngoài các cụm")
    report.kinds = _group(report, "kind", lambda p: p["kind"],
                          lambda p, c: units.KINDS.get(c, c))
    report.grand = _sum(list(report.totals.values()))


def annual(store: Store, year: int, starts: int = 1) -> Report:
    """The statistical year ``year``: January to December (Thông tư 16/2022/TT-BVHTTDL),
    or from month ``starts`` of ``year-1`` where a province counts so."""
    first, last = annual_months(year, starts)
    (y0, m0), (y1, m1) = (map(int, m.split("-")) for m in (first, last))
    return build(store, first, last, f"Báo cáo thống kê thư viện năm {year}",
                 f"Từ tháng {m0}/{y0} đến hết tháng {m1}/{y1}")


def monthly(store: Store, month: str) -> Report:
    year, mon = month.split("-")
    return build(store, month, month, f"Báo cáo thống kê tháng {mon}/{year}",
                 f"Tháng {mon}/{year}")


def only(report: Report, code: str) -> Report:
    """The same report narrowed to one library (what a librarian account may see)."""
    narrowed = Report(report.title, report.period, report.months,
                      [(c, n) for c, n in report.libraries if c == code],
                      places={c: p for c, p in report.places.items() if c == code},
                      closed=report.closed, province=report.province)
    narrowed.by_month = {k: v for k, v in report.by_month.items() if k[0] == code}
    narrowed.totals = {c: t for c, t in report.totals.items() if c == code}
    _rollups(narrowed)
    return narrowed
