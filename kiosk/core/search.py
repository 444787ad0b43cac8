"""Catalogue search in Vietnamese, with or without diacritics.

Order of results: an ISBN (10, 13 or hyphenated) or an item barcode finds its record
directly. Otherwise full-text search runs over the folded columns (so ``dong thap`` finds
``Đồng Tháp``) and ranks in tiers: matches with the exact diacritics typed first, then
matches in the title before matches only elsewhere, then bm25 (title weighs most,
subjects least). The last word is a prefix, so results come as the patron types.

bm25 costs about a microsecond per matching record and cannot stop early, so a one-letter
prefix or a family name like ``Nguyễn`` (half of a 200,000-title catalogue) would take
200 ms. When a query matches more than ``POOL`` records, the tiers are instead filled from
column-restricted queries (exact diacritics in the title, then folded title, then any
column), newest first, and ranked within a tier by term density, a cheap stand-in for
bm25 whose differences are noise over such a match set anyway.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from kiosk.core import isbn as isbnlib
from kiosk.core.search_index import FIELDS
from kiosk.core.text import canonical, fold, words

if TYPE_CHECKING:
    from kiosk.core.library import Library

WEIGHTS = (10.0, 6.0, 3.0, 2.0, 1.0)
CANDIDATES = 200
POOL = 2000
_COLUMNS = ", ".join(FIELDS) + ", " + ", ".join(f + "_f" for f in FIELDS)


@dataclass
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


def _fts_expression(tokens: list[str], columns: list[str], prefix: bool) -> str:
    terms = [f'"{t}"' for t in tokens]
    if prefix and terms:
        terms[-1] += "*"
    return "{" + " ".join(columns) + "} : (" + " AND ".join(terms) + ")"


def _contains(haystack_words: list[str], tokens: list[str], prefix: bool) -> bool:
    present = set(haystack_words)
    for i, token in enumerate(tokens):
        if prefix and i == len(tokens) - 1:
            if not any(w.startswith(token) for w in haystack_words):
                return False
        elif token not in present:
            return False
    return True


def _density(row, tokens: list[str], prefix: bool) -> float:
    """Weighted share of each column's words that match: lower is better, like bm25."""
    score = 0.0
    for weight, field in zip(WEIGHTS, FIELDS):
        column = words(row[field + "_f"])
        if not column:
            continue
        hits = sum(1 for w in column if w in tokens or (prefix and w.startswith(tokens[-1])))
        score -= weight * hits / len(column)
    return score


class Search:
    def __init__(self, library: "Library"):
        self.lib = library
        self.store = library.store

    def search(self, query: str, limit: int = 20, prefix: bool = True) -> list[Hit]:
        query = query.strip()
        if not query:
            return []
        direct = self._direct(query)
        if direct is not None:
            return direct
        folded = words(fold(query))
        exact = words(canonical(query))
        if not folded:
            return []
        expression = _fts_expression(folded, [f + "_f" for f in FIELDS], prefix)
        newest = [r[0] for r in self.store.all(
            "SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (expression, POOL + 1))]
        if len(newest) <= POOL:
            scores = {r[0]: r[1] for r in self.store.all(
                "SELECT rowid, bm25(records_fts, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?) AS score "
                "FROM records_fts WHERE records_fts MATCH ? ORDER BY score LIMIT ?",
                (*WEIGHTS, expression, max(CANDIDATES, limit * 2)))}
        else:
            scores = self._large_match(folded, exact, prefix, newest, max(CANDIDATES, limit * 2))
        if not scores:
            return []
        rows = self.store.all(
            f"SELECT rowid, {_COLUMNS} FROM records_fts WHERE rowid IN "
            f"({','.join('?' * len(scores))})", list(scores))
        ranked = []
        for row in rows:
            exact_words = words(" ".join(row[f] for f in FIELDS))
            is_exact = _contains(exact_words, exact, prefix)
            in_title = _contains(words(row["title_f"]), folded, prefix)
            score = scores[row["rowid"]]
            if score is None:
                score = _density(row, folded, prefix)
            ranked.append((not is_exact, not in_title, score, row["rowid"], is_exact))
        ranked.sort()
        top = ranked[:limit]
        return self._hits([r[3] for r in top], ["exact" if r[4] else "folded" for r in top])

    def _large_match(self, folded: list[str], exact: list[str], prefix: bool,
                     newest: list[int], size: int) -> dict[int, float | None]:
        """Candidates for a huge match set, best tier first; scored later by density."""
        candidates: dict[int, float | None] = {}
        tiers = ((["title"], exact), (["title_f"], folded), ([f + "_f" for f in FIELDS], folded))
        for n, (columns, tokens) in enumerate(tiers):
            if n == len(tiers) - 1 and len(newest) >= size:
                rowids = newest[:size]
            else:
                expression = _fts_expression(tokens, columns, prefix)
                rowids = [r[0] for r in self.store.all(
                    "SELECT rowid FROM records_fts WHERE records_fts MATCH ? "
                    "ORDER BY rowid DESC LIMIT ?", (expression, size))]
            for rowid in rowids:
                candidates.setdefault(rowid)
                if len(candidates) >= size:
                    return candidates
        return candidates

    def _direct(self, query: str) -> list[Hit] | None:
        if isbnlib.looks_like_isbn(query):
            code = isbnlib.to_isbn13(query)
            if code is not None:
                rids = [r[0] for r in self.store.all(
                    "SELECT rid FROM records WHERE isbn13 = ? ORDER BY rid", (code,))]
                if rids:
                    return self._hits(rids, ["isbn"] * len(rids))
        row = self.store.one(
            "SELECT r.rid FROM items i JOIN records r ON r.id = i.record_id WHERE i.barcode = ?",
            (query,))
        if row is not None:
            return self._hits([row[0]], ["barcode"])
        return None

    def _hits(self, rids: list[int], matches: list[str]) -> list[Hit]:
        if not rids:
            return []
        marks = ",".join("?" * len(rids))
        records = {r["rid"]: r for r in self.store.all(
            f"SELECT rid, id, title, authors, isbn13, year, publisher, ddc FROM records "
            f"WHERE rid IN ({marks})", rids)}
        counts = {r["record_id"]: r for r in self.store.all(
            "SELECT i.record_id, COUNT(*) AS total, "
            "SUM(l.id IS NOT NULL) AS on_loan, "
            "SUM(l.id IS NULL AND h.id IS NOT NULL) AS held, "
            "SUM(l.id IS NULL AND h.id IS NULL AND i.status = 'available') AS available "
            "FROM items i LEFT JOIN loans l ON l.item_id = i.id "
            "LEFT JOIN holds h ON h.item_id = i.id AND h.status = 'trapped' "
            f"WHERE i.library_id = ? AND i.record_id IN (SELECT id FROM records WHERE rid IN ({marks})) "
            "GROUP BY i.record_id", (self.lib.code, *rids))}
        hits = []
        for rid, match in zip(rids, matches):
            rec = records.get(rid)
            if rec is None:
                continue
            c = counts.get(rec["id"])
            hits.append(Hit(
                id=rec["id"], title=rec["title"], authors=json.loads(rec["authors"]),
                isbn13=rec["isbn13"], year=rec["year"], publisher=rec["publisher"],
                ddc=rec["ddc"], available=int(c["available"] or 0) if c else 0,
                on_loan=int(c["on_loan"] or 0) if c else 0, held=int(c["held"] or 0) if c else 0,
                total=int(c["total"]) if c else 0, match=match,
            ))
        return hits
