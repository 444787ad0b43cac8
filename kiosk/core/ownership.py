"""Who may change which row: the check every node runs before it applies a peer's event.

An event belongs to one partition (``library_id``, the library of its origin). It may
create or change only rows that library owns: its patrons (``home_library``), its items
(``library_id``), the records it catalogued (``records.library_id``) and their
attachments, its own ``libraries`` row, its devices, and loans, holds and requests of
its items and pickup desk. The hub writes into a library's partition with an origin of
its own for that library, so the same rule covers it. ``*`` is the hub's shared
partition; only the hub may write it, and a device's push with it is refused earlier,
at the partition check. Settings tables (policies, closed days) hold one library's
rules: a node folds only its own library's.

Each rule reads only rows whose owner never changes (an item's library, a patron's home
library, a record's cataloguing library), so every node reaches the same verdict.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.store.db import Store
from kiosk.store.eventlog import Event

SHARED = "*"
SETTINGS_TABLES = ("policies", "closed_days")
OWNER_COLUMN = {"items": "library_id", "patrons": "home_library", "records": "library_id",
                "device_registry": "library_id", "device_origins": "library_id"}


class Refused(Exception):
    """An event its origin's library may not write; ``reason`` is a stable code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _owner(store: Store, table: str, row_id: str) -> str | None:
    column = OWNER_COLUMN[table]
    return store.scalar(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,))


def _check_row(store: Store, event: Event, table: str, row_id: str, fields: dict[str, Any]) -> None:
    lib = event.library_id
    if table in OWNER_COLUMN:
        owner = _owner(store, table, row_id)
        if owner is not None and owner != lib:
            raise Refused("foreign_row", f"{table} {row_id} thuộc thư viện {owner}, "
                                         f"sự kiện của thư viện {lib}")
        claimed = fields.get(OWNER_COLUMN[table])
        if claimed is not None and claimed != lib:
            raise Refused("foreign_row", f"{table} {row_id}: thư viện {lib} không được "
                                         f"gán cho thư viện {claimed}")
        if table == "device_origins" and fields.get("device_id"):
            device_owner = _owner(store, "device_registry", str(fields["device_id"]))
            if device_owner is not None and device_owner != lib:
                raise Refused("foreign_row", f"thiết bị {fields['device_id']} thuộc {device_owner}")
    elif table == "attachments":
        record_id = fields.get("record_id") or store.scalar(
            "SELECT record_id FROM attachments WHERE id = ?", (row_id,))
        owner = _owner(store, "records", str(record_id)) if record_id else None
        if owner is not None and owner != lib:
            raise Refused("foreign_row", f"tài liệu số của biểu ghi {record_id} thuộc {owner}")
    elif table == "libraries":
        if row_id != lib:
            raise Refused("foreign_row", f"thư viện {lib} không được sửa thông tin của {row_id}")


def _item_owner(store: Store, item_id: Any) -> str | None:
    return store.scalar("SELECT library_id FROM items WHERE id = ?", (str(item_id),))


def _check_circulation(store: Store, event: Event) -> None:
    lib, p = event.library_id, event.payload
    if event.type.startswith("loan."):
        owner = _item_owner(store, p.get("item_id"))
        if owner is not None and owner != lib:
            raise Refused("foreign_row", f"bản sách {p.get('item_id')} thuộc {owner}: thư viện "
                                         f"{lib} không được cho mượn/nhận trả")
    elif event.type == "hold.placed":
        if p.get("pickup_library") != lib:
            raise Refused("foreign_row", f"đặt trước nhận tại {p.get('pickup_library')} "
                                         f"nằm trong phân vùng {lib}")
    elif event.type.startswith("hold."):
        pickup = store.scalar("SELECT pickup_library FROM holds WHERE id = ?", (p.get("hold_id"),))
        if pickup is not None and pickup != lib:
            raise Refused("foreign_row", f"lượt đặt trước {p.get('hold_id')} thuộc {pickup}")
    elif event.type == "request.status":
        owner = store.scalar("SELECT library_id FROM requests WHERE id = ?",
                             (p.get("request_id"),))
        if owner is not None and owner != lib:
            raise Refused("foreign_row", f"yêu cầu {p.get('request_id')} thuộc {owner}")


def check(store: Store, event: Event) -> None:
    """Raise :class:`Refused` if ``event``'s library may not write what it touches."""
    if event.library_id == SHARED:
        return
    if event.type in ("record.put", "record.delete"):
        table, row_id = event.payload["table"], str(event.payload["id"])
        _check_row(store, event, table, row_id, event.payload.get("fields") or {})
    else:
        _check_circulation(store, event)


def applies_here(event: Event, node_library: str | None) -> bool:
    """Settings events of another library are kept in the log but not folded here (the
    hub holds every library's rules in their events, and folds only its own)."""
    if event.type in ("record.put", "record.delete") and \
            event.payload.get("table") in SETTINGS_TABLES:
        return event.library_id in (node_library, SHARED)
    return True


def revoked_device(store: Store, event: Event) -> str | None:
    """The device id if ``event`` was written by a device after its revocation."""
    row = store.one(
        "SELECT r.id, r.revoked_hlc FROM device_origins o JOIN device_registry r "
        "ON r.id = o.device_id WHERE o.id = ? AND r.revoked_at IS NOT NULL",
        (event.origin_id,))
    if row is None:
        return None
    return row["id"] if event.hlc > int(row["revoked_hlc"] or 0) else None


def describe(event: Event) -> str:
    payload = json.dumps(event.payload, ensure_ascii=False)
    return f"{event.type} {payload[:160]}"
