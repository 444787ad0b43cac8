"""Keeping ``records_fts`` and the search vocabulary in step with ``records``.

Each searchable field is indexed twice: in canonical form (exact diacritics, one tone
placement) and folded (no diacritics, ``đ`` -> ``d``), each as its words joined by single
spaces (:func:`index_values`). The FTS row id is the record's integer ``rid``, which
unlike an implicit rowid survives ``VACUUM``.

Beside the FTS index live two derived tables, created here on first use rather than by a
numbered migration (they hold nothing that cannot be rebuilt from ``records``):

* ``search_vocab``: every word of the catalogue, folded, with each spelling it has and
  how many (record, field) pairs contain it. Telex/VNI reading and "did you mean"
  suggestions are judged against it: the catalogue's own words, not a dictionary's.
* ``search_titles``: each record's folded main title, indexed, so "the query is exactly a
  title" is one index lookup whatever the size of the match set.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

from kiosk.core.text import canonical, fold, nfc, words
from kiosk.store.db import Store

FIELDS = ("title", "authors", "series", "publisher", "subjects")
VOCABULARY_FILLED = "search_vocabulary_filled"


def _field_texts(row) -> dict[str, str]:
    title = " ".join(filter(None, [row["title"], row["subtitle"]]))
    return {
        "title": title,
        "authors": " ; ".join(json.loads(row["authors"] or "[]")),
        "series": row["series"] or "",
        "publisher": row["publisher"] or "",
        "subjects": " ; ".join(json.loads(row["subjects"] or "[]")),
    }


def index_values(row) -> list[str]:
    """A record's FTS row: the canonical, then the folded copy of each field, each as its
    words joined by single spaces. FTS5 finds the same tokens as in the raw text
    (punctuation separates words either way); the ranking, which splits the columns of
    every candidate on every keystroke, can then use ``str.split``, four times faster
    than the word pattern."""
    texts = _field_texts(row)
    return ([" ".join(words(canonical(texts[f]))) for f in FIELDS]
            + [" ".join(words(fold(texts[f]))) for f in FIELDS])


def title_key(title: str) -> str:
    """The folded main title as ``search_titles`` keeps it: ``Số đỏ`` -> ``so do``."""
    return " ".join(words(fold(title or "")))


def spellings(texts) -> Counter:
    """(folded word, canonical spelling) -> number of the given canonical field texts
    that contain it."""
    counts: Counter = Counter()
    for text in texts:
        counts.update({(fold(w), w) for w in words(nfc(text).lower())})
    return counts


def generation(store: Store) -> int:
    """Bumped by every vocabulary write through this store, for in-memory copies."""
    return getattr(store, "search_vocab_generation", 0)


def _vocab_add(store: Store, counts: Counter, sign: int) -> None:
    if not counts:
        return
    store.search_vocab_generation = generation(store) + 1
    store.conn.executemany(
        "INSERT INTO search_vocab (word, form, freq) VALUES (?, ?, ?) "
        "ON CONFLICT (word, form) DO UPDATE SET freq = freq + excluded.freq",
        [(word, form, sign * n) for (word, form), n in counts.items()])
    if sign < 0:
        store.execute("DELETE FROM search_vocab WHERE freq <= 0")


def ensure_vocabulary(store: Store) -> bool:
    """Fill the vocabulary tables (made by migration 6) once, from the catalogue.

    Returns False on a read-only database not filled yet: search then works without
    Telex reading and suggestions rather than failing.
    """
    if getattr(store, "search_vocabulary_ready", False):
        return True
    if not store.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'search_vocab'"):
        return False  # a schema from before migration 6 (only while it is being upgraded)
    if store.get_meta(VOCABULARY_FILLED) != "1":
        try:
            with store.transaction():
                _fill(store)
                store.set_meta(VOCABULARY_FILLED, "1")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc):
                raise
            return False
    store.search_vocabulary_ready = True
    return True


def _fill(store: Store) -> None:
    store.execute("DELETE FROM search_vocab")
    store.execute("DELETE FROM search_titles")
    store.search_vocab_generation = generation(store) + 1
    counts: Counter = Counter()
    titles = []
    for row in store.conn.execute(_SELECT):
        counts.update(spellings(canonical(t) for t in _field_texts(row).values()))
        titles.append((row["rid"], title_key(row["title"])))
    _vocab_add(store, counts, 1)
    store.conn.executemany("INSERT INTO search_titles (rid, title) VALUES (?, ?)", titles)


def _index_row(store: Store, row, vocabulary: bool = True) -> None:
    values = index_values(row)
    old = store.one(
        "SELECT title, authors, series, publisher, subjects FROM records_fts WHERE rowid = ?",
        (row["rid"],))
    if old is not None and vocabulary:
        _vocab_add(store, spellings(old[f] for f in FIELDS), -1)
    store.execute("DELETE FROM records_fts WHERE rowid = ?", (row["rid"],))
    store.execute(
        "INSERT INTO records_fts (rowid, title, authors, series, publisher, subjects, "
        "title_f, authors_f, series_f, publisher_f, subjects_f) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row["rid"], *values],
    )
    if vocabulary:
        _vocab_add(store, spellings(values[:len(FIELDS)]), 1)
        store.execute("INSERT OR REPLACE INTO search_titles (rid, title) VALUES (?, ?)",
                      (row["rid"], title_key(row["title"])))


_SELECT = "SELECT rid, title, subtitle, authors, series, publisher, subjects FROM records"


def index_record(store: Store, record_id: str) -> None:
    row = store.one(_SELECT + " WHERE id = ?", (record_id,))
    if row is not None:
        filling = not getattr(store, "search_vocabulary_ready", False) and \
            store.get_meta(VOCABULARY_FILLED) != "1"
        ready = ensure_vocabulary(store)
        _index_row(store, row, vocabulary=ready and not filling)  # a first fill counted it


def optimize(store: Store) -> None:
    """Merge the full-text index into one segment (FTS5 ``optimize``) after a rebuild:
    the ranking tiers read it newest first, which takes twice as long over the many
    segments a bulk load leaves."""
    store.execute("INSERT INTO records_fts (records_fts) VALUES ('optimize')")


def reindex_all(store: Store) -> int:
    """Rebuild the full-text index and, once its tables exist (migration 6), the
    vocabulary. (Migrations 2 and 9 keep their own frozen copies in ``kiosk.store``.)"""
    store.execute("DELETE FROM records_fts")
    vocabulary = store.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'search_vocab'") > 0
    if vocabulary:
        store.search_vocab_generation = generation(store) + 1
        store.execute("DELETE FROM search_vocab")
        store.execute("DELETE FROM search_titles")
    count = 0
    for row in store.all(_SELECT):
        _index_row(store, row, vocabulary)
        count += 1
    optimize(store)
    if vocabulary:
        store.set_meta(VOCABULARY_FILLED, "1")
        store.search_vocabulary_ready = True
    return count
