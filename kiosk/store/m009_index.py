"""Migration 9's rewrite of the search index, frozen as it shipped.

Until migration 9 each ``records_fts`` column held its field's text as written, with its
punctuation (``pham hoang son ; truong thanh huong``). Ranking splits the columns of every
candidate on every keystroke, and a split on spaces is four times faster than the word
pattern; so each column now holds its words joined by single spaces. FTS5 finds exactly
the same tokens in both forms (punctuation separates words either way), so the vocabulary
and the title keys are unchanged. The index is then merged into one segment (FTS5
``optimize``): reading it newest first, as the ranking tiers do, takes half the time.
``tests/core/test_migration_frozen.py`` checks it against the live search index.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store.db import Store

_WORD = re.compile(r"\w+", re.UNICODE)
_COLUMNS = ("title", "authors", "series", "publisher", "subjects",
            "title_f", "authors_f", "series_f", "publisher_f", "subjects_f")
BATCH = 1000


def _spaced(text: str | None) -> str:
    return " ".join(_WORD.findall(text or ""))


def space_index(store: "Store") -> int:
    """Rewrite every FTS row in the spaced form, a batch of rows at a time (a 200,000-title
    catalogue is not held in memory); returns the rows rewritten."""
    columns = ", ".join(_COLUMNS)
    marks = ", ".join("?" * (len(_COLUMNS) + 1))
    done, after = 0, None
    while True:
        rows = store.conn.execute(
            f"SELECT rowid, {columns} FROM records_fts WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (-(2 ** 63) if after is None else after, BATCH)).fetchall()
        if not rows:
            break
        after = rows[-1][0]
        store.conn.executemany("DELETE FROM records_fts WHERE rowid = ?",
                               [(row[0],) for row in rows])
        store.conn.executemany(
            f"INSERT INTO records_fts (rowid, {columns}) VALUES ({marks})",
            [(row[0], *map(_spaced, row[1:])) for row in rows])
        done += len(rows)
    store.execute("INSERT INTO records_fts (records_fts) VALUES ('optimize')")
    return done
