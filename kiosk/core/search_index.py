"""Keeping ``records_fts`` in step with ``records``.

Each searchable field is indexed twice: in canonical form (exact diacritics, one tone
placement) and folded (no diacritics, ``đ`` -> ``d``). The FTS row id is the record's
integer ``rid``, which unlike an implicit rowid survives ``VACUUM``.
"""

from __future__ import annotations

import json

from kiosk.core.text import canonical, fold
from kiosk.store.db import Store

FIELDS = ("title", "authors", "series", "publisher", "subjects")


def _field_texts(row) -> dict[str, str]:
    title = " ".join(filter(None, [row["title"], row["subtitle"]]))
    return {
        "title": title,
        "authors": " ; ".join(json.loads(row["authors"] or "[]")),
        "series": row["series"] or "",
        "publisher": row["publisher"] or "",
        "subjects": " ; ".join(json.loads(row["subjects"] or "[]")),
    }


def _index_row(store: Store, row) -> None:
    texts = _field_texts(row)
    values = [canonical(texts[f]) for f in FIELDS] + [fold(texts[f]) for f in FIELDS]
    store.execute("DELETE FROM records_fts WHERE rowid = ?", (row["rid"],))
    store.execute(
        "INSERT INTO records_fts (rowid, title, authors, series, publisher, subjects, "
        "title_f, authors_f, series_f, publisher_f, subjects_f) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row["rid"], *values],
    )


_SELECT = "SELECT rid, title, subtitle, authors, series, publisher, subjects FROM records"


def index_record(store: Store, record_id: str) -> None:
    row = store.one(_SELECT + " WHERE id = ?", (record_id,))
    if row is not None:
        _index_row(store, row)


def reindex_all(store: Store) -> int:
    store.execute("DELETE FROM records_fts")
    count = 0
    for row in store.all(_SELECT):
        _index_row(store, row)
        count += 1
    return count
