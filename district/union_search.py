"""Every work that matches an OPAC query: its count, its facets, its pages.

The core search (:mod:`kiosk.core.search`) ranks the best few hundred records, which is
what a patron reads first; but "nguyen" matches thousands of titles, and a count or a
facet taken from the ranked few would say 193 where 1,654 match. So the match set is
the core's own full-text condition (every word, folded, the last as a prefix; an ISBN
or a barcode is its record), and all of it is counted and faceted, grouped into works
(``union_keys``), over an in-memory table of what counting needs (:class:`Facts`).
Pages show the ranked works first, then the rest of the match set newest first.

Counting a match set of half the catalogue still costs a few hundred milliseconds (most
of it FTS5 listing the rowids), so the figures of a query are kept until a record or a
copy changes (the newest record and the newest OAI stamp say so: loans and returns, most
of a hub's traffic, do not touch them), for at most :data:`TTL` seconds; holdings and
availability on the page are always live.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import OrderedDict, defaultdict
from typing import Any

from kiosk.core.library import Library
from kiosk.core.ranking import FIELDS, Query

TTL = 30.0
CACHED = 256
RANKED = 400
FEW_RANKED = 40
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


class Facts:
    """What counting needs of every record, in memory, by ``rid``: its work, decade,
    subjects, and the libraries and item types of its copies on hand.

    Joining a match set of 90,000 records to their works, copies and subjects in SQL
    costs seconds; here it is a loop over small tuples. One copy per database, shared by
    every reader thread, built on first use (or by the hub's warm-up at start) and brought
    up to date from the OAI stamps (every change to a record or a copy takes a new stamp,
    ``district/received.py``).
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.generation: tuple | None = None
        self.seq = 0
        self.rows: dict[int, tuple] = {}  # rid: (work, decade, libraries, types, subjects)
        self.rid_of: dict[str, int] = {}
        self.keys: list[str] = []
        self._key_ids: dict[str, int] = {}

    def current(self, store) -> "Facts":
        generation = tuple(store.one(
            "SELECT (SELECT MAX(rid) FROM records), (SELECT MAX(seq) FROM district_oai_records)"))
        if generation != self.generation:
            with self.lock:
                if generation != self.generation:
                    self._load(store, generation)
        return self

    def _key_id(self, key: str) -> int:
        found = self._key_ids.get(key)
        if found is None:
            found = self._key_ids[key] = len(self.keys)
            self.keys.append(key)
        return found

    def _load(self, store, generation: tuple) -> None:
        full = self.generation is None
        if full:
            where, args = "1", []
        else:
            where = ("r.id IN (SELECT record_id FROM district_oai_records WHERE seq > ?) "
                     "OR r.rid > ?")
            args = [self.seq, self.generation[0] or 0]
        base: dict[int, tuple] = {}
        for rid, record_id, key, year, subjects in store.execute(
                f"SELECT r.rid, r.id, u.work_key, r.year, r.subjects FROM records r "
                f"JOIN union_keys u ON u.record_id = r.id WHERE {where}", args):
            self.rid_of[record_id] = rid
            base[rid] = (self._key_id(key), None if year is None else year // 10 * 10,
                         tuple(json.loads(subjects)) if subjects and subjects != "[]" else ())
        held: dict[int, tuple[set, set]] = {}
        if full:
            batches = [("SELECT record_id, library_id, item_type FROM items "
                        "WHERE status != 'withdrawn'", [])]
        else:
            ids = [record_id for record_id, rid in self.rid_of.items() if rid in base]
            batches = [("SELECT record_id, library_id, item_type FROM items WHERE "
                        f"status != 'withdrawn' AND record_id IN ({','.join('?' * len(part))})",
                        part) for part in (ids[i:i + 500] for i in range(0, len(ids), 500))]
        rid_of = self.rid_of
        for sql, params in batches:
            for record_id, library, kind in store.execute(sql, params):
                rid = rid_of.get(record_id)
                if rid in base:
                    libs, types = held.setdefault(rid, (set(), set()))
                    libs.add(sys.intern(library))
                    types.add(sys.intern(kind))
        for rid, (work, decade, subjects) in base.items():
            libs, types = held.get(rid, ((), ()))
            self.rows[rid] = (work, decade, tuple(libs), tuple(types), subjects)
        self.seq = generation[1] or 0
        self.generation = generation


_FACTS: dict[str, Facts] = {}
_FACTS_LOCK = threading.Lock()


def facts_of(store) -> Facts:
    with _FACTS_LOCK:
        found = _FACTS.setdefault(str(store.path), Facts())
    return found.current(store)


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
        self.facts = facts_of(self.store)
        key = (str(self.store.path), self.query, self.filters, self.facts.generation)
        figures = CACHE.get(key)
        if figures is None:
            figures = self._figures()
            CACHE.put(key, figures)
        self.total, self._facets, self._rids = figures
        self._ranked: list[str] | None = None

    # The match set

    def _matched(self) -> list[int]:
        """``rid`` of every matching record, newest first."""
        if not self.query:
            return []
        hits = self.lib.search.search(self.query, limit=FEW_RANKED)
        if hits and hits[0].match in ("isbn", "barcode"):
            ids = [h.id for h in hits]
            return [r[0] for r in self.store.all(
                f"SELECT rid FROM records WHERE id IN ({','.join('?' * len(ids))}) "
                "ORDER BY rid DESC", ids)]
        reading = self.lib.search.vocabulary.read(self.query, True)
        match = expression(reading or self.query)
        if match is None:
            return []
        return [r[0] for r in self.store.all(
            "SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rowid DESC",
            (match,))]

    def _figures(self):
        rows = self.facts.rows
        library, subject, year, item_type = self.filters
        rids = []
        works: set[int] = set()
        libraries: defaultdict = defaultdict(set)
        types: defaultdict = defaultdict(set)
        decades: defaultdict = defaultdict(set)
        subjects: defaultdict = defaultdict(set)
        for rid in self._matched():
            row = rows.get(rid)
            if row is None:
                continue
            work, decade, libs, kinds, subs = row
            if ((library and library not in libs) or (item_type and item_type not in kinds)
                    or (year is not None and decade != year) or (subject and subject not in subs)):
                continue
            rids.append(rid)
            works.add(work)
            for code in libs:
                libraries[code].add(work)
            for kind in kinds:
                types[kind].add(work)
            if decade is not None:
                decades[decade].add(work)
            for name in subs:
                subjects[name].add(work)
        names = dict(self.store.all("SELECT code, name FROM libraries"))

        def listing(counts: dict, label=lambda v: str(v), limit: int | None = None):
            ordered = sorted(((v, len(w)) for v, w in counts.items()),
                             key=lambda vn: (-vn[1], str(vn[0])))[:limit]
            return [{"value": v, "label": label(v), "count": n} for v, n in ordered]

        return len(works), {
            "library": listing(libraries, lambda v: names.get(v, v)),
            "subject": listing(subjects, limit=SUBJECTS_SHOWN),
            "year": listing(decades, lambda v: f"{v}–{v + 9}"),
            "type": listing(types, lambda v: ITEM_TYPE_LABELS.get(v, v)),
        }, rids

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return self._facets

    # Pages

    def _ranked_keys(self, wanted: int) -> list[str]:
        """The works of the core's best records, best first, among the filtered set."""
        limit = min(RANKED, max(FEW_RANKED, wanted * 2))
        hits = self.lib.search.search(self.query, limit=limit) if self.query else []
        ids = [h.id for h in hits]
        if not ids:
            return []
        rid_of, rows, keys = self.facts.rid_of, self.facts.rows, self.facts.keys
        matched = set(self._rids)
        ranked: list[str] = []
        for record_id in ids:
            rid = rid_of.get(record_id)
            if rid in matched:
                ranked.append(keys[rows[rid][0]])
        return list(dict.fromkeys(ranked))

    def page_keys(self, page: int, per_page: int) -> list[str]:
        start, stop = (page - 1) * per_page, page * per_page
        if start >= self.total:
            return []
        ranked = self._ranked_keys(stop)
        if len(ranked) >= stop:
            return ranked[start:stop]
        # Past the ranked works: the rest of the match set, newest first.
        seen = set(ranked)
        ordered = list(ranked)
        rows, keys = self.facts.rows, self.facts.keys
        for rid in self._rids:  # newest first
            key = keys[rows[rid][0]]
            if key not in seen:
                seen.add(key)
                ordered.append(key)
                if len(ordered) >= stop:
                    break
        return ordered[start:stop]
