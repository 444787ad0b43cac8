"""Every work that matches an OPAC query: its count, its facets, its pages.

The core search (:mod:`kiosk.core.search`) ranks the best few hundred records, which is
what a patron reads first; but "nguyen" matches thousands of titles, and a count or a
facet taken from the ranked few would say 193 where 1,654 match. So the match set is
the core's own full-text condition (every word, folded, the last as a prefix; an ISBN
or a barcode is its record), counted and faceted in SQL over all of it, grouped into
works through ``union_keys``. Pages show the ranked works first, then the rest of the
match set newest first.

Counting a huge match set costs tens of milliseconds, so the figures of a query are
kept until a record or a copy changes (the newest record and the newest OAI stamp say
so: loans and returns, most of a hub's traffic, do not touch them), for at most
:data:`TTL` seconds; holdings and availability on the page are always live.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from kiosk.core.library import Library
from kiosk.core.ranking import FIELDS, Query

TTL = 30.0
CACHED = 256
RANKED = 200
_FOLDED = " ".join(f + "_f" for f in FIELDS)
ITEM_TYPE_LABELS = {
    "book": "Sách", "children": "Sách thiếu nhi", "periodical": "Báo, tạp chí",
    "av": "Tài liệu nghe nhìn", "reference": "Tài liệu tra cứu (đọc tại chỗ)",
}
SUBJECTS_SHOWN = 30


def expression(text: str) -> str | None:
    """The core's full-text condition for ``text``: all words, folded, last as prefix."""
    tokens = Query.of(text, True).folded
    if not tokens:
        return None
    terms = [f'"{t}"' for t in tokens]
    terms[-1] += "*"
    return "{" + _FOLDED + "} : (" + " AND ".join(terms) + ")"


class _Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        with self._lock:
            hit = self._items.get(key)
            if hit is None or time.monotonic() - hit[0] > TTL:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > CACHED:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CACHE = _Cache()


class MatchSet:
    """The works matching ``query`` under the chosen facets (library, subject, decade,
    item type), on the connection of ``library``."""

    def __init__(self, library: Library, query: str, *, library_code: str | None = None,
                 subject: str | None = None, year: int | None = None,
                 item_type: str | None = None):
        self.lib = library
        self.store = library.store
        self.query = query.strip()
        self.filters = (library_code, subject, year, item_type)
        self._ranked: list[str] | None = None
        self._direct_ids: list[str] | None = None
        self._matched_sql, self._matched_args = self._matched()
        key = ("figures", self.query, self.filters, self.store.scalar(
            "SELECT (SELECT MAX(rid) FROM records), (SELECT MAX(seq) FROM district_oai_records)"))
        figures = CACHE.get(key)
        if figures is None:
            figures = self._figures()
            CACHE.put(key, figures)
        self.total, self._facets = figures

    # The match set

    def _matched(self) -> tuple[str, list]:
        """SQL naming ``(id, rid, work_key, year)`` of every matching record."""
        hits = self.lib.search.search(self.query, limit=RANKED) if self.query else []
        self._ranked_hits = hits
        if hits and hits[0].match in ("isbn", "barcode"):
            ids = [h.id for h in hits]
            return (f"SELECT r.id, r.rid, u.work_key, r.year FROM records r JOIN union_keys u "
                    f"ON u.record_id = r.id WHERE r.id IN ({','.join('?' * len(ids))})", ids)
        reading = self.lib.search.vocabulary.read(self.query, True) if self.query else None
        match = expression(reading or self.query)
        if match is None:
            return "SELECT NULL, NULL, NULL, NULL WHERE 0", []
        return ("SELECT r.id, r.rid, u.work_key, r.year FROM records_fts f "
                "JOIN records r ON r.rid = f.rowid JOIN union_keys u ON u.record_id = r.id "
                "WHERE records_fts MATCH ?", [match])

    def _with(self) -> tuple[str, list]:
        """``WITH m`` (matching records) ``, w`` (their works that pass the filters)."""
        library, subject, year, item_type = self.filters
        where, args = [], []
        if library:
            where.append("m.id IN (SELECT record_id FROM items WHERE library_id = ? "
                         "AND status != 'withdrawn')")
            args.append(library)
        if item_type:
            where.append("m.id IN (SELECT record_id FROM items WHERE item_type = ? "
                         "AND status != 'withdrawn')")
            args.append(item_type)
        if year is not None:
            where.append("m.year >= ? AND m.year < ?")
            args += [year, year + 10]
        if subject:
            where.append("EXISTS (SELECT 1 FROM records r2, json_each(r2.subjects) j "
                         "WHERE r2.id = m.id AND j.value = ?)")
            args.append(subject)
        condition = " AND ".join(where) or "1"
        return (f"WITH m AS MATERIALIZED ({self._matched_sql}), "
                f"w AS MATERIALIZED (SELECT DISTINCT m.work_key FROM m WHERE {condition}) ",
                [*self._matched_args, *args])

    def _figures(self) -> tuple[int, dict[str, list[dict[str, Any]]]]:
        head, args = self._with()
        total = self.store.scalar(head + "SELECT COUNT(*) FROM w", args)
        if not total:
            return 0, {"library": [], "subject": [], "year": [], "type": []}
        in_w = "m.work_key IN (SELECT work_key FROM w)"
        libraries = self.store.all(
            head + "SELECT i.library_id AS value, COALESCE(lb.name, i.library_id) AS label, "
            "COUNT(DISTINCT m.work_key) AS n FROM m JOIN items i ON i.record_id = m.id "
            "LEFT JOIN libraries lb ON lb.code = i.library_id "
            f"WHERE {in_w} AND i.status != 'withdrawn' GROUP BY i.library_id", args)
        types = self.store.all(
            head + "SELECT i.item_type AS value, COUNT(DISTINCT m.work_key) AS n FROM m "
            f"JOIN items i ON i.record_id = m.id WHERE {in_w} AND i.status != 'withdrawn' "
            "GROUP BY i.item_type", args)
        decades = self.store.all(
            head + "SELECT m.year / 10 * 10 AS value, COUNT(DISTINCT m.work_key) AS n FROM m "
            f"WHERE {in_w} AND m.year IS NOT NULL GROUP BY 1", args)
        subjects = self.store.all(
            head + "SELECT j.value AS value, COUNT(DISTINCT m.work_key) AS n FROM m "
            f"JOIN records r ON r.id = m.id, json_each(r.subjects) j WHERE {in_w} "
            "GROUP BY j.value ORDER BY n DESC, j.value LIMIT ?", [*args, SUBJECTS_SHOWN])

        def listing(rows, label=lambda r: str(r["value"])) -> list[dict[str, Any]]:
            return [{"value": r["value"], "label": label(r), "count": r["n"]}
                    for r in sorted(rows, key=lambda r: (-r["n"], str(r["value"])))]

        return total, {
            "library": listing(libraries, lambda r: r["label"]),
            "subject": listing(subjects),
            "year": listing(decades, lambda r: f"{r['value']}–{r['value'] + 9}"),
            "type": listing(types, lambda r: ITEM_TYPE_LABELS.get(r["value"], r["value"])),
        }

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return self._facets

    # Pages

    def _ranked_keys(self) -> list[str]:
        """The works of the core's best records, best first, among the filtered set."""
        if self._ranked is None:
            ids = [h.id for h in self._ranked_hits]
            keys: list[str] = []
            if ids:
                head, args = self._with()
                marks = ",".join("?" * len(ids))
                passing = dict(self.store.all(
                    head + "SELECT m.id, m.work_key FROM m WHERE m.work_key IN "
                    f"(SELECT work_key FROM w) AND m.id IN ({marks})", [*args, *ids]))
                keys = list(dict.fromkeys(passing[i] for i in ids if i in passing))
            self._ranked = keys
        return self._ranked

    def page_keys(self, page: int, per_page: int) -> list[str]:
        start, stop = (page - 1) * per_page, page * per_page
        ranked = self._ranked_keys()
        keys = ranked[start:stop]
        if len(keys) == per_page or stop <= len(ranked) or start >= self.total:
            return keys
        # Past the ranked works: the rest of the match set, newest first.
        seen = set(ranked)
        skip = max(0, start - len(ranked))
        want = per_page - len(keys)
        head, args = self._with()
        rows = self.store.all(
            head + "SELECT m.work_key FROM m WHERE m.work_key IN (SELECT work_key FROM w) "
            "GROUP BY m.work_key ORDER BY MAX(m.rid) DESC LIMIT ?",
            [*args, skip + want + len(seen)])
        rest = [r[0] for r in rows if r[0] not in seen]
        return keys + rest[skip:skip + want]
