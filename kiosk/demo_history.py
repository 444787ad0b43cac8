"""Day-by-day circulation history for the demo library, through the real core operations.

Each open day the clock is set to the morning and patrons come in at random times: they
return what they planned to return, renew what they want to keep, collect copies trapped
for them, borrow, and sometimes place a hold on a title whose copies are all out. A tenth
of the patrons never return anything, so the library always has overdue loans, as real
ones do. A day's operations share one transaction (one fsync per day, not per loan).

What a patron borrows has the structure real borrowing has, so that "readers also
borrowed" has something to find (a purely random choice, as this module first made,
gives co-borrowing nothing to learn and the popularity baseline wins). Each patron has a
few interests picked by age group (children the children's shelves, farmers' ages the
farming and health shelves, students skills and literature, the elderly local history
and health), each interest a shelf of titles with a few favourites most readers of it
take (a Zipf-like pull within the shelf); after one title a patron often takes another of
the same title (the next volume, another edition) or the same shelf; and some borrowing
is still anything on the shelves, or the library's best-known titles.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from typing import Any, Callable

from kiosk.core.errors import LibraryError
from kiosk.core.library import Library

OPENING = dt.time(7, 30)
OPEN_MINUTES = 570
VOLUME = re.compile(r"\. Tập \d+$")
# Shelf families by the DDC main class (children's books apart), weighted per age group.
TASTES = {
    "child": {"children": 12, "5": 1, "8": 1},
    "student": {"0": 3, "4": 3, "6": 2, "8": 3, "children": 1, "9": 1},
    "adult": {"6": 6, "3": 3, "8": 2, "9": 1, "0": 1},
    "elderly": {"9": 4, "6": 3, "8": 2, "3": 1},
    "disabled": {"6": 2, "3": 2, "8": 2, "9": 2, "0": 1},
}
ZIPF = 1.2


class History:
    def __init__(self, lib: Library, clock, rng: random.Random,
                 lendable: list[tuple[str, list[str], str]]):
        self.lib, self.clock, self.rng = lib, clock, rng
        self.lendable = lendable
        self.children = ([k for k, entry in enumerate(lendable) if entry[2] == "children"]
                         or list(range(len(lendable))))
        self.popular = lendable[:max(30, len(lendable) // 50)]
        self.record_of = {b: entry[0] for entry in lendable for b in entry[1]}
        self.cards: list[str] = []
        self.category: dict[str, str] = {}
        self.address: dict[str, str] = {}
        self.forgetful: set[str] = set()
        self.late_specs: list[dict[str, Any]] = []
        self.loans: dict[str, list[Any]] = {}
        self.counts: Counter[str] = Counter()
        self.last_refusal: str | None = None
        self.interests: dict[str, list[str]] = {}
        self.last_taken: dict[str, int] = {}
        self.taken: dict[str, set[int]] = {}
        self._shelves()

    def _shelves(self) -> None:
        """Group the lendable titles into shelves and same-title sets, favourites first."""
        ids = [entry[0] for entry in self.lendable]
        rows = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows.update({r["id"]: r for r in self.lib.store.all(
                "SELECT id, title, subjects, series, ddc FROM records WHERE id IN "
                f"({','.join('?' * len(chunk))})", chunk)})
        shelves: dict[str, list[int]] = {}
        self.family: dict[str, str] = {}
        self.shelf_of: list[str] = []
        self.same_title: dict[str, list[int]] = {}
        self.base_of: list[str] = []
        for k, (record_id, _, item_type) in enumerate(self.lendable):
            row = rows[record_id]
            subjects = json.loads(row["subjects"] or "[]")
            if item_type == "children":
                family = "children"
                shelf = "children|" + (row["series"] or (subjects[-1] if subjects else ""))
            else:
                family = (row["ddc"] or "0")[:1]
                shelf = family + "|" + (subjects[0] if subjects else "")
            shelves.setdefault(shelf, []).append(k)
            self.family[shelf] = family
            self.shelf_of.append(shelf)
            base = VOLUME.sub("", row["title"])
            self.base_of.append(base)
            self.same_title.setdefault(base, []).append(k)
        self.shelves: dict[str, tuple[list[int], list[float]]] = {}
        for shelf, members in sorted(shelves.items()):
            self.rng.shuffle(members)
            weights, total = [], 0.0
            for rank in range(len(members)):
                total += 1.0 / (rank + 1) ** ZIPF
                weights.append(total)
            self.shelves[shelf] = (members, weights)

    def _pick_interests(self, category: str) -> list[str]:
        tastes = TASTES.get(category, TASTES["adult"])
        shelves = [s for s in self.shelves if self.family[s] in tastes]
        if not shelves:
            return []
        weights = [tastes[self.family[s]] * len(self.shelves[s][0]) ** 0.5 for s in shelves]
        count = self.rng.choice([1, 2, 2, 3])
        return list(dict.fromkeys(self.rng.choices(shelves, weights, k=count)))

    # Patrons

    def _enrol(self, patron: dict[str, Any]) -> None:
        card = patron["card_number"]
        self.cards.append(card)
        self.category[card] = patron["category"]
        self.address[card] = patron["address"]
        if self.rng.random() < 0.1:
            self.forgetful.add(card)
        self.interests[card] = self._pick_interests(patron["category"])

    def register_initial(self, specs: list[dict[str, Any]], pin: str,
                         expired_before: dt.date) -> dict[str, Any]:
        """Register most patrons on the first day; a tenth join during the history."""
        late = len(specs) // 10
        self.late_specs = specs[len(specs) - late:]
        pin_cards, expired = [], None
        with self.lib.transaction():
            for i, spec in enumerate(specs[:len(specs) - late]):
                extra: dict[str, Any] = {}
                if i < 3:
                    extra["pin"] = pin
                elif i == 3:
                    extra["expires_on"] = expired_before - dt.timedelta(days=20)
                patron = self.lib.patrons.add(**spec, **extra)
                if "pin" in extra:   # walk-through cards: a clean account, every book open
                    pin_cards.append(patron["card_number"])
                    continue
                if "expires_on" in extra:  # the walk-through's expired card: only expired
                    expired = patron["card_number"]
                    continue
                self._enrol(patron)
        return {"pin": pin_cards, "expired": expired}

    # Operations

    def _op(self, action: Callable[..., Any], *args: Any) -> Any:
        try:
            return action(*args)
        except LibraryError as refusal:
            self.counts["refused." + refusal.code] += 1
            self.last_refusal = refusal.code
            return None

    def _checkout(self, d: int, card: str, barcode: str) -> bool:
        result = self._op(self.lib.circulation.checkout, card, barcode)
        if result is None:
            return False
        if card in self.forgetful:
            plan = None
        elif self.rng.random() < 0.75:
            plan = d + self.rng.randint(2, 13)
        else:
            plan = d + self.rng.randint(15, 40)
        self.loans[barcode] = [card, plan, result.due_date]
        self.counts["checkouts"] += 1
        return True

    def _checkin(self, barcode: str) -> None:
        if self._op(self.lib.circulation.checkin, barcode) is not None:
            self.loans.pop(barcode, None)
            self.counts["returns"] += 1

    def _from_shelf(self, shelf: str) -> int:
        members, weights = self.shelves[shelf]
        return self.rng.choices(members, cum_weights=weights)[0]

    def _choose(self, card: str) -> int:
        """Which title this patron reaches for, rarely one they have read already."""
        taken = self.taken.setdefault(card, set())
        chosen = self._reach(card)
        for _ in range(3):
            if chosen not in taken:
                break
            chosen = self._reach(card)
        return chosen

    def _reach(self, card: str) -> int:
        """One reach along the lines of the module's docstring."""
        rng = self.rng
        roll = rng.random()
        last = self.last_taken.get(card)
        if last is not None and roll < 0.15:
            others = [k for k in self.same_title[self.base_of[last]] if k != last]
            if others:
                return rng.choice(others)
        if last is not None and roll < 0.3:
            return self._from_shelf(self.shelf_of[last])
        interests = self.interests.get(card)
        if interests and roll < 0.8:
            return self._from_shelf(rng.choice(interests))
        if self.category[card] == "child" and rng.random() < 0.7:
            return rng.choice(self.children)
        if rng.random() < 0.35:
            return rng.randrange(len(self.popular))
        return rng.randrange(len(self.lendable))

    def _borrow(self, d: int, card: str) -> None:
        rng = self.rng
        chosen = self._choose(card)
        record_id, barcodes, _ = self.lendable[chosen]
        for barcode in barcodes:
            if barcode in self.loans:
                continue
            if self._checkout(d, card, barcode):
                self.last_taken[card] = chosen
                self.taken.setdefault(card, set()).add(chosen)
                return
            if self.last_refusal != "item_on_hold_for_other":
                return
        if rng.random() < 0.35:
            if self._op(self.lib.holds.place, card, record_id) is not None:
                self.counts["holds_placed"] += 1

    def _session(self, d: int, card: str, acts: list[tuple[str, str | None]]) -> None:
        self._op(self.lib.circulation.record_visit, card)
        self.counts["visits"] += 1
        borrow = False
        for kind, barcode in acts:
            if kind == "return":
                self._checkin(barcode)
                borrow = borrow or self.rng.random() < 0.5
            elif kind == "renew":
                result = self._op(self.lib.circulation.renew, card, barcode)
                if result is None:
                    self._checkin(barcode)
                else:
                    self.loans[barcode][2] = result.due_date
                    self.counts["renewals"] += 1
            elif kind == "pickup":
                if self._checkout(d, card, barcode):
                    self.counts["holds_collected"] += 1
            else:
                borrow = True
        if borrow:
            for _ in range(self.rng.choice([1, 1, 2, 3])):
                self._borrow(d, card)

    def _trapped(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.lib.store.all(
            "SELECT p.card_number, i.barcode FROM holds h JOIN patrons p ON p.id = h.patron_id "
            "JOIN items i ON i.id = h.item_id WHERE h.status = 'trapped' ORDER BY h.placed_hlc")]

    # Days

    def _day(self, d: int, day: dt.date, joiners: list[dict[str, Any]]) -> None:
        rng = self.rng
        sessions: dict[str, list[tuple[str, str | None]]] = {}
        for barcode, (card, plan, due) in list(self.loans.items()):
            if plan is not None and plan <= d:
                sessions.setdefault(card, []).append(("return", barcode))
            elif due == day and card not in self.forgetful and rng.random() < 0.6:
                sessions.setdefault(card, []).append(("renew", barcode))
        for card, barcode in self._trapped():
            if rng.random() < 0.5:
                sessions.setdefault(card, []).append(("pickup", barcode))
        per_day = max(4, min(30, len(self.cards) // 10))
        for _ in range(rng.randint(per_day // 2, per_day)):
            sessions.setdefault(rng.choice(self.cards), []).append(("browse", None))
        for spec in joiners:
            patron = self.lib.patrons.add(**spec)
            self._enrol(patron)
            sessions.setdefault(patron["card_number"], []).append(("browse", None))
        order = list(sessions.items())
        rng.shuffle(order)
        minutes = sorted(rng.randrange(OPEN_MINUTES) for _ in order)
        opening = self.clock.now()
        for (card, acts), minute in zip(order, minutes):
            self.clock.set(opening + dt.timedelta(minutes=minute))
            self._session(d, card, acts)
        for _ in range(rng.randint(0, 3)):
            self.lib.circulation.record_visit(None)
            self.counts["visits"] += 1

    def _request(self, kind: str) -> None:
        """A postal loan for someone who cannot come in, or a remote copy of a few pages."""
        candidates = [c for c in self.cards if self.category[c] in ("elderly", "disabled")]
        candidates = candidates or list(self.cards)
        self.rng.shuffle(candidates)
        for card in candidates[:20]:
            record_id = self.rng.choice(self.lendable)[0]
            first = self.rng.randint(5, 80)
            details = ({"address": self.address[card]} if kind == "postal" else
                       {"pages": f"{first}–{first + 6}", "delivery": "Zalo"})
            request = self._op(self.lib.requests.create, kind, card, record_id, details)
            if request is not None:
                self.lib.requests.set_status(request["id"], "processing")
                self.counts["requests." + kind] += 1
                return

    def _ensure_trapped_hold(self, d: int) -> None:
        """End with a copy on the hold shelf, so the demo shows one whatever the dice said."""
        if self._trapped():
            return
        for barcode, (borrower, _, _) in list(self.loans.items())[:50]:
            card = self.rng.choice(self.cards)
            if card == borrower:
                continue
            if self._op(self.lib.holds.place, card, self.record_of[barcode]) is not None:
                self.counts["holds_placed"] += 1
                self._session(d, borrower, [("return", barcode)])
                if self._trapped():
                    return

    def run(self, start: dt.date, days: int) -> None:
        joining: dict[int, list[dict[str, Any]]] = {}
        for spec in self.late_specs:
            joining.setdefault(self.rng.randrange(max(1, days)), []).append(spec)
        open_days = [d for d in range(days)
                     if self.lib.policy.is_open(start + dt.timedelta(days=d))]
        requests: dict[int, list[str]] = {}
        for kind, num, den in (("postal", 1, 2), ("copy", 2, 3)):
            if open_days:
                requests.setdefault(open_days[len(open_days) * num // den], []).append(kind)
        waiting: list[dict[str, Any]] = []
        tz = self.clock.now().tzinfo
        for d in range(days):
            day = start + dt.timedelta(days=d)
            waiting += joining.get(d, [])
            if d not in open_days:
                continue
            self.clock.set(dt.datetime.combine(day, OPENING, tz))
            with self.lib.transaction():
                self.counts["holds_expired"] += len(self.lib.holds.expire())
                self._day(d, day, waiting)
                waiting = []
                for kind in requests.get(d, []):
                    self._request(kind)
                if d == open_days[-1]:
                    self._ensure_trapped_hold(d)

    def summary(self) -> dict[str, Any]:
        store = self.lib.store
        return {
            "open_loans": store.scalar("SELECT COUNT(*) FROM loans"),
            "overdue_loans": len(self.lib.circulation.overdue()),
            "holds_waiting": store.scalar("SELECT COUNT(*) FROM holds WHERE status = 'waiting'"),
            "holds_trapped": store.scalar("SELECT COUNT(*) FROM holds WHERE status = 'trapped'"),
            "requests": store.scalar("SELECT COUNT(*) FROM requests"),
            "events": store.scalar("SELECT COUNT(*) FROM events"),
            "activity": dict(sorted(self.counts.items())),
        }
