"""One month's figures per library, computed from the log, and closing them for good.

A month's figures are computed from the replicated event log and the hub's tables
(``district.reports`` says what each figure means). A month is *closed* once it has
been over for ``close_after_days`` (offline libraries' late syncs still count until
then) or when an operator closes it (``district report close YYYY-MM``): its figures
are then stored in ``district_closed_months`` and every later report reads them from
there, so a copy withdrawn in October, or a loan synced a year late, never rewrites
August once August has been reported.

Besides the month's own figures a closed month stores ``active_users_ytd``: readers
active from the start of the statistical year (October) to the end of that month,
which is what the annual report needs and cannot be summed from months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kiosk.core.library import Library
from kiosk.store.db import Store

ACTIVITY = ("loan.checkout", "loan.renew", "visit")
COUNTED_EVENTS = {"loan.checkout": "loans", "loan.renew": "renewals", "visit": "visits"}
MONTH_METRICS = ("collection", "acquisitions", "withdrawals", "loans", "renewals", "visits",
                 "registered_users", "new_users", "active_users")
YTD = "active_users_ytd"


def next_month(month: str) -> str:
    year, mon = map(int, month.split("-"))
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def year_start(month: str) -> str:
    """The first month of the statistical year (October) that ``month`` belongs to."""
    year, mon = map(int, month.split("-"))
    return f"{year if mon >= 10 else year - 1:04d}-10"


def _withdrawn_sql(where_time: str) -> str:
    return ("SELECT library_id, COUNT(DISTINCT json_extract(payload, '$.id')) FROM events "
            f"WHERE type = 'record.put' AND {where_time} "
            "AND json_extract(payload, '$.table') = 'items' "
            "AND json_extract(payload, '$.fields.status') = 'withdrawn' GROUP BY library_id")


def active(store: Store, start: str, stop: str) -> dict[str, int]:
    """Distinct readers with a loan, renewal or visit in ``[start, stop)``, by library."""
    return {r[0]: r[1] for r in store.all(
        "SELECT library_id, COUNT(DISTINCT json_extract(payload, '$.patron_id')) FROM events "
        "WHERE type IN (?, ?, ?) AND wall_time >= ? AND wall_time < ? "
        "AND json_extract(payload, '$.patron_id') IS NOT NULL GROUP BY library_id",
        (*ACTIVITY, start, stop))}


def live(store: Store, month: str) -> dict[str, dict[str, int]]:
    """The figures of ``month`` (``YYYY-MM``) from the log as it is now, by library."""
    start, stop = month, next_month(month)
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*MONTH_METRICS, YTD), 0))
    marks = ",".join("?" * len(COUNTED_EVENTS))
    for r in store.all(f"SELECT library_id, type, COUNT(*) FROM events WHERE type IN ({marks}) "
                       "AND wall_time >= ? AND wall_time < ? GROUP BY library_id, type",
                       (*COUNTED_EVENTS, start, stop)):
        out[r[0]][COUNTED_EVENTS[r[1]]] = r[2]
    for code, n in active(store, start, stop).items():
        out[code]["active_users"] = n
    for code, n in active(store, year_start(month), stop).items():
        out[code][YTD] = n
    for r in store.all("SELECT library_id, COUNT(*) FROM items WHERE created_at >= ? AND "
                       "created_at < ? GROUP BY library_id", (start, stop)):
        out[r[0]]["acquisitions"] = r[1]
    for r in store.all(_withdrawn_sql("wall_time >= ? AND wall_time < ?"), (start, stop)):
        out[r[0]]["withdrawals"] = r[1]
    created = {r[0]: r[1] for r in store.all(
        "SELECT library_id, COUNT(*) FROM items WHERE created_at < ? GROUP BY library_id", (stop,))}
    gone = {r[0]: r[1] for r in store.all(_withdrawn_sql("wall_time < ?"), (stop,))}
    for code in created.keys() | gone.keys():
        out[code]["collection"] = max(0, created.get(code, 0) - gone.get(code, 0))
    for r in store.all("SELECT home_library, COUNT(*) FROM patrons WHERE created_at >= ? AND "
                       "created_at < ? GROUP BY home_library", (start, stop)):
        out[r[0]]["new_users"] = r[1]
    for r in store.all("SELECT home_library, COUNT(*) FROM patrons WHERE created_at < ? "
                       "GROUP BY home_library", (stop,)):
        out[r[0]]["registered_users"] = r[1]
    return dict(out)


def is_closed(store: Store, month: str) -> bool:
    return store.one("SELECT 1 FROM district_month_closings WHERE month = ?", (month,)) is not None


def stored(store: Store, month: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*MONTH_METRICS, YTD), 0))
    for r in store.all("SELECT library_id, metric, value FROM district_closed_months "
                       "WHERE month = ?", (month,)):
        out[r[0]][r[1]] = r[2]
    return dict(out)


def figures(store: Store, month: str) -> tuple[dict[str, dict[str, int]], bool]:
    """The month's figures by library, and whether they are closed (final)."""
    if is_closed(store, month):
        return stored(store, month), True
    return live(store, month), False


def close_month(library: Library, month: str, actor: str) -> bool:
    """Store ``month``'s figures for good; False when it was already closed."""
    store = library.store
    with store.transaction():
        if is_closed(store, month):
            return False
        rows = [(month, code, metric, value) for code, values in live(store, month).items()
                for metric, value in values.items()]
        store.conn.executemany("INSERT INTO district_closed_months (month, library_id, metric, "
                               "value) VALUES (?, ?, ?, ?)", rows)
        store.execute("INSERT INTO district_month_closings (month, closed_at, closed_by) "
                      "VALUES (?, ?, ?)", (month, library.now_iso(), actor))
    return True


def due(store: Store, today: dt.date, after_days: int) -> list[str]:
    """Months with activity that ended more than ``after_days`` ago and are still open."""
    first = store.scalar("SELECT MIN(substr(wall_time, 1, 7)) FROM events WHERE type IN "
                         "('loan.checkout', 'loan.renew', 'visit')")
    if not first:
        return []
    closed = {r[0] for r in store.all("SELECT month FROM district_month_closings")}
    months, month = [], first
    while True:
        end = dt.date.fromisoformat(next_month(month) + "-01")
        if end + dt.timedelta(days=after_days) > today:
            return months
        if month not in closed:
            months.append(month)
        month = next_month(month)


def close_due(library: Library, after_days: int) -> list[str]:
    months = due(library.store, library.clock.today(), after_days)
    for month in months:
        close_month(library, month, "tự động")
    return months
