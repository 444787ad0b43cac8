"""Narrowing a search: a copy on the shelf here now, one subject, a range of years (#16).

A filter is a condition on the record (``records r``) joined to the full-text match, so
the count, every page and the ranking candidates all come from the narrowed match set,
never from the few hits already shown. "On the shelf" means what a hit's ``available``
counts: a copy of this library, status available, not on loan, not waiting on the hold
shelf for someone.

The choices offered are those that occur among the query's matches (under the other
filters, so a patron can switch subject without losing "Còn sách"): the most frequent
subjects and the decades of publication, newest first. They are read from at most
:data:`SCAN` matches, newest first: a one-letter prefix matches half a large catalogue,
and a handful of subjects from its newest thousands is what a patron can use.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from kiosk.core.errors import LibraryError

SCAN = 3000
SUBJECTS = 6
DECADES = 5
SUBJECT_LENGTH = 200
YEARS = range(0, 10000)

# A copy on the shelf here, as the hits count them (``record_copies``, migration 10).
AVAILABLE_HERE = ("EXISTS (SELECT 1 FROM record_copies c WHERE c.record_id = r.id "
                  "AND c.library_id = ? AND c.available > 0)")
HAS_SUBJECT = "EXISTS (SELECT 1 FROM json_each(r.subjects) WHERE value = ?)"


def _year(value, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        raise LibraryError("invalid_input", detail=f"{name} {value!r}")
    return value


@dataclass(frozen=True)
class Filters:
    """What the patron narrowed the matches to; the default narrows nothing.

    Years are inclusive and either end may be open. Anything else than a bool, a short
    text and years of four digits at most is refused before any SQL runs."""

    available: bool = False
    subject: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.available, bool):
            raise LibraryError("invalid_input", detail=f"available {self.available!r}")
        if self.subject is not None and (not isinstance(self.subject, str)
                                         or not self.subject.strip()
                                         or len(self.subject) > SUBJECT_LENGTH):
            raise LibraryError("invalid_input", detail="subject")
        low, high = _year(self.year_from, "year_from"), _year(self.year_to, "year_to")
        if low is not None and high is not None and low > high:
            raise LibraryError("invalid_input", detail=f"years {low}-{high}")

    def __bool__(self) -> bool:
        return (self.available or self.subject is not None or self.year_from is not None
                or self.year_to is not None)

    @property
    def years(self) -> tuple[int | None, int | None] | None:
        if self.year_from is None and self.year_to is None:
            return None
        return self.year_from, self.year_to

    def condition(self, library: str, without: str = "") -> tuple[str, list]:
        """``AND ...`` over ``records r`` with its parameters ("" when nothing narrows);
        ``without`` ("subject" or "years") leaves that filter out, for its own choices."""
        parts: list[str] = []
        params: list = []
        if self.available:
            parts.append(AVAILABLE_HERE)
            params.append(library)
        if self.subject is not None and without != "subject":
            parts.append(HAS_SUBJECT)
            params.append(self.subject)
        if without != "years":
            if self.year_from is not None:
                parts.append("r.year >= ?")
                params.append(self.year_from)
            if self.year_to is not None:
                parts.append("r.year <= ?")
                params.append(self.year_to)
        return "".join(" AND " + p for p in parts), params


@dataclass
class Facets:
    """The choices a patron is offered for the current query."""

    subjects: list[str] = field(default_factory=list)
    years: list[tuple[int | None, int | None]] = field(default_factory=list)


def decade_ranges(years) -> list[tuple[int | None, int | None]]:
    """Decades that occur, newest first; beyond :data:`DECADES` the oldest are one range
    "before ..." (``(None, 1989)``)."""
    decades = sorted({y // 10 * 10 for y in years if y is not None}, reverse=True)
    if len(decades) > DECADES:
        kept = decades[:DECADES - 1]
        return [(d, d + 9) for d in kept] + [(None, kept[-1] - 1)]
    return [(d, d + 9) for d in decades]


def facets(store, expression: str, filters: Filters, library: str) -> Facets:
    """Subjects and decades among the matches of an FTS ``expression`` under ``filters``."""
    found = Facets()
    subjects_rows = _sample(store, expression, filters.condition(library, "subject"))
    counts: Counter = Counter()
    for subjects, _year in subjects_rows:
        counts.update(set(json.loads(subjects or "[]")))
    found.subjects = [s for s, _ in sorted(counts.items(), key=lambda c: (-c[1], c[0]))
                      [:SUBJECTS]]
    if filters.subject is None and filters.years is None:
        year_rows = subjects_rows
    else:
        year_rows = _sample(store, expression, filters.condition(library, "years"))
    found.years = decade_ranges(year for _subjects, year in year_rows)
    return found


def _sample(store, expression: str, condition: tuple[str, list]) -> list:
    where, params = condition
    return store.all(
        "SELECT r.subjects, r.year FROM records_fts f JOIN records r ON r.rid = f.rowid "
        f"WHERE records_fts MATCH ?{where} ORDER BY f.rowid DESC LIMIT ?",
        (expression, *params, SCAN))
