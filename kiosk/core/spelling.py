"""The catalogue's own vocabulary: reading Telex/VNI keys and "did you mean" suggestions.

Both are judged against ``search_vocab`` (maintained by :mod:`kiosk.core.search_index`),
never against a dictionary: a word the catalogue holds is always taken as typed, so
``lax`` stays ``lax`` in a library that has it, and a suggestion is always a word some
record contains.

Suggestions use the optimal-string-alignment edit distance over folded words (a swap of
two neighbouring letters is one edit, the commonest slip on a touch keyboard), at most 1
for words of up to four letters and 2 beyond; among candidates at the least distance the
most frequent wins, so a typo is corrected to the word readers are likeliest to mean.
"""

from __future__ import annotations

import bisect
import json
import string

from kiosk.core import search_index
from kiosk.core.text import canonical, fold, nfc, words
from kiosk.core.typing_vi import decodings
from kiosk.store.db import Store

ALPHABET = string.ascii_lowercase + string.digits


def distance(a: str, b: str, cap: int = 3) -> int:
    """Optimal string alignment distance, stopping early once it exceeds ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > cap:
            return cap + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    out |= {a + c + b for a, b in splits for c in ALPHABET}
    return out


def max_distance(word: str) -> int:
    return 0 if len(word) <= 2 else 1 if len(word) <= 4 else 2


class Vocabulary:
    """Folded words of the catalogue with their frequencies, read from ``search_vocab``."""

    def __init__(self, store: Store):
        self.store = store
        self._words: dict[str, int] | None = None
        self._sorted: list[str] = []
        self._data_version = 0
        self._by_delete: dict[str, set[str]] | None = None
        self._signature: tuple[int, int] | None = None

    def _ready(self) -> bool:
        return search_index.ensure_vocabulary(self.store)

    def frequency(self, word: str) -> int:
        return self._load().get(word, 0)

    def completes(self, prefix: str) -> bool:
        """Some catalogue word starts with ``prefix`` (the patron may still be typing it)."""
        self._load()
        i = bisect.bisect_left(self._sorted, prefix)
        return i < len(self._sorted) and self._sorted[i].startswith(prefix)

    def completions(self, prefix: str, cap: int = 5000) -> frozenset[str] | None:
        """The catalogue words starting with ``prefix``; None beyond ``cap`` of them."""
        self._load()
        at = bisect.bisect_left(self._sorted, prefix)
        end = bisect.bisect_left(self._sorted, prefix + "\uffff", at)
        return frozenset(self._sorted[at:end]) if end - at <= cap else None

    def bound(self, tokens: tuple[str, ...], prefix: bool, cap: int) -> int:
        """An upper bound on the records holding all ``tokens``: the smallest frequency
        (of the words a prefix completes to, for the last), counted no further than ``cap``.
        Without a vocabulary, ``cap + 1``: assume the worst."""
        if not tokens or not self._ready():
            return cap + 1
        vocab = self._load()
        least = cap + 1
        for i, token in enumerate(tokens):
            if prefix and i == len(tokens) - 1:
                count = 0
                at = bisect.bisect_left(self._sorted, token)
                while at < len(self._sorted) and count <= cap:
                    word = self._sorted[at]
                    if not word.startswith(token):
                        break
                    count += vocab[word]
                    at += 1
            else:
                count = vocab.get(token, 0)
            least = min(least, count)
        return least

    def forms(self, word: str) -> dict[str, int]:
        """Canonical spellings of a folded word, with their frequencies."""
        return {r[0]: r[1] for r in self.store.all(
            "SELECT form, freq FROM search_vocab WHERE word = ?", (word,))}

    def _known(self, word: str, last: bool) -> bool:
        return bool(self.frequency(word)) or (last and self.completes(word))

    # Telex and VNI

    def read(self, query: str, prefix: bool = True) -> str | None:
        """The query with Telex/VNI words decoded, spelled as the catalogue spells them;
        None when every word is taken as typed."""
        if not self._ready():
            return None
        tokens = words(nfc(query).lower())
        out, changed = [], False
        for i, word in enumerate(tokens):
            decoded = self._decode(word, prefix and i == len(tokens) - 1)
            out.append(self.spelling(decoded) if decoded else word)
            changed = changed or decoded is not None
        return " ".join(out) if changed else None

    def _decode(self, word: str, last: bool) -> str | None:
        if fold(word) != word or self._known(word, last):
            return None
        best, best_key = None, None
        for decoded in decodings(word):
            folded = fold(decoded)
            count = self.frequency(folded)
            spelt = count > 0 and decoded in self.forms(folded)
            # A finished word must decode to a spelling the catalogue has; the word still
            # being typed only to the start of one (its tone may not be typed yet).
            if not spelt and not (last and (count or self.completes(folded))):
                continue
            key = (spelt, count)
            if best_key is None or key > best_key:
                best, best_key = decoded, key
        return best

    def spelling(self, form: str) -> str:
        """How the catalogue writes a canonical word (``vịên`` -> ``viện``): canonical forms
        put every tone on the first vowel and are never shown."""
        row = self.store.one(
            "SELECT r.title, r.subtitle, r.authors, r.series, r.publisher, r.subjects "
            "FROM records_fts f JOIN records r ON r.rid = f.rowid "
            "WHERE records_fts MATCH ? LIMIT 1",
            ('{title authors series publisher subjects} : "' + form.replace('"', "") + '"',))
        if row is not None:
            texts = [row[0], row[1], row[3], row[4], *json.loads(row[2] or "[]"),
                     *json.loads(row[5] or "[]")]
            for word in words(nfc(" ".join(filter(None, texts))).lower()):
                if canonical(word) == form:
                    return word
        return form

    # Did you mean

    def suggest(self, query: str, prefix: bool = True) -> str | None:
        """The query with each word the catalogue does not know replaced by its nearest
        catalogue word; None when there is nothing to correct."""
        if not self._ready():
            return None
        tokens = words(nfc(query).lower())
        out, changed = [], False
        for i, word in enumerate(tokens):
            folded = fold(word)
            if folded.isdigit() or self._known(folded, prefix and i == len(tokens) - 1):
                out.append(word)
                continue
            nearest = self.nearest(folded)
            if nearest is None:
                out.append(word)
                continue
            forms = self.forms(nearest)
            out.append(self.spelling(max(forms, key=forms.get)) if forms else nearest)
            changed = True
        return " ".join(out) if changed else None

    def nearest(self, word: str) -> str | None:
        """The most frequent catalogue word at the least edit distance, within the bound."""
        limit = max_distance(word)
        if not limit:
            return None
        vocab = self._load()
        found = {w for w in _edits1(word) if w in vocab}
        if not found and limit > 1:
            by_delete = self._deletes_index()
            probes = {word} | _deletes(word)
            found = {w for p in probes for w in by_delete.get(p, ())}
            found |= {w for d in _deletes(word) for w in _deletes(d) | {d} if w in vocab}
        scored = [(distance(word, w, limit), -vocab[w], w) for w in found]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[2] if scored else None

    def refresh(self) -> None:
        """Notice writes by other connections (``PRAGMA data_version``); once per search."""
        self._data_version = self.store.scalar("PRAGMA data_version")

    def _load(self) -> dict[str, int]:
        """The vocabulary in memory, read again after any write to it through this store,
        or by another connection as of the last :meth:`refresh`."""
        signature = (self._data_version, search_index.generation(self.store))
        if self._words is None or signature != self._signature:
            if not self._ready():
                return {}
            self._words = {r[0]: r[1] for r in self.store.all(
                "SELECT word, SUM(freq) FROM search_vocab GROUP BY word")}
            self._sorted = sorted(self._words)
            self._by_delete = None
            # Inside a transaction the words may yet be rolled back: do not keep them.
            self._signature = None if self.store.conn.in_transaction else signature
        return self._words

    def _deletes_index(self) -> dict[str, set[str]]:
        if self._by_delete is None:
            index: dict[str, set[str]] = {}
            for w in self._load():
                if len(w) > 3:
                    for d in _deletes(w):
                        index.setdefault(d, set()).add(w)
            self._by_delete = index
        return self._by_delete
