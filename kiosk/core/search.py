"""Catalogue search in Vietnamese, with or without diacritics, as people really type.

An ISBN (10, 13 or hyphenated) or an item barcode finds its record directly. Otherwise
the query is first *read*: a word the catalogue does not know that decodes, as Telex or
VNI typed without an input method, to one it does is taken as its decoding
(:mod:`kiosk.core.spelling`). Full-text search then runs over the folded columns (so
``dong thap`` finds ``Đồng Tháp``), the last word as a prefix so results come as the
patron types, and candidates are ordered by :func:`kiosk.core.ranking.rank_key`.

When no more records match than a query ranks (``CANDIDATES``), they are all candidates,
listed without bm25: FTS5's bm25 reads each word's whole doclist for its weights, many
times the cost of finding a handful of matches, and term density orders them within a tier
instead. Otherwise candidates are found so that every ranking tier has its best records
among them: the bm25 top (title weighs most, subjects least), the newest records holding
the words as a phrase, as whole words and with the exact diacritics, and titles equal to
the query from their own index (``search_titles``). bm25 costs about a microsecond per
matching record and cannot stop early, so a one-letter prefix or a family name like
``Nguyễn`` (half of a 200,000-title catalogue) would take 200 ms. The vocabulary bounds the
match set before any FTS query runs (no more records than the rarest word's frequency):
above ``POOL``, bm25 is skipped, candidates come from the ranking tiers as
column-restricted queries, best tier first and newest first within it, each stopping as
soon as enough are found, and term density stands in for bm25 within a tier (its
differences are noise over such a match set anyway).

:class:`~kiosk.core.search_filters.Filters` (on the shelf here, a subject, a range of years)
narrow the match set itself: every candidate query above, the count and the title lookup
join the record and carry the filter's condition, so the ranking is the same one over
fewer records.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kiosk.core import isbn as isbnlib
from kiosk.core import search_index
from kiosk.core.ranking import FIELDS, ROW, WEIGHTS, Query, is_exact, rank_key
from kiosk.core.search_filters import Facets, Filters, facets
from kiosk.core.spelling import Vocabulary

if TYPE_CHECKING:
    from kiosk.core.library import Library

CANDIDATES = 30
EXTRA = 10
POOL = 400
FEW = 3
_FOLDED = [f + "_f" for f in FIELDS]
_INDEXED = ROW[1:-1]                    # the FTS columns, in the order ranking reads them
_COLUMNS = ", ".join(f"f.{c}" for c in _INDEXED)
# FTS5 keeps a table's text in its shadow table ``records_fts_content`` (id, c0, c1, ... in
# the order of the columns declared). The ranking's rows are read from there: a plain
# B-tree lookup per candidate, half the time of one through the virtual table.
_CONTENT_COLUMNS = ["id", *(f"c{i}" for i in range(len(_INDEXED)))]
_FROM_CONTENT = ", ".join(f"f.c{i} AS {c}" for i, c in enumerate(_INDEXED))


@dataclass(slots=True)
class Hit:
    id: str
    title: str
    authors: list[str]
    isbn13: str | None
    year: int | None
    publisher: str | None
    ddc: str | None
    available: int
    on_loan: int
    held: int
    total: int
    match: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Found:
    """Hits, the query as it was read (when Telex or VNI was decoded), a suggestion, and
    ``total``: how many records match in all (the hits are the best ``limit`` of them);
    None when more match than were ranked and they were not counted (``find(...,
    count=False)``: :meth:`Search.count` says how many)."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    reading: str | None = None
    suggestion: str | None = None
    total: int | None = 0


def _fts(tokens: tuple[str, ...], columns: list[str], prefix: bool, phrase: bool = False) -> str:
    terms = [f'"{t}"' for t in tokens]
    if phrase:
        terms = [" + ".join(terms)]
    if prefix and terms:
        terms[-1] += "*"
    if not columns:
        return " AND ".join(terms)
    return "{" + " ".join(columns) + "} : (" + " AND ".join(terms) + ")"


def _all_words(tokens: tuple[str, ...], prefix: bool) -> str:
    """Every folded word in the record, the last as a prefix: the match set.

    No column filter, though only the folded columns are meant: a folded word found in
    a canonical column is there without diacritics, so its folded column holds it too and
    the records matched are the same (bm25 too: canonical columns weigh 0, and a phrase's
    row count is unchanged). Without the filter FTS5 answers from the doclists alone
    instead of reading every position list: a count over 10,000 matches takes a sixth of
    the time. Phrases keep the filter: adjacency needs the positions anyway."""
    return _fts(tokens, [], prefix)


class Search:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store
        self.vocabulary = Vocabulary(library.store)
        self._content: bool | None = None

    def search(self, query: str, limit: int = 20, prefix: bool = True) -> list[Hit]:
        return self.find(query, limit, prefix, suggest=False).hits

    def find(self, query: str, limit: int = 20, prefix: bool = True,
             suggest: bool = True, filters: Filters | None = None,
             count: bool = True) -> Found:
        """Search, and when few records answer, a "did you mean" from the vocabulary
        (not while filters narrow the matches: few answers then say nothing of spelling).

        Counting a large match set costs as much as ranking it (``dong thap``: 9,326
        records at 50,000 titles, 2 ms; half a 200,000-title catalogue for ``nguyễn``):
        with ``count=False`` the hits come without it, for a screen that shows them
        first and the number when :meth:`count` has it."""
        query = query.strip()
        found = Found(query)
        if not query:
            return found
        narrow = self._narrowing(filters)
        direct = self._direct(query)
        if direct is not None:
            found.hits = self._kept(direct, narrow)
            found.total = len(found.hits)
            return found
        found.reading, read = self._read(query, prefix)
        found.hits, found.total = self._ranked(read, limit, narrow, count)
        if suggest and len(found.hits) < FEW and not narrow[0]:
            suggestion = self.vocabulary.suggest(found.reading or query, prefix)
            if suggestion and len(self._ranked(self._query(suggestion, prefix), FEW,
                                               count=False)[0]) > len(found.hits):
                found.suggestion = suggestion
        return found

    def count(self, query: str, prefix: bool = True, filters: Filters | None = None) -> int:
        """How many records ``find`` would say match ``query`` under ``filters``."""
        query = query.strip()
        if not query:
            return 0
        narrow = self._narrowing(filters)
        direct = self._direct(query)
        if direct is not None:
            return len(self._kept(direct, narrow))
        read = self._read(query, prefix)[1]
        if not read.folded:
            return 0
        return self._count(_all_words(read.folded, read.prefix), narrow)

    def facets(self, query: str, prefix: bool = True,
               filters: Filters | None = None) -> Facets:
        """The subjects and decades a patron may narrow ``query``'s matches to, each
        among the matches under the other filters (an ISBN or a barcode offers none)."""
        query = query.strip()
        if not query or self._direct(query) is not None:
            return Facets()
        read = self._read(query, prefix)[1]
        if not read.folded:
            return Facets()
        return facets(self.store, _all_words(read.folded, read.prefix),
                      filters or Filters(), self.lib.code)

    def _narrowing(self, filters: Filters | None) -> tuple[str, str, list]:
        """(join, condition, parameters) that narrow an FTS query over ``records_fts f``
        to the filtered records; empty when nothing narrows."""
        if not filters:
            return "", "", []
        where, params = filters.condition(self.lib.code)
        return "JOIN records r ON r.rid = f.rowid ", where, params

    def _kept(self, hits: list[Hit], narrow: tuple[str, str, list]) -> list[Hit]:
        join, where, params = narrow
        if not join or not hits:
            return hits
        marks = ",".join("?" * len(hits))
        kept = {r[0] for r in self.store.all(
            f"SELECT r.id FROM records r WHERE r.id IN ({marks}){where}",
            (*[h.id for h in hits], *params))}
        return [h for h in hits if h.id in kept]

    def _read(self, query: str, prefix: bool) -> tuple[str | None, Query]:
        """The query as read (Telex/VNI decoded, or None when taken as typed) and parsed."""
        self.vocabulary.refresh()
        reading = self.vocabulary.read(query, prefix)
        return reading, self._query(reading or query, prefix)

    def _query(self, text: str, prefix: bool) -> Query:
        query = Query.of(text, prefix)
        if prefix and query.folded and search_index.ensure_vocabulary(self.store):
            query = replace(query, completions=self.vocabulary.completions(query.last))
        return query

    def _count(self, expression: str, narrow: tuple[str, str, list]) -> int:
        join, where, params = narrow
        return self.store.scalar(
            f"SELECT COUNT(*) FROM records_fts f {join}WHERE records_fts MATCH ?{where}",
            (expression, *params))

    def _ranked(self, query: Query, limit: int, narrow: tuple[str, str, list] = ("", "", []),
                count: bool = True) -> tuple[list[Hit], int | None]:
        """The best ``limit`` hits and how many records match in all (counted only when
        the candidates did not already say, and ``count`` asks)."""
        if not query.folded:
            return [], 0
        size = max(CANDIDATES, limit + 10)
        expression = _all_words(query.folded, query.prefix)
        join, where, params = narrow
        total: int | None = None
        scores: dict[int, float | None]
        if self.vocabulary.bound(query.folded, query.prefix, POOL) > POOL:
            scores, total = self._large_match(query, expression, size, narrow)
        elif len(listed := self._rowids(expression, size + 1, narrow, newest=False)) <= size:
            scores, total = dict.fromkeys(listed), len(listed)   # every match: no bm25
        else:
            scores = {r[0]: r[1] for r in self.store.all(
                "SELECT f.rowid, bm25(records_fts, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?) AS score "
                f"FROM records_fts f {join}WHERE records_fts MATCH ?{where} "
                "ORDER BY score LIMIT ?",
                (*WEIGHTS, expression, *params, size))}
            for rowid in self._targeted(query, EXTRA, narrow):
                scores.setdefault(rowid)
        titled = search_index.ensure_vocabulary(self.store)
        # A title equal to the query holds all its words: when every match is a candidate
        # already (``total`` known), the title index can add none.
        for rowid in self._titles(query, narrow) if titled and total is None else ():
            scores.setdefault(rowid)
        if not scores:
            return [], 0
        rows = self._rows(list(scores), titled)
        ranked = sorted((rank_key(row, query, scores[row[0]]), row) for row in rows)[:limit]
        hits = self._hits([row[0] for _, row in ranked],
                          ["exact" if is_exact(row, query) else "folded" for _, row in ranked])
        if total is None and len(hits) < limit:
            total = len(hits)
        if total is None:
            total = self._count(expression, narrow) if count else None
        return hits, None if total is None else max(total, len(hits))

    def _rows(self, rowids: list[int], titled: bool) -> list[tuple]:
        """The indexed texts of ``rowids`` and their folded main title, for ranking, as
        tuples laid out as :data:`kiosk.core.ranking.ROW`."""
        if self._content is None:
            self._content = [r[1] for r in self.store.all(
                "PRAGMA table_info(records_fts_content)")] == _CONTENT_COLUMNS
        key, columns, table = (("f.id", _FROM_CONTENT, "records_fts_content") if self._content
                               else ("f.rowid", _COLUMNS, "records_fts"))
        main, join = (("t.title", f"LEFT JOIN search_titles t ON t.rid = {key} ") if titled
                      else ("NULL", ""))
        return self.store.tuples(
            f"SELECT {key} AS rowid, {columns}, {main} AS main FROM {table} f {join}"
            f"WHERE {key} IN ({','.join('?' * len(rowids))})", rowids)

    def _rowids(self, expression: str, limit: int,
                narrow: tuple[str, str, list] = ("", "", []), newest: bool = True) -> list[int]:
        """The newest ``limit`` matches, or any ``limit`` (FTS5 reads its doclists forwards
        several times faster than backwards)."""
        join, where, params = narrow
        order = "ORDER BY f.rowid DESC " if newest else ""
        return [r[0] for r in self.store.all(
            f"SELECT f.rowid FROM records_fts f {join}WHERE records_fts MATCH ?{where} "
            f"{order}LIMIT ?", (expression, *params, limit))]

    def _targeted(self, query: Query, size: int,
                  narrow: tuple[str, str, list] = ("", "", [])) -> list[int]:
        """Newest records of the tiers bm25 cannot see: phrase, whole word, exact diacritics."""
        expressions = []
        if len(query.folded) > 1:
            expressions.append(_fts(query.folded, _FOLDED, query.prefix, phrase=True))
        if query.prefix:
            expressions.append(_all_words(query.folded, False))
        if query.exact != query.folded:
            expressions.append(_fts(query.exact, list(FIELDS), query.prefix))
        return [rowid for e in expressions for rowid in self._rowids(e, size, narrow)]

    def _titles(self, query: Query, narrow: tuple[str, str, list] = ("", "", [])) -> list[int]:
        """Records whose folded main title is the query, or completes its last word."""
        key = " ".join(query.folded)
        join, where, params = narrow
        join = "JOIN records r ON r.rid = t.rid " if join else ""
        if not query.prefix or len(key) < 3:
            return [r[0] for r in self.store.all(
                f"SELECT t.rid FROM search_titles t {join}WHERE t.title = ?{where} LIMIT ?",
                (key, *params, EXTRA))]
        # The query itself, or the query with its last word longer: the range after
        # ``key + "!"`` leaves out every title that goes on with more words after it
        # (``key + " ..."``, a space sorts before any letter), most of those starting so.
        return [r[0] for r in self.store.all(
            f"SELECT t.rid FROM search_titles t {join}WHERE (t.title = ? OR "
            f"(t.title >= ? AND t.title < ?)) AND instr(substr(t.title, ?), ' ') = 0{where} "
            "LIMIT ?", (key, key + "!", key + "\uffff", len(key) + 1, *params, EXTRA))]

    def _large_match(self, query: Query, expression: str, size: int,
                     narrow: tuple[str, str, list] = ("", "", [])
                     ) -> tuple[dict[int, None], int | None]:
        """Candidates for a huge match set from the best ranking tier down, newest first
        within each, until ``size`` are found: a full tier shuts out the weaker ones.

        The vocabulary only bounds the match set by its rarest word: every word of
        ``nguyễn nhật ánh`` is common, their conjunction rare. So once a tier falls short,
        the newest ``size + 1`` matches are listed (FTS5 stops when it has them); when
        that is all of them, they are the candidates every tier would have led to, each
        reading the whole conjunction again, and their number is the total."""
        folded, prefix, phrase = query.folded, query.prefix, len(query.folded) > 1
        tiers = []
        if query.marked:
            tiers.append(_fts(query.exact, list(FIELDS), prefix, phrase=phrase))
        if phrase:
            tiers.append(_fts(folded, _FOLDED, False, phrase=True))
            if prefix:
                tiers.append(_fts(folded, _FOLDED, True, phrase=True))
        if prefix:
            tiers.append(_all_words(folded, False))
        candidates: dict[int, None] = {}
        every: list[int] | None = None
        for tier in tiers:
            for rowid in self._rowids(tier, size - len(candidates), narrow):
                candidates.setdefault(rowid)
            if len(candidates) >= size:
                return candidates, None
            if every is None:
                every = self._rowids(expression, size + 1, narrow)
                if len(every) <= size:
                    return dict.fromkeys(every), len(every)
        if every is None:
            every = self._rowids(expression, size + 1, narrow)
            if len(every) <= size:
                return dict.fromkeys(every), len(every)
        for rowid in every[:size]:
            candidates.setdefault(rowid)
            if len(candidates) >= size:
                break
        return candidates, None

    def _direct(self, query: str) -> list[Hit] | None:
        if isbnlib.looks_like_isbn(query):
            code = isbnlib.to_isbn13(query)
            if code is not None:
                rids = [r[0] for r in self.store.all(
                    "SELECT rid FROM records WHERE isbn13 = ? ORDER BY rid", (code,))]
                if rids:
                    return self._hits(rids, ["isbn"] * len(rids))
        if any(ch.isspace() for ch in query):
            return None  # no barcode holds a space; spare every typed phrase the lookup
        row = self.store.one(
            "SELECT r.rid FROM items i JOIN records r ON r.id = i.record_id WHERE i.barcode = ?",
            (query,))
        if row is not None:
            return self._hits([row[0]], ["barcode"])
        return None

    def _hits(self, rids: list[int], matches: list[str]) -> list[Hit]:
        """Hits in the order given, with this library's copies counted: one statement
        (search runs on every keystroke, and each statement costs as much as a small
        FTS query), its rows plain tuples in the order of :class:`Hit`'s fields; the
        counts read from ``record_copies``, which triggers keep (migration 10)."""
        if not rids:
            return []
        rows = {r[0]: r for r in self.store.tuples(
            "SELECT r.rid, r.id, r.title, r.authors, r.isbn13, r.year, r.publisher, r.ddc, "
            "c.available, c.on_loan, c.held, c.total "
            "FROM records r LEFT JOIN record_copies c ON c.record_id = r.id "
            "AND c.library_id = (SELECT value FROM meta WHERE key = 'library_code') "
            f"WHERE r.rid IN ({','.join('?' * len(rids))})", rids)}
        return [Hit(r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7], r[8] or 0,
                    r[9] or 0, r[10] or 0, r[11] or 0, match)
                for rid, match in zip(rids, matches) if (r := rows.get(rid)) is not None]
