"""Read-only views the kiosk needs that the core does not offer as one call yet.

Each function runs inside an ``Ops`` work function, on the database thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.core import shelf

if TYPE_CHECKING:
    from kiosk.core.library import Library
    from kiosk.core.recommend import Recommender

RELATED = 6


def library_info(lib: Library) -> dict[str, Any]:
    """Name and opening hours of this node's library, for the attract screen."""
    row = lib.store.one("SELECT name, opening_hours, address FROM libraries WHERE code = ?",
                        (lib.code,))
    info = dict(row) if row else {}
    info.setdefault("name", lib.name)
    return info


def account(lib: Library, card: str) -> dict[str, Any]:
    """Everything "my account" shows, in one trip to the database thread."""
    return {
        "blocks": lib.circulation.check_patron(card),
        "loans": lib.circulation.loans(card),
        "holds": lib.holds.of_patron(card),
        "requests": lib.requests.list(card),
    }


def record_detail(lib: Library, record_id: str) -> dict[str, Any]:
    """A record with its copies here and its digital attachments."""
    record = lib.catalogue.get_record(record_id)
    code = lib.code
    items = [i for i in lib.catalogue.items_of(record_id) if i["library_id"] == code]
    return {"record": record, "items": items, "attachments": lib.catalogue.attachments_of(record_id)}


def related(lib: Library, recommender: Recommender, record_id: str) -> list[dict[str, Any]]:
    """"Bạn đọc mượn cuốn này cũng mượn…": titles here, with what is on the shelf."""
    model = recommender.current(lib.store, lib.code)
    return shelf.titles(lib.store, lib.code, model.similar(record_id, RELATED))


def suggestions(lib: Library, recommender: Recommender, card: str) -> list[dict[str, Any]]:
    """"Gợi ý cho bạn": from this patron's own borrowing, none of it repeated."""
    recommender.current(lib.store, lib.code)
    patron = lib.patrons.get(card)
    return shelf.titles(lib.store, lib.code, recommender.for_patron(lib.store, patron["id"],
                                                                     RELATED))


def shelves(lib: Library) -> tuple[dict[str, int], dict[str, int]]:
    """How many titles each main class and each division holds here."""
    return shelf.class_counts(lib.store, lib.code)
