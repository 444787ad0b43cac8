"""How far a running sync has got: events and bytes so far, and the time left.

Kept per peer and direction in the node-local table ``sync_progress`` (migration 7,
never replicated), written by :class:`sync.client.PeerClient` after every
batch, so ``kiosk sync-status`` and the technician screen, in other processes, can show
a transfer that takes minutes on a rural line while it runs. The time left is the events
still to go at the rate seen so far (a pull's total is estimated from the peer's vector,
a push's is exact).
"""

from __future__ import annotations

import time
from typing import Any

from kiosk.store.db import Store

STALE_S = 6 * 3600
LABELS = {"pull": "nhận", "push": "gửi"}


def begin(store: Store, peer: str, direction: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with store.transaction():
        store.execute(
            "INSERT INTO sync_progress (peer, direction, started, updated, events, bytes, "
            "events_left, finished) VALUES (?, ?, ?, ?, 0, 0, NULL, NULL) ON CONFLICT (peer, "
            "direction) DO UPDATE SET started = excluded.started, updated = excluded.updated, "
            "events = 0, bytes = 0, events_left = NULL, finished = NULL",
            (peer, direction, now, now))


def advance(store: Store, peer: str, direction: str, events: int, nbytes: int,
            left: int | None, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with store.transaction():
        store.execute("UPDATE sync_progress SET events = events + ?, bytes = ?, events_left = ?, "
                      "updated = ? WHERE peer = ? AND direction = ?",
                      (events, nbytes, left, now, peer, direction))


def finish(store: Store, peer: str, direction: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with store.transaction():
        store.execute("UPDATE sync_progress SET finished = ?, updated = ?, events_left = 0 "
                      "WHERE peer = ? AND direction = ?", (now, now, peer, direction))


def current(store: Store, now: float | None = None) -> list[dict[str, Any]]:
    """Recent transfers, each with ``eta_s`` (None when unknown) and ``running``."""
    now = time.time() if now is None else now
    out = []
    for row in store.all("SELECT * FROM sync_progress WHERE updated > ? ORDER BY peer, direction",
                         (now - STALE_S,)):
        entry = dict(row)
        elapsed = max(1e-3, row["updated"] - row["started"])
        rate = row["events"] / elapsed
        entry["running"] = row["finished"] is None
        entry["eta_s"] = (round(row["events_left"] / rate) if entry["running"] and rate > 0
                          and row["events_left"] is not None else None)
        entry["seconds"] = round(elapsed, 1)
        out.append(entry)
    return out


def describe(entry: dict[str, Any]) -> str:
    """One Vietnamese line: ``đang nhận từ URL: 1.500 sự kiện, 96 KB; còn khoảng 2 phút``."""
    verb = LABELS.get(entry["direction"], entry["direction"])
    kb = entry["bytes"] / 1024
    size = f"{kb / 1024:.1f} MB" if kb >= 1024 else f"{kb:.0f} KB"
    head = "đang " if entry["running"] else "lần trước đã "
    text = f"{head}{verb} {entry['peer']}: {_n(entry['events'])} sự kiện, {size}"
    if entry["running"]:
        if entry["events_left"]:
            text += f", còn {_n(entry['events_left'])} sự kiện"
        if entry["eta_s"] is not None:
            text += f"; còn khoảng {_duration(entry['eta_s'])}"
    else:
        text += f" trong {_duration(entry['seconds'])}"
    return text


def _n(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} giây"
    if seconds < 5400:
        return f"{round(seconds / 60)} phút"
    return f"{seconds / 3600:.1f} giờ"
