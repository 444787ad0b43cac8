"""Patron requests handled outside the building: postal delivery and remote copies.

Postal delivery is the "Phối hợp Thư viện – Bưu chính" service (a loan sent to the
patron's home by Vietnam Post); a remote copy (sao chụp từ xa) sends scanned pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.core.errors import LibraryError

if TYPE_CHECKING:
    from kiosk.core.library import Library

KINDS = {
    "postal": ("Gửi sách qua bưu điện", "Postal delivery"),
    "copy": ("Sao chụp từ xa", "Remote copy"),
}
STATUSES = {
    "new": ("Mới gửi", "Submitted"),
    "processing": ("Đang xử lý", "Processing"),
    "sent": ("Đã gửi đi", "Sent"),
    "delivered": ("Đã nhận", "Delivered"),
    "cancelled": ("Đã hủy", "Cancelled"),
    "rejected": ("Không thực hiện được", "Rejected"),
}


class Requests:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def create(self, kind: str, card_number: str, record_id: str,
               details: dict[str, Any] | None = None,
               partition: str | None = None) -> dict[str, Any]:
        """File a request; ``partition`` names the library that will handle it (district)."""
        if kind not in KINDS:
            raise LibraryError("invalid_input", detail=f"loại yêu cầu {kind!r}")
        details = details or {}
        if kind == "postal" and not details.get("address"):
            raise LibraryError("invalid_input", detail="cần địa chỉ nhận sách")
        if kind == "copy" and not details.get("pages"):
            raise LibraryError("invalid_input", detail="cần ghi rõ các trang cần sao chụp")
        circ = self.lib.circulation
        patron = circ.patron_for_card(card_number)
        circ._enforce(circ._patron_blocks(patron, self.lib.clock.today()), None)
        self.lib.catalogue.get_record(record_id)
        with self.lib.transaction():
            request_id = self.lib.log.new_entity_id()
            self.lib.record("request.created", {
                "request_id": request_id, "kind": kind, "patron_id": patron["id"],
                "record_id": record_id, "details": details,
            }, library_id=partition)
        return self.get(request_id)

    def get(self, request_id: str) -> dict[str, Any]:
        row = self.store.one(
            "SELECT q.*, r.title FROM requests q JOIN records r ON r.id = q.record_id "
            "WHERE q.id = ?", (request_id,))
        if row is None:
            raise LibraryError("request_not_found")
        data = dict(row)
        data["status_label"] = STATUSES[row["status"]][0]
        data["kind_label"] = KINDS[row["kind"]][0]
        return data

    def set_status(self, request_id: str, status: str) -> dict[str, Any]:
        if status not in STATUSES:
            raise LibraryError("invalid_input", detail=f"trạng thái {status!r}")
        self.get(request_id)
        self.lib.record("request.status", {"request_id": request_id, "status": status})
        return self.get(request_id)

    def list(self, card_number: str | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT id FROM requests", ()
        if card_number:
            sql += " WHERE patron_id = ?"
            params = (self.lib.circulation.patron_for_card(card_number)["id"],)
        return [self.get(r["id"]) for r in self.store.all(sql + " ORDER BY created_at", params)]
