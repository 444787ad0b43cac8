"""Setting a node up: which library it belongs to, its origin id, default rules."""

from __future__ import annotations

import re

from kiosk.core.errors import LibraryError
from kiosk.core.library import Library

LIBRARY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")


def init_library(library: Library, code: str, name: str, *, kind: str = "commune",
                 commune: str | None = None, address: str | None = None,
                 opening_hours: str | None = None) -> None:
    """Make this database the node of library ``code``. Re-running with the same code is safe."""
    if not LIBRARY_CODE.match(code):
        raise LibraryError("invalid_input",
                           detail=f"mã thư viện {code!r}: 2–32 chữ cái, chữ số, '-' hoặc '_'")
    store = library.store
    existing = store.get_meta("library_code")
    if existing is not None and existing != code:
        raise LibraryError("duplicate",
                           detail=f"cơ sở dữ liệu này đã thuộc thư viện {existing}")
    with store.transaction():
        store.set_meta("library_code", code)
        store.set_meta("library_name", name)
        library.put("libraries", code, {
            "name": name, "kind": kind, "commune": commune, "address": address,
            "opening_hours": opening_hours,
        })
        library.policy.seed_defaults()
