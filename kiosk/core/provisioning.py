"""A node's provisioning settings kept in the store's ``meta`` table.

The library code and name are fixed at ``init``; the district server URL and the manually
configured peers (multicast discovery is often blocked on Wi-Fi) can be changed by a
technician. Peers are stored one per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kiosk.core.errors import LibraryError

if TYPE_CHECKING:
    from kiosk.store.db import Store

DISTRICT_URL_KEY = "district_url"
PEERS_KEY = "peers"
SYNC_STATUS_KEY = "sync_status"
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")


@dataclass
class Settings:
    library_code: str | None
    library_name: str
    district_url: str = ""
    peers: list[str] = field(default_factory=list)
    sync_status: str | None = None


def validate_url(text: str, *, what: str = "địa chỉ") -> str:
    """An http(s) URL with a host and optional port, without trailing spaces or slash."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise LibraryError("invalid_input", detail=f"{what} {text!r} không hợp lệ") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LibraryError("invalid_input",
                           detail=f"{what} {text!r}: cần dạng http://máy-chủ[:cổng]")
    host = parts.netloc.rsplit("@", 1)[-1]
    if port is not None:
        host = host.rsplit(":", 1)[0]
    if not _HOST.match(host) or any(c.isspace() for c in text):
        raise LibraryError("invalid_input", detail=f"{what} {text!r}: tên máy không hợp lệ")
    return text.rstrip("/")


def parse_peers(text: str) -> list[str]:
    """One peer URL per line; blank lines ignored, duplicates dropped, each validated."""
    peers: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        url = validate_url(line, what=f"máy ngang hàng dòng {number}")
        if url not in peers:
            peers.append(url)
    return peers


def load(store: "Store") -> Settings:
    peers = store.get_meta(PEERS_KEY) or ""
    return Settings(
        library_code=store.get_meta("library_code"),
        library_name=store.get_meta("library_name", "") or "",
        district_url=store.get_meta(DISTRICT_URL_KEY, "") or "",
        peers=[p for p in peers.splitlines() if p.strip()],
        sync_status=store.get_meta(SYNC_STATUS_KEY),
    )


def save(store: "Store", district_url: str, peers_text: str) -> Settings:
    """Validate both fields, then store them together; nothing is stored if one is bad."""
    url = validate_url(district_url, what="máy chủ tỉnh") if district_url.strip() else ""
    peers = parse_peers(peers_text)
    with store.transaction():
        store.set_meta(DISTRICT_URL_KEY, url)
        store.set_meta(PEERS_KEY, "\n".join(peers))
    return load(store)
