"""Finding a bibliographic record for a scanned ISBN, for the cataloguing screen.

Three places, nearest first: this library's own catalogue (``source="local"``, a record it
catalogued or holds copies of: add copies to it); the union rows already on the device, records other libraries of the district
catalogued and sync brought here (``source="union"``); and the hub's union catalogue over
HTTP when a hub address is set and it answers (``source="hub"``). A union or hub answer
only prefills a new record of this library: each library catalogues its own copy of a work.

The local and on-device look-ups read the database (the database thread); the hub look-up
reads only the network, so it runs on its own thread and never holds up the counter. Lives
outside ``kiosk.core``, which knows nothing of HTTP.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kiosk.core import isbn as isbnlib
from kiosk.core.catalogue import record_dict

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)

HUB_TIMEOUT = (2.0, 4.0)   # connect, read (seconds)
MAX_HUB_BYTES = 256 * 1024
MAX_TEXT = 500
MAX_LIST = 20


class HubUnavailable(Exception):
    """The hub could not be asked (no network, an error status, an unreadable answer)."""


def lookup_isbn(library: "Library", isbn: str) -> dict[str, Any] | None:
    """The record for ``isbn`` (any form: ISBN-10, ISBN-13, hyphens) here or on the device.

    Returns ``None`` when the ISBN is invalid or neither catalogue knows it; a union row
    carries ``source="union"`` and ``from_library`` (the name of the library it came from).
    """
    code = isbnlib.to_isbn13(isbn)
    if code is None:
        return None
    store = library.store
    row = store.one(
        "SELECT * FROM records r WHERE isbn13 = ? AND (library_id = ? OR EXISTS (SELECT 1 "
        "FROM items i WHERE i.record_id = r.id AND i.library_id = ?)) ORDER BY rid LIMIT 1",
        (code, library.code, library.code))
    if row is not None:
        return {**record_dict(row), "source": "local"}
    row = store.one(
        "SELECT r.*, l.name AS from_library FROM records r LEFT JOIN libraries l "
        "ON l.code = r.library_id WHERE r.isbn13 = ? ORDER BY r.rid LIMIT 1", (code,))
    if row is None:
        return None
    return {**record_dict(row), "source": "union", "from_library": row["from_library"]}


def hub_work(hub_url: str, isbn: str, session=None) -> dict[str, Any] | None:
    """The hub's union-catalogue work for ``isbn`` (its public ``/api/sach/i<isbn13>``), or
    ``None`` when the hub does not know it. :class:`HubUnavailable` when it cannot answer."""
    import requests

    code = isbnlib.to_isbn13(isbn)
    if code is None or not hub_url:
        return None
    url = f"{hub_url.rstrip('/')}/api/sach/{quote('i' + code)}"
    http = session or requests
    try:
        with http.get(url, timeout=HUB_TIMEOUT, stream=True,
                      headers={"Accept": "application/json"}) as response:
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise HubUnavailable(f"HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(16384):
                body += chunk
                if len(body) > MAX_HUB_BYTES:
                    raise HubUnavailable("answer too large")
    except requests.RequestException as exc:
        raise HubUnavailable(type(exc).__name__) from exc
    try:
        work = json.loads(body)
    except ValueError as exc:
        raise HubUnavailable("not JSON") from exc
    return _prefill(work, code)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip()[:MAX_TEXT] or None


def _prefill(work: Any, code: str) -> dict[str, Any]:
    """Only the fields a form takes, each of the right type and size: the hub is a peer,
    not trusted to send well-formed data."""
    if not isinstance(work, dict) or not _text(work.get("title")):
        raise HubUnavailable("no title in the answer")
    out: dict[str, Any] = {key: _text(work.get(key)) for key in
                           ("title", "subtitle", "publisher", "ddc")}
    for key in ("authors", "subjects"):
        items = work.get(key) if isinstance(work.get(key), list) else []
        out[key] = [t for t in (_text(item) for item in items[:MAX_LIST]) if t]
    year = work.get("year")
    valid_year = isinstance(year, int) and not isinstance(year, bool) and 0 < year < 10000
    out["year"] = year if valid_year else None
    out["isbn13"] = code
    holdings = work.get("holdings") if isinstance(work.get("holdings"), list) else []
    names = [_text(h.get("library_name")) for h in holdings[:MAX_LIST] if isinstance(h, dict)]
    return {**out, "source": "hub", "from_library": ", ".join(n for n in names if n) or None}
