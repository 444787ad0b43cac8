"""Events set aside instead of applied: refused by ownership, or impossible to apply.

One bad row must never wedge a library: an event that breaks a rule (another library's
row, a revoked device, a stamp past 2100) or a constraint (a barcode already used, a
missing required field) is stored in the log like every event, so versions advance and
the rest of the batch flows, and listed here with its reason. The fold skips it on every
refold. A librarian or technician sees the list (``kiosk quarantine``, the technician
screen, ``kiosk sync-status``, the hub's dashboard) and settles each one: dismiss it, or
retry it once its cause is fixed (a clashing barcode changed, say).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import LibraryError
from kiosk.store.db import Store
from kiosk.store.eventlog import Event

if TYPE_CHECKING:
    from kiosk.core.library import Library

# kiosk/ui/technician/trust.py re-declares the Vietnamese labels for Qt's translation.
REASONS = {
    "foreign_row": ("Sự kiện sửa dữ liệu của thư viện khác", "Changes another library's data"),
    "revoked_device": ("Thiết bị đã bị thu hồi", "Written by a revoked device"),
    "far_future": ("Dấu thời gian quá xa trong tương lai", "Stamped too far in the future"),
    "constraint": ("Không áp dụng được (trùng hoặc thiếu dữ liệu)",
                   "Cannot be applied (duplicate or missing data)"),
}


def hold(store: Store, event: Event, reason: str, detail: str, at: str) -> None:
    store.execute(
        "INSERT OR IGNORE INTO quarantine (origin_id, seq, uuid, library_id, type, reason, detail, "
        "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (event.origin_id, event.seq, event.uuid, event.library_id, event.type, reason,
         detail[:500], at))


def is_held(store: Store, event: Event) -> bool:
    return store.one("SELECT 1 FROM quarantine WHERE origin_id = ? AND seq = ? AND status = 'open'",
                     (event.origin_id, event.seq)) is not None


def count_open(store: Store) -> int:
    return store.scalar("SELECT COUNT(*) FROM quarantine WHERE status = 'open'") or 0


def listing(store: Store, include_settled: bool = False) -> list[dict[str, Any]]:
    rows = store.all(
        "SELECT q.*, e.payload FROM quarantine q LEFT JOIN events e "
        "ON e.origin_id = q.origin_id AND e.seq = q.seq "
        f"{'' if include_settled else 'WHERE q.status = ?'} ORDER BY q.at, q.origin_id, q.seq",
        () if include_settled else ("open",))
    out = []
    for r in rows:
        data = dict(r)
        data["id"] = f"{r['origin_id'][:12]}:{r['seq']}"
        data["label"] = REASONS.get(r["reason"], (r["reason"], r["reason"]))[0]
        data["payload"] = json.loads(r["payload"]) if r["payload"] else None
        out.append(data)
    return out


def _find(store: Store, ident: str):
    origin, _, seq = ident.partition(":")
    if not origin or not seq.isdigit():
        raise LibraryError("invalid_input", detail=f"mã sự kiện {ident!r}: dạng NGUỒN:SỐ")
    row = store.one("SELECT * FROM quarantine WHERE origin_id LIKE ? AND seq = ? AND status = 'open'",
                    (origin + "%", int(seq)))
    if row is None:
        raise LibraryError("invalid_input", detail=f"không có sự kiện cách ly {ident} chưa xử lý")
    return row


def dismiss(library: "Library", ident: str, who: str) -> None:
    """Keep the event refused for good; it stays in the log, never applied."""
    row = _find(library.store, ident)
    with library.store.transaction():
        library.store.execute(
            "UPDATE quarantine SET status = 'dismissed', settled_at = ?, settled_by = ? "
            "WHERE origin_id = ? AND seq = ?",
            (library.now_iso(), who[:80], row["origin_id"], row["seq"]))


def retry(library: "Library", ident: str, who: str) -> bool:
    """Apply the event again now (its cause fixed); True when it applied."""
    from kiosk.core import fold

    store = library.store
    row = _find(store, ident)
    event = Event.from_row(store.one("SELECT * FROM events WHERE origin_id = ? AND seq = ?",
                                     (row["origin_id"], row["seq"])))
    with store.transaction():
        store.execute("DELETE FROM quarantine WHERE origin_id = ? AND seq = ?",
                      (row["origin_id"], row["seq"]))
        applied = fold.apply_checked(store, event, library.store.get_meta("library_code"),
                                     library.now_iso())
        if applied and not event.type.startswith("record."):
            fold.rebuild_circulation(store)
        if applied:
            store.execute(
                "INSERT INTO quarantine (origin_id, seq, uuid, library_id, type, reason, detail, at, "
                "status, settled_at, settled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'applied', ?, ?)",
                (row["origin_id"], row["seq"], row["uuid"], row["library_id"], row["type"],
                 row["reason"], row["detail"], row["at"], library.now_iso(), who[:80]))
    return applied
