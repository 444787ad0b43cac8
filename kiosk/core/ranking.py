"""How well one catalogue record answers a query: the ordering a librarian expects.

Records are sorted by a tuple, best first, compared term by term:

1. the main title *is* the query once folded (``so do`` -> ``Số đỏ``), word for word;
   a title that completes the last word typed (``so d``) comes next. A word typed with
   diacritics must carry the title's own (``sổ đỏ`` is not the title ``Số đỏ``);
2. the query stands as a phrase in one field, its words adjacent and in order;
3. the last word typed is a whole word of the record, not only the start of a longer one
   (``tu`` -> ``Tu`` before ``tuổi``);
4. all the words are in one field (an author's full name), not spread across fields;
5. the diacritics typed are the record's own (``Bà`` before ``Ba``, ``Bá``); a word typed
   without any stands for every spelling, so ``kim lan`` does not prefer ``Lan`` to
   ``Lân``;
6. all the words are in the title, rather than only in authors, series or subjects;
7. relevance within the tier: bm25 where the database computed it, else term density
   (the weighted share of each field's words that match, lower is better like bm25).

Every feature is computed here from the words of the FTS row, so how a candidate was found
(bm25, a phrase query, the title index) never changes where it ranks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kiosk.core.text import canonical, fold, words

FIELDS = ("title", "authors", "series", "publisher", "subjects")
WEIGHTS = (10.0, 6.0, 3.0, 2.0, 1.0)
_FOLDED = tuple(f + "_f" for f in FIELDS)


@dataclass(frozen=True)
class Query:
    folded: tuple[str, ...]
    exact: tuple[str, ...]
    prefix: bool
    # The catalogue words the last word completes to, when known: a set lookup per word
    # instead of a ``startswith`` per word while ranking.
    completions: frozenset[str] | None = None

    @classmethod
    def of(cls, text: str, prefix: bool) -> "Query":
        return cls(tuple(words(fold(text))), tuple(words(canonical(text))), prefix)

    @cached_property
    def marked(self) -> tuple[tuple[int, str], ...]:
        """(position, canonical word) of the words typed with diacritics."""
        return tuple((i, e) for i, (e, f) in enumerate(zip(self.exact, self.folded)) if e != f)

    @property
    def last(self) -> str:
        return self.folded[-1]

    @cached_property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.folded)

    @cached_property
    def further(self) -> frozenset[str] | None:
        """The completions of the last word that are not words of the query; None when
        they are not known (each word is then tested by its start)."""
        if not self.prefix:
            return frozenset()
        return None if self.completions is None else self.completions - self.token_set


def contains(haystack: list[str], tokens: tuple[str, ...], prefix: bool) -> bool:
    present = set(haystack)
    for i, token in enumerate(tokens):
        if prefix and i == len(tokens) - 1:
            if token not in present and not any(w.startswith(token) for w in haystack):
                return False
        elif token not in present:
            return False
    return True


def phrase_at(haystack: list[str], tokens: tuple[str, ...], prefix: bool) -> bool:
    """The tokens appear adjacent and in order (the last one may be a prefix)."""
    n = len(tokens)
    head, last = list(tokens[:-1]), tokens[-1]
    for i in range(len(haystack) - n + 1):
        if haystack[i:i + n - 1] == head:
            word = haystack[i + n - 1]
            if word == last or (prefix and word.startswith(last)):
                return True
    return False


def title_tier(main_title: str | None, query: Query, exact_words) -> int:
    """0: the title is the query; 1: the title completes the query's last word; 2: neither."""
    if not main_title:
        return 2
    title = main_title.split()
    if len(title) != len(query.folded) or tuple(title[:-1]) != query.folded[:-1]:
        return 2
    last = len(title) - 1
    exact_title = exact_words() if query.marked else []
    for i, word in query.marked:
        if i >= len(exact_title) or not (exact_title[i] == word or (
                query.prefix and i == last and exact_title[i].startswith(word))):
            return 2
    if title[-1] == query.last:
        return 0
    return 1 if query.prefix and title[-1].startswith(query.last) else 2


def rank_key(row, query: Query, main_title: str | None, bm25: float | None) -> tuple:
    """The sort key of one FTS row (canonical and ``_f`` folded columns) for ``query``.

    Set operations over each column's words gather what every folded feature needs (a
    candidate is ranked on every keystroke: no Python loop per word); the phrase is looked
    for only in a column that holds all the words."""
    tokens, prefix, last = query.folded, query.prefix, query.folded[-1]
    wanted, needed = query.token_set, len(query.token_set)
    further = query.further
    phrase = whole = one_field = in_title = False
    density = 0.0
    for n, field in enumerate(_FOLDED):
        text = row[field]
        if not text:
            continue
        # A column holding none of the words (nor the start of the last) adds nothing to
        # any feature: skip splitting it, most columns of most candidates.
        for token in wanted:
            if token in text:
                break
        else:
            continue
        column = words(text)
        seen = wanted.intersection(column)
        hits = sum(map(wanted.__contains__, column))
        if further is None:
            started = [w for w in column if w not in wanted and w.startswith(last)]
            hits, completed = hits + len(started), bool(started)
        elif further:
            started_count = sum(map(further.__contains__, column))
            hits, completed = hits + started_count, started_count > 0
        else:
            completed = False
        whole = whole or last in seen
        density -= WEIGHTS[n] * hits / len(column)
        if prefix:
            has_all = len(seen | {last}) == needed and (last in seen or completed)
        else:
            has_all = len(seen) == needed
        if has_all:
            one_field = True
            in_title = in_title or n == 0
            phrase = phrase or len(tokens) == 1 or phrase_at(column, tokens, prefix)
    whole = whole or not prefix
    marked = not query.marked or _marked_present(row, query)
    tier = title_tier(main_title, query, lambda: words(row["title"]))
    score = (bm25, 0.0) if bm25 is not None else (float("inf"), density)
    return (tier, not phrase, not whole, not one_field, not marked, not in_title, *score,
            -row["rowid"])


def is_exact(row, query: Query) -> bool:
    """The record holds every word with exactly the diacritics typed (``Hit.match``)."""
    text = _exact_text(row)
    # A word that is not even a substring is not a word of the record: no need to split.
    if not all(word in text for word in query.exact):
        return False
    return contains(words(text), query.exact, query.prefix)


def _exact_text(row) -> str:
    return " ".join(row[f] for f in FIELDS)


def _marked_present(row, query: Query) -> bool:
    """Every word typed with diacritics is in the record with those diacritics."""
    text = _exact_text(row)
    if not all(word in text for _i, word in query.marked):
        return False
    record = words(text)
    last = len(query.exact) - 1
    return all(word in record or (query.prefix and i == last
                                  and any(w.startswith(word) for w in record))
               for i, word in query.marked)
