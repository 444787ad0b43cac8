"""The audit log of administrative actions: who did what, to what, and when.

Rows are only ever appended, in the hub's own table (``district/schema.py``). Details
name records (a library code, a device id, a user name), never a password, a code or a
patron.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.library import Library

ACTIONS = {
    "login": "Đăng nhập",
    "login.failed": "Đăng nhập sai",
    "login.locked": "Khóa tài khoản (sai nhiều lần; phiên bản cũ)",
    "logout": "Đăng xuất",
    "user.created": "Tạo tài khoản",
    "user.password_changed": "Đổi mật khẩu",
    "user.unlocked": "Bỏ giới hạn đăng nhập",
    "user.removed": "Xóa tài khoản",
    "library.added": "Thêm thư viện",
    "library.edited": "Sửa thư viện",
    "enrolment_code.issued": "Cấp mã đăng ký thiết bị",
    "device.revoked": "Thu hồi thiết bị",
    "bundle.imported": "Nhập gói đồng bộ qua USB",
    "bundle.refused": "Từ chối gói đồng bộ qua USB",
}


def record(library: Library, actor: str, action: str, target: str | None = None,
           detail: str | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with library.store.transaction():
        library.store.execute(
            "INSERT INTO district_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (library.now_iso(), actor[:80], action, (target or "")[:120] or None,
             (detail or "")[:500] or None))


def recent(library: Library, limit: int = 200) -> list[dict[str, Any]]:
    rows = library.store.all(
        "SELECT * FROM district_audit ORDER BY id DESC LIMIT ?", (limit,))
    return [{**dict(row), "label": ACTIONS.get(row["action"], row["action"])} for row in rows]
