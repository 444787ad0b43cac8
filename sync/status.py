"""Sync status for the UI, the CLI and the district dashboard."""

from __future__ import annotations

import json
from typing import Any

from kiosk.core.library import Library
from kiosk.core import quarantine
from sync import enrolment, replica


def pending_for(library: Library, peer_vector: dict[str, int]) -> int:
    """Events of my partition that the peer did not hold at the last successful round."""
    mine = replica.vector(library.store)
    total = 0
    for origin, top in mine.items():
        if replica.origin_partition(library.store, origin) == library.code:
            total += max(0, top - peer_vector.get(origin, 0))
    return total


def status(library: Library) -> dict[str, Any]:
    store = library.store
    creds = enrolment.credentials(store)
    peers = []
    for row in store.all("SELECT * FROM sync_peers ORDER BY peer"):
        peer_vector = json.loads(row["peer_vector"] or "{}")
        peers.append({
            "peer": row["peer"], "last_attempt": row["last_attempt"],
            "last_success": row["last_success"], "last_error": row["last_error"],
            "events_received": row["events_received"], "events_sent": row["events_sent"],
            "pending": pending_for(library, peer_vector) if row["last_success"] else None,
            "clock_flag": row["clock_flag"],
            "refused_by_peer": row["refused_by_peer"],
        })
    return {
        "library": library.code,
        "origin_id": store.get_meta("origin_id"),
        "enrolled": creds is not None and bool(creds.district_url),
        "has_identity": creds is not None,
        "device_id": creds.device_id if creds else None,
        "district_url": creds.district_url if creds else None,
        "events": store.scalar("SELECT COUNT(*) FROM events"),
        "open_conflicts": store.scalar("SELECT COUNT(*) FROM conflicts WHERE resolution IS NULL"),
        "record_conflicts": library.conflicts.open_field_conflicts(),
        "forks": [dict(r) for r in store.all(
            "SELECT origin_id, from_seq, moved_to, moved, own, at FROM forks ORDER BY id")],
        "quarantined": quarantine.count_open(store),
        "quarantine": [{k: r[k] for k in ("id", "reason", "label", "detail", "type", "library_id")}
                       for r in quarantine.listing(store)[:20]],
        "peers": peers,
    }


def summary_line(library: Library) -> str:
    """One Vietnamese line for the technician screen, kept in meta ``sync_status``."""
    rows = library.store.all("SELECT peer, last_success, last_error FROM sync_peers ORDER BY peer")
    reached = [r for r in rows if r["last_error"] is None and r["last_success"]]
    conflicts = library.store.scalar("SELECT COUNT(*) FROM conflicts WHERE resolution IS NULL")
    last = max((r["last_success"] for r in reached), default=None)
    text = f"{len(reached)}/{len(rows)} máy đồng bộ được"
    if last:
        text += f", lần cuối {last[:16].replace('T', ' ')}"
    failing = [r["peer"] for r in rows if r["last_error"]]
    if failing:
        text += f"; lỗi: {', '.join(failing)}"
    if conflicts:
        text += f"; {conflicts} xung đột chờ xử lý"
    held = quarantine.count_open(library.store)
    if held:
        text += f"; {held} sự kiện bị cách ly (kiosk quarantine list)"
    return text
