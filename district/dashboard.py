"""The management dashboard: per-library counts this month and how managed the network is.

Counts follow :class:`kiosk.core.stats.Stats` (from the event log, by ``library_id``), so
the district's figures match what each library's own ``kiosk stats`` says. "Managed
through the system" means at least one enrolled, unrevoked device; the plan's target is
60 % of registered libraries.
"""

from __future__ import annotations

from typing import Any

from district import fleet, units
from kiosk.core.library import Library

MANAGED_TARGET = 0.60
KINDS = units.KINDS


def _by_library(library: Library, sql: str, params: tuple = ()) -> dict[str, int]:
    return {row[0]: row[1] for row in library.store.all(sql, params)}


def summary(library: Library, library_code: str | None = None) -> dict[str, Any]:
    """Rows per registered library (or just one) plus the network-wide figures."""
    month = library.clock.now().strftime("%Y-%m")
    year, mon = map(int, month.split("-"))
    following = f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"
    like = (month, following)  # a range on (type, wall_time): the index, not a scan
    items = _by_library(library, "SELECT library_id, COUNT(*) FROM items "
                                 "WHERE status != 'withdrawn' GROUP BY library_id")
    loans = _by_library(library, "SELECT library_id, COUNT(*) FROM events WHERE type = "
                                 "'loan.checkout' AND wall_time >= ? AND wall_time < ? "
                                 "GROUP BY library_id", like)
    visits = _by_library(library, "SELECT library_id, COUNT(*) FROM events WHERE type = "
                                  "'visit' AND wall_time >= ? AND wall_time < ? "
                                  "GROUP BY library_id", like)
    active = _by_library(library, (
        "SELECT library_id, COUNT(DISTINCT json_extract(payload, '$.patron_id')) FROM events "
        "WHERE type IN ('loan.checkout', 'loan.renew', 'visit') "
        "AND wall_time >= ? AND wall_time < ? "
        "AND json_extract(payload, '$.patron_id') IS NOT NULL GROUP BY library_id"), like)
    held = _by_library(library, "SELECT library_id, COUNT(*) FROM quarantine "
                                "WHERE status = 'open' GROUP BY library_id")
    devices: dict[str, list[dict[str, Any]]] = {}
    for device in fleet.devices(library):
        if device["revoked_at"] is None:
            devices.setdefault(device["library_id"], []).append(device)
    registered = library.store.all(
        "SELECT code, name, kind, commune FROM libraries WHERE kind != 'district' ORDER BY name")
    rows = []
    for lib in registered:
        mine = devices.get(lib["code"], [])
        rows.append({
            "code": lib["code"], "name": lib["name"], "kind": units.kind_label(lib["kind"]),
            "commune": lib["commune"], "items": items.get(lib["code"], 0),
            "loans": loans.get(lib["code"], 0), "active_patrons": active.get(lib["code"], 0),
            "visits": visits.get(lib["code"], 0),
            "last_sync": max((d["last_seen"] for d in mine if d["last_seen"]), default=None),
            "healthy": sum(d["healthy"] for d in mine),
            "unhealthy": sum(not d["healthy"] for d in mine),
            "quarantined": held.get(lib["code"], 0),
        })
    managed = sum(1 for lib in registered if devices.get(lib["code"]))
    share = managed / len(registered) if registered else 0.0
    shown = [r for r in rows if library_code is None or r["code"] == library_code]
    return {
        "month": month, "rows": shown,
        "totals": {key: sum(r[key] for r in shown)
                   for key in ("items", "loans", "active_patrons", "visits", "healthy", "unhealthy",
                               "quarantined")},
        "managed": managed, "registered": len(registered), "managed_share": share,
        "target": MANAGED_TARGET, "target_met": share >= MANAGED_TARGET,
    }
