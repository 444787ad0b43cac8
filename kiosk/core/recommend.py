"""Readers also borrowed: item-to-item co-borrowing from the circulation log.

Two titles are related when the same patrons borrowed both. The model keeps, for each
title, its nearest titles by cosine similarity over the sets of patrons who borrowed
them (``co / sqrt(n_a * n_b)``: a pair of two very popular titles is not related just
because everyone borrows both). A pair counts only when at least :data:`FLOOR`
different patrons borrowed both titles, so nothing shown can point at one reader; the
model itself holds title keys and scores, never a patron id. A patron's own
suggestions are scored from their own history and exclude everything they borrowed.

What a "title" is stays the caller's choice: a record id on a device, a union work key
at the hub (``unit`` and ``join`` in :func:`borrowings`).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

FLOOR = 5            # different patrons who borrowed both titles before a pair counts
NEIGHBOURS = 30      # related titles kept per title
HISTORY_CAP = 200    # most recent titles per patron that enter the pair counts
MAX_AGE_SECONDS = 1800.0   # a model older than this is rebuilt before it is next read


def borrowings(store, library: str | None = None, unit: str = "i.record_id",
               join: str = "") -> list[tuple[str, str]]:
    """Distinct (patron, title) pairs of every checkout in the log, oldest first.

    ``unit`` and ``join`` are SQL fixed by the calling code (never user input): the hub
    maps records to union works with them.
    """
    sql = ("SELECT json_extract(e.payload, '$.patron_id') AS patron, " + unit + " AS unit, "
           "MIN(e.rowid) AS first FROM events e "
           "JOIN items i ON i.id = json_extract(e.payload, '$.item_id') " + join +
           " WHERE e.type = 'loan.checkout'")
    params: list[str] = []
    if library is not None:
        sql += " AND e.library_id = ?"
        params.append(library)
    sql += " GROUP BY patron, unit ORDER BY first"
    return [(r[0], r[1]) for r in store.all(sql, params) if r[0] and r[1]]


def history_of(store, patron_id: str, unit: str = "i.record_id", join: str = "") -> list[str]:
    """The titles one patron borrowed, oldest first (for that patron's own suggestions)."""
    rows = store.all(
        "SELECT " + unit + " AS unit, MIN(e.rowid) AS first FROM events e "
        "JOIN items i ON i.id = json_extract(e.payload, '$.item_id') " + join +
        " WHERE e.type = 'loan.checkout' AND json_extract(e.payload, '$.patron_id') = ? "
        "GROUP BY unit ORDER BY first", (patron_id,))
    return [r[0] for r in rows if r[0]]


@dataclass(frozen=True)
class CoBorrowing:
    """Related titles per title; built once, read from any thread."""

    neighbours: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    pairs: int = 0

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]], floor: int = FLOOR,
              keep: int = NEIGHBOURS) -> CoBorrowing:
        """From (patron, title) pairs; the patron ids go no further than this function."""
        by_patron: dict[str, list[str]] = defaultdict(list)
        for patron, unit in pairs:
            titles = by_patron[patron]
            if unit not in titles:
                titles.append(unit)
        readers: Counter[str] = Counter()
        for titles in by_patron.values():
            readers.update(titles[-HISTORY_CAP:])
        eligible = {u for u, n in readers.items() if n >= floor}
        index = {u: k for k, u in enumerate(sorted(eligible))}
        names = sorted(eligible)
        width = len(names)
        together: Counter[int] = Counter()
        for titles in by_patron.values():
            mine = sorted(index[u] for u in titles[-HISTORY_CAP:] if u in index)
            for x, a in enumerate(mine):
                base = a * width
                for b in mine[x + 1:]:
                    together[base + b] += 1
        related: dict[str, list[tuple[str, float]]] = defaultdict(list)
        counted = 0
        for key, co in together.items():
            if co < floor:
                continue
            counted += 1
            a, b = names[key // width], names[key % width]
            score = co / math.sqrt(readers[a] * readers[b])
            related[a].append((b, score))
            related[b].append((a, score))
        neighbours = {u: sorted(found, key=lambda p: (-p[1], p[0]))[:keep]
                      for u, found in related.items()}
        return cls(neighbours=neighbours, pairs=counted)

    def similar(self, unit: str, limit: int = 10) -> list[str]:
        """Titles borrowed by the readers of ``unit``, most related first."""
        return [u for u, _ in self.neighbours.get(unit, [])[:limit]]

    def for_history(self, history: Iterable[str], limit: int = 10) -> list[str]:
        """Suggestions for someone who borrowed ``history``, none of it included."""
        seen = set(history)
        scores: Counter[str] = Counter()
        for unit in seen:
            for other, score in self.neighbours.get(unit, []):
                if other not in seen:
                    scores[other] += score
        return [u for u, _ in sorted(scores.items(), key=lambda p: (-p[1], p[0]))[:limit]]


class Recommender:
    """The current model of one node, swapped whole by :meth:`refresh`.

    ``refresh`` runs on a background thread (the kiosk's database worker, the hub's
    catch-up thread); readers take whichever model is current, never a half-built one.
    """

    def __init__(self, floor: int = FLOOR, unit: str = "i.record_id", join: str = ""):
        self.floor, self.unit, self.join = floor, unit, join
        self._model = CoBorrowing()
        self._lock = threading.Lock()
        self.refreshed_at: float | None = None

    @property
    def model(self) -> CoBorrowing:
        return self._model

    def refresh(self, store, library: str | None = None) -> CoBorrowing:
        model = CoBorrowing.build(borrowings(store, library, self.unit, self.join), self.floor)
        with self._lock:
            self._model = model
            self.refreshed_at = time.monotonic()
        return model

    def current(self, store, library: str | None = None,
                max_age: float = MAX_AGE_SECONDS) -> CoBorrowing:
        """The model, rebuilt first when it is missing or older than ``max_age`` seconds
        (call it on a background thread: a rebuild reads the whole log)."""
        at = self.refreshed_at
        if at is None or time.monotonic() - at > max_age:
            return self.refresh(store, library)
        return self._model

    def similar(self, unit: str, limit: int = 10) -> list[str]:
        return self._model.similar(unit, limit)

    def for_patron(self, store, patron_id: str, limit: int = 10) -> list[str]:
        return self._model.for_history(history_of(store, patron_id, self.unit, self.join),
                                       limit)
