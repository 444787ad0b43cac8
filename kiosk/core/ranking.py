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
(bm25, a phrase query, the title index) never changes where it ranks. The row's columns
hold their words joined by single spaces (``search_index.index_values``): ``str.split``
gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kiosk.core.text import canonical, fold, words

FIELDS = ("title", "authors", "series", "publisher", "subjects")
WEIGHTS = (10.0, 6.0, 3.0, 2.0, 1.0)
_FOLDED = tuple(f + "_f" for f in FIELDS)
# A ranked row is a plain tuple in this order (a candidate's columns are read by position
# on every keystroke): the record's rowid, its FTS columns, canonical then folded, and its
# folded main title (``search_titles``; None when unknown).
ROW = ("rowid", *FIELDS, *_FOLDED, "main")
_CANONICAL = slice(1, 1 + len(FIELDS))
_FOLDED_AT = tuple(enumerate(range(1 + len(FIELDS), 1 + 2 * len(FIELDS))))
_MAIN = len(ROW) - 1


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

    def _needle(self, i: int, word: str) -> str:
        """What a column's spaced words hold when ``word`` is one of them (the start of
        one, for the last word typed as a prefix)."""
        return " " + word + ("" if self.prefix and i == len(self.exact) - 1 else " ")

    @cached_property
    def exact_needles(self) -> tuple[str, ...]:
        return tuple(self._needle(i, word) for i, word in enumerate(self.exact))

    @cached_property
    def marked_needles(self) -> tuple[str, ...]:
        return tuple(self._needle(i, word) for i, word in self.marked)

    @cached_property
    def phrase(self) -> str:
        """The words as they stand in a ranked column (single spaces), bounded by spaces
        but for the end of the last word when it is a prefix."""
        return " " + " ".join(self.folded) + ("" if self.prefix else " ")

    @cached_property
    def counted(self) -> frozenset[str]:
        """The words of a column that count as matches when the completions are known."""
        return self.token_set | self.further if self.further else self.token_set

    @cached_property
    def further(self) -> frozenset[str] | None:
        """The completions of the last word that are not words of the query; None when
        they are not known (each word is then tested by its start)."""
        if not self.prefix:
            return frozenset()
        return None if self.completions is None else self.completions - self.token_set


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


def rank_key(row: tuple, query: Query, bm25: float | None) -> tuple:
    """The sort key of one row (laid out as :data:`ROW`) for ``query``.

    Set operations over each column's words gather what every folded feature needs (a
    candidate is ranked on every keystroke: no Python loop per word); the phrase is looked
    for only in a column that holds all the words."""
    tokens, prefix, last = query.folded, query.prefix, query.folded[-1]
    wanted, needed = query.token_set, len(query.token_set)
    further = query.further
    counted = query.counted
    phrase = whole = one_field = in_title = False
    density = 0.0
    for n, at in _FOLDED_AT:
        text = row[at]
        if not text:
            continue
        # A column holding none of the words (nor the start of the last) adds nothing to
        # any feature: skip splitting it, most columns of most candidates.
        for token in wanted:
            if token in text:
                break
        else:
            continue
        column = text.split()
        seen = wanted.intersection(column)
        if further is None:
            started = [w for w in column if w not in wanted and w.startswith(last)]
            hits = sum(map(wanted.__contains__, column)) + len(started)
            completed = bool(started)
        elif further:
            hits = sum(map(counted.__contains__, column))
            completed = not further.isdisjoint(column)
        else:
            hits = sum(map(wanted.__contains__, column))
            completed = False
        density -= WEIGHTS[n] * hits / len(column)
        if last in seen:
            whole = True
            has_all = len(seen) == needed
        else:
            has_all = prefix and completed and len(seen) + 1 == needed
        if has_all:
            one_field = True
            in_title = in_title or n == 0
            phrase = phrase or len(tokens) == 1 or query.phrase in f" {text} "
    whole = whole or not prefix
    marked = not query.marked or _marked_present(row, query)
    tier = title_tier(row[_MAIN], query, lambda: row[1].split())
    score = (bm25, 0.0) if bm25 is not None else (float("inf"), density)
    return (tier, not phrase, not whole, not one_field, not marked, not in_title, *score,
            -row[0])


def is_exact(row: tuple, query: Query) -> bool:
    """The record holds every word with exactly the diacritics typed (``Hit.match``)."""
    text = _exact_text(row)
    return all(needle in text for needle in query.exact_needles)


def _exact_text(row: tuple) -> str:
    """The canonical columns as one string of words, a space before and after each."""
    return " " + " ".join(row[_CANONICAL]) + " "


def _marked_present(row: tuple, query: Query) -> bool:
    """Every word typed with diacritics is in the record with those diacritics."""
    text = _exact_text(row)
    return all(needle in text for needle in query.marked_needles)
