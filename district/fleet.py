"""Enrolled devices as the district sees them: last contact, reported status, health.

A device reports its status (software version, open conflicts, and whatever else it
knows: pending events, printer) with every push; the district keeps the latest copy in
``devices.status``. Revoking a device marks it revoked in the registry, so its
next signed request is refused, and remembers who revoked it and when. The revocation is
a row of the library's device registry, so it reaches the library's devices by sync and
every peer there refuses the device too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from district import audit
from kiosk.core.library import Library
from sync import identity

HEALTHY_WITHIN = dt.timedelta(hours=24)
PRINTER_FAULTS = {"error", "offline", "out", "empty", "paper_out", "jam"}


def problem(status: dict[str, Any]) -> str | None:
    """What the device itself reports as wrong, if anything."""
    if status.get("error"):
        return str(status["error"])
    if status.get("quarantined"):
        return f"{status['quarantined']} sự kiện bị cách ly, chờ xử lý"
    printer = status.get("printer")
    values = printer.values() if isinstance(printer, dict) else [printer]
    faults = [str(v) for v in values if isinstance(v, str) and v.lower() in PRINTER_FAULTS]
    return f"máy in: {', '.join(faults)}" if faults else None


def printer_text(status: dict[str, Any]) -> str | None:
    printer = status.get("printer")
    if isinstance(printer, dict):
        return ", ".join(f"{k}: {v}" for k, v in printer.items())
    return str(printer) if printer is not None else None


def is_healthy(last_seen: str | None, status: dict[str, Any], now: dt.datetime) -> bool:
    if not last_seen:
        return False
    return now - dt.datetime.fromisoformat(last_seen) <= HEALTHY_WITHIN and problem(status) is None


def devices(library: Library, library_code: str | None = None) -> list[dict[str, Any]]:
    now = library.clock.now()
    rows = library.store.all(
        "SELECT d.*, l.name AS library_name, r.revoked_at, r.revoked_by FROM devices d "
        "LEFT JOIN libraries l ON l.code = d.library_id "
        "LEFT JOIN district_revoked_devices r ON r.device_id = d.device_id "
        "WHERE ?1 IS NULL OR d.library_id = ?1 ORDER BY d.library_id, d.enrolled_at",
        (library_code,))
    found = []
    for row in rows:
        status = _status(row["status"])
        found.append({
            "device_id": row["device_id"], "library_id": row["library_id"],
            "library_name": row["library_name"], "name": row["name"],
            "enrolled_at": row["enrolled_at"], "last_seen": row["last_seen"],
            "app_version": row["app_version"], "pending": status.get("pending"),
            "conflicts": status.get("conflicts"), "printer": printer_text(status),
            "problem": problem(status), "revoked_at": row["revoked_at"],
            "healthy": row["revoked_at"] is None and is_healthy(row["last_seen"], status, now),
        })
    return found


def _status(text: str | None) -> dict[str, Any]:
    try:
        status = json.loads(text or "{}")
    except ValueError:
        return {}
    return status if isinstance(status, dict) else {}


def revoke(library: Library, device_id: str, actor: str) -> bool:
    """Revoke a device; False when there is no such device or it was already revoked."""
    store = library.store
    with store.transaction():
        row = store.one("SELECT library_id FROM devices WHERE device_id = ?", (device_id,))
        if row is None or store.one("SELECT 1 FROM district_revoked_devices WHERE device_id = ?",
                                    (device_id,)):
            return False
        store.execute("INSERT INTO district_revoked_devices (device_id, revoked_at, revoked_by) "
                      "VALUES (?, ?, ?)", (device_id, library.now_iso(), actor))
        identity.revoke(library, device_id, actor)
        audit.record(library, actor, "device.revoked", device_id, f"thư viện {row['library_id']}")
    return True
