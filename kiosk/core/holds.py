"""Holds: a queue per title, trapped when a copy comes back, collected or expired.

A hold waits until a copy of its title is returned at its pickup library; the copy is
then trapped for the first patron in the queue (ordered by when the hold was placed) and
put on the hold shelf until the pickup date passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.core.errors import LibraryError
from kiosk.core.patrons import mask_card

if TYPE_CHECKING:
    from kiosk.core.library import Library

ACTIVE = ("waiting", "trapped")


class Holds:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def place(self, card_number: str, record_id: str, pickup_library: str | None = None,
              override: str | None = None, partition: str | None = None) -> dict[str, Any]:
        """Queue a hold; ``partition`` names the library whose log gets the event (district)."""
        circ = self.lib.circulation
        patron = circ.patron_for_card(card_number)
        circ._enforce(circ._patron_blocks(patron, self.lib.clock.today()), override)
        self.lib.catalogue.get_record(record_id)
        if not self.store.one(
                "SELECT 1 FROM items WHERE record_id = ? AND item_type != 'reference' "
                "AND status = 'available'", (record_id,)):
            raise LibraryError("hold_not_possible")
        if self.store.one(
                "SELECT 1 FROM holds WHERE patron_id = ? AND record_id = ? AND status IN (?, ?)",
                (patron["id"], record_id, *ACTIVE)):
            raise LibraryError("hold_exists")
        if self.store.one(
                "SELECT 1 FROM loans l JOIN items i ON i.id = l.item_id "
                "WHERE l.patron_id = ? AND i.record_id = ?", (patron["id"], record_id)):
            raise LibraryError("hold_has_copy")
        with self.lib.transaction():
            hold_id = self.lib.log.new_entity_id()
            self.lib.record("hold.placed", {
                "hold_id": hold_id, "record_id": record_id, "patron_id": patron["id"],
                "pickup_library": pickup_library or patron["home_library"],
            }, library_id=partition)
        return self.get(hold_id)

    def get(self, hold_id: str) -> dict[str, Any]:
        row = self.store.one(
            "SELECT h.*, r.title, i.barcode, p.card_number, p.name FROM holds h "
            "JOIN records r ON r.id = h.record_id JOIN patrons p ON p.id = h.patron_id "
            "LEFT JOIN items i ON i.id = h.item_id WHERE h.id = ?", (hold_id,))
        if row is None:
            raise LibraryError("hold_not_found")
        data = dict(row)
        data["position"] = self.position(row) if row["status"] == "waiting" else 0
        return data

    def position(self, hold) -> int:
        return 1 + self.store.scalar(
            "SELECT COUNT(*) FROM holds WHERE record_id = ? AND status = 'waiting' "
            "AND placed_hlc < ?", (hold["record_id"], hold["placed_hlc"]))

    def cancel(self, hold_id: str, card_number: str | None = None) -> None:
        hold = self.get(hold_id)
        if card_number is not None and hold["card_number"] != card_number.strip():
            raise LibraryError("hold_not_found")
        if hold["status"] not in ACTIVE:
            raise LibraryError("hold_not_found")
        with self.lib.transaction():
            self.lib.record("hold.cancelled", {"hold_id": hold_id})
            if hold["status"] == "trapped":
                self._retrap(hold["item_id"])

    def waiting_count(self, record_id: str) -> int:
        return self.store.scalar(
            "SELECT COUNT(*) FROM holds WHERE record_id = ? AND status = 'waiting'", (record_id,))

    def of_patron(self, card_number: str) -> list[dict[str, Any]]:
        patron = self.lib.circulation.patron_for_card(card_number)
        ids = [r["id"] for r in self.store.all(
            "SELECT id FROM holds WHERE patron_id = ? AND status IN (?, ?) ORDER BY placed_hlc",
            (patron["id"], *ACTIVE))]
        return [self.get(i) for i in ids]

    def shelf(self) -> list[dict[str, Any]]:
        """The hold shelf: trapped copies, who they wait for, until when."""
        rows = self.store.all(
            "SELECT h.id, h.pickup_expires, i.barcode, r.title, p.name, p.card_number FROM holds h "
            "JOIN items i ON i.id = h.item_id JOIN records r ON r.id = h.record_id "
            "JOIN patrons p ON p.id = h.patron_id WHERE h.status = 'trapped' "
            "AND h.pickup_library = ? ORDER BY h.pickup_expires", (self.lib.code,))
        return [{**dict(r), "card_number": mask_card(r["card_number"])} for r in rows]

    # Called by circulation inside its transaction

    def trap_on_checkin(self, item) -> dict[str, Any] | None:
        """Trap the returned copy for the first waiting hold at this library, if any."""
        hold = self.store.one(
            "SELECT h.id, p.name, p.card_number FROM holds h JOIN patrons p ON p.id = h.patron_id "
            "WHERE h.record_id = ? AND h.status = 'waiting' AND h.pickup_library = ? "
            "AND ? != 'reference' ORDER BY h.placed_hlc LIMIT 1",
            (item["record_id"], self.lib.code, item["item_type"]))
        if hold is None:
            return None
        days = self.lib.policy.settings["hold_pickup_days"]
        expires = self.lib.policy.due_date(self.lib.clock.today(), days).isoformat()
        self.lib.record("hold.trapped", {"hold_id": hold["id"], "item_id": item["id"],
                                         "pickup_expires": expires})
        return {"hold_id": hold["id"], "name": hold["name"], "card_number": hold["card_number"],
                "pickup_expires": expires}

    def fill_on_checkout(self, patron_id: str, item, loan_id: str) -> None:
        hold = self.store.one(
            "SELECT id FROM holds WHERE patron_id = ? AND status IN (?, ?) AND "
            "(item_id = ? OR (status = 'waiting' AND record_id = ?)) "
            "ORDER BY status = 'trapped' DESC LIMIT 1",
            (patron_id, *ACTIVE, item["id"], item["record_id"]))
        if hold is not None:
            self.lib.record("hold.filled", {"hold_id": hold["id"], "loan_id": loan_id,
                                            "item_id": item["id"]})

    def _retrap(self, item_id: str) -> dict[str, Any] | None:
        item = self.store.one("SELECT * FROM items WHERE id = ?", (item_id,))
        return self.trap_on_checkin(item) if item is not None else None

    def expire(self) -> list[dict[str, Any]]:
        """Close trapped holds whose pickup date has passed; pass the copy to the next in line.

        Returns what the librarian must do with each copy on the shelf.
        """
        today = self.lib.clock.today().isoformat()
        expired = self.store.all(
            "SELECT h.id, h.item_id, i.barcode, r.title FROM holds h JOIN items i ON i.id = h.item_id "
            "JOIN records r ON r.id = h.record_id WHERE h.status = 'trapped' "
            "AND h.pickup_expires < ? AND h.pickup_library = ?", (today, self.lib.code))
        actions = []
        for hold in expired:
            with self.lib.transaction():
                self.lib.record("hold.expired", {"hold_id": hold["id"]})
                nxt = self._retrap(hold["item_id"])
            actions.append({
                "barcode": hold["barcode"], "title": hold["title"],
                "action": (f"Giữ lại trên giá cho: {nxt['name']}" if nxt
                           else "Đưa sách về giá"),
            })
        return actions
