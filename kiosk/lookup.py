"""Finding a bibliographic record for a scanned ISBN, for the cataloguing screen.

The hook the sync work extends: today only the local catalogue is searched; the union
catalogue of the district (over HTTP, which the core must not import) is to be asked here
when the local catalogue does not know the ISBN. Lives outside ``kiosk.core`` for that
reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.core import isbn as isbnlib

if TYPE_CHECKING:
    from kiosk.core.library import Library


def lookup_isbn(library: "Library", isbn: str) -> dict[str, Any] | None:
    """The record for ``isbn`` (any form: ISBN-10, ISBN-13, hyphens), with ``source``.

    Returns ``None`` when the ISBN is invalid or no catalogue knows it. ``source`` is
    ``"local"`` for a record of this node's catalogue.
    """
    if isbnlib.to_isbn13(isbn) is None:
        return None
    record = library.catalogue.find_by_isbn(isbn)
    if record is not None:
        return {**record, "source": "local"}
    return None
