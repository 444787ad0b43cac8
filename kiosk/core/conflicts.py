"""Conflicts that only a merge of offline work can produce, and their resolutions.

The fold detects them (see :mod:`kiosk.core.fold`) with an id derived from the events
involved, so every node lists the same conflict under the same id. A librarian closes
one with a ``conflict.resolved`` event, which replicates like any other; resolutions
that change who holds a copy append the circulation events that do so.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import LibraryError
from kiosk.core.fold import RECORD_KEYS

if TYPE_CHECKING:
    from kiosk.core.library import Library

KINDS = {
    "double_checkout": ("Một bản sách được cho mượn hai lần khi mất kết nối",
                        "The same copy was lent twice while offline"),
    "return_without_loan": ("Trả sách không có lượt mượn tương ứng",
                            "A return with no matching loan"),
    "renew_after_return": ("Gia hạn sau khi sách đã được trả", "A renewal after the return"),
    "hold_filled_twice": ("Một lượt đặt trước được đáp ứng hai lần", "A hold filled twice"),
}
RESOLUTIONS = {
    "acknowledge": ("Đã kiểm tra, giữ nguyên", "Checked, keep as is"),
    "keep_first": ("Giữ lượt mượn đầu tiên", "Keep the first loan"),
    "keep_second": ("Chuyển cho người mượn sau", "Give the loan to the later borrower"),
    "close_loan": ("Sách đã được trả: đóng lượt mượn", "The copy is back: close the loan"),
}
APPLICABLE = {
    "double_checkout": ("acknowledge", "keep_first", "keep_second"),
    "return_without_loan": ("acknowledge", "close_loan"),
    "renew_after_return": ("acknowledge", "close_loan"),
    "hold_filled_twice": ("acknowledge",),
}


class Conflicts:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def _select(self, where: str, params: tuple = ()) -> list[dict[str, Any]]:
        out = []
        for row in self.store.all(
                "SELECT c.*, i.barcode, r.title FROM conflicts c "
                "LEFT JOIN items i ON i.id = c.item_id LEFT JOIN records r ON r.id = i.record_id "
                f"WHERE {where} ORDER BY c.detected_hlc, c.id", params):
            data = dict(row)
            data["event_uuids"] = json.loads(row["event_uuids"])
            data["resolution"] = json.loads(row["resolution"]) if row["resolution"] else None
            data["label"] = KINDS.get(row["kind"], (row["kind"], row["kind"]))[0]
            data["events"] = self.events_of(data["event_uuids"])
            out.append(data)
        return out

    def list(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        return self._select("1" if include_resolved else "c.resolution IS NULL")

    def events_of(self, uuids: list[str]) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(uuids))
        rows = self.store.all(
            f"SELECT uuid, type, wall_time, library_id, origin_id, payload FROM events "
            f"WHERE uuid IN ({marks}) ORDER BY hlc, origin_id, seq", uuids)
        return [{**dict(r), "payload": json.loads(r["payload"])} for r in rows]

    def get(self, conflict_id: str) -> dict[str, Any]:
        found = self._select("c.id = ?", (conflict_id,))
        if not found:
            raise LibraryError("invalid_input", detail=f"không có xung đột {conflict_id}")
        return found[0]

    def resolve(self, conflict_id: str, resolution: str, note: str = "") -> dict[str, Any]:
        conflict = self.get(conflict_id)
        if conflict["resolution"] is not None:
            raise LibraryError("duplicate", detail=f"xung đột {conflict_id} đã được xử lý")
        if resolution not in RESOLUTIONS:
            raise LibraryError("invalid_input", detail=f"cách xử lý {resolution!r}")
        if resolution not in APPLICABLE.get(conflict["kind"], ("acknowledge",)):
            raise LibraryError("invalid_input",
                               detail=f"cách xử lý {resolution!r} không áp dụng cho xung đột này")
        with self.lib.transaction():
            if resolution == "keep_second":
                self._give_to_later_borrower(conflict)
            elif resolution == "close_loan":
                self._close_open_loan(conflict)
            self.lib.record("conflict.resolved", {
                "conflict_id": conflict_id, "resolution": resolution, "note": note})
        return self.get(conflict_id)

    def _close_open_loan(self, conflict: dict[str, Any]) -> None:
        loan = self.store.one("SELECT * FROM loans WHERE item_id = ?", (conflict["item_id"],))
        if loan is not None:
            self.lib.record("loan.checkin", {"item_id": loan["item_id"], "loan_id": loan["id"],
                                             "patron_id": loan["patron_id"],
                                             "conflict_id": conflict["id"]})

    def _give_to_later_borrower(self, conflict: dict[str, Any]) -> None:
        checkouts = [e for e in conflict["events"] if e["type"] == "loan.checkout"]
        later = checkouts[-1]["payload"]
        loan = self.store.one("SELECT * FROM loans WHERE item_id = ?", (later["item_id"],))
        if loan is not None:
            self.lib.record("loan.checkin", {"item_id": loan["item_id"], "loan_id": loan["id"],
                                             "patron_id": loan["patron_id"],
                                             "conflict_id": conflict["id"]})
        self.lib.record("loan.checkout", {**later, "conflict_id": conflict["id"]})

    # Concurrent edits of a record field (see kiosk.core.versions)

    def settled_fields(self) -> set[str]:
        """Field conflicts settled anywhere: a settlement is a ``conflict.resolved`` event
        with ``kind = 'field'``, so it reaches every node by sync and closes the conflict
        there too, whatever order the edits and the settlement arrive in. Only the library
        that owns the row (or the hub's shared partition) can settle it."""
        from kiosk.core import ownership

        settled = set()
        for conflict_id, library, table, record_id in self.store.all(
                "SELECT json_extract(payload, '$.conflict_id'), library_id, "
                "json_extract(payload, '$.table'), json_extract(payload, '$.record_id') "
                "FROM events e WHERE type = 'conflict.resolved' AND "
                "json_extract(payload, '$.kind') = 'field' AND NOT EXISTS (SELECT 1 FROM "
                "quarantine q WHERE q.origin_id = e.origin_id AND q.seq = e.seq "
                "AND q.status != 'applied')"):
            owner = (ownership._owner(self.store, table, str(record_id))
                     if table in ownership.OWNER_COLUMN else None)
            if owner in (None, library) or library == ownership.SHARED:
                settled.add(conflict_id)
        return settled

    def open_field_conflicts(self) -> int:
        if not self.store.scalar("SELECT COUNT(*) FROM record_conflicts WHERE resolved = 0"):
            return 0
        return len(self.field_conflicts())

    def field_conflicts(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT * FROM record_conflicts"
        if not include_resolved:
            sql += " WHERE resolved = 0"
        settled = self.settled_fields()
        out = []
        for row in self.store.all(sql + " ORDER BY tbl, record_id, field"):
            if row["id"] in settled and not include_resolved:
                continue
            data = dict(row)
            data["resolved"] = int(bool(row["resolved"]) or row["id"] in settled)
            data["loser_value"] = json.loads(row["loser_value"]) if row["loser_value"] else None
            key = RECORD_KEYS.get(row["tbl"])
            current = self.store.one(f"SELECT {row['field']} FROM {row['tbl']} WHERE {key} = ?",
                                     (row["record_id"],)) if key else None
            data["current_value"] = current[0] if current is not None else None
            out.append(data)
        return out

    def settle_field(self, conflict_id: str, keep: str) -> None:
        """Close a field conflict: keep the current value, or write the losing one back."""
        row = self.store.one("SELECT * FROM record_conflicts WHERE id = ?", (conflict_id,))
        if row is None or row["resolved"]:
            raise LibraryError("invalid_input", detail=f"không có xung đột {conflict_id}")
        if keep not in ("current", "other"):
            raise LibraryError("invalid_input", detail=f"chọn 'current' hoặc 'other', không phải {keep!r}")
        if conflict_id in self.settled_fields():
            raise LibraryError("duplicate", detail=f"xung đột {conflict_id} đã được xử lý")
        with self.lib.transaction():
            if keep == "other":
                self.lib.put(row["tbl"], row["record_id"],
                             {row["field"]: json.loads(row["loser_value"])})
            self.store.execute("UPDATE record_conflicts SET resolved = 1 WHERE id = ?", (conflict_id,))
            self.lib.record("conflict.resolved", {
                "conflict_id": conflict_id, "kind": "field", "resolution": f"keep_{keep}",
                "table": row["tbl"], "record_id": row["record_id"], "field": row["field"]})
