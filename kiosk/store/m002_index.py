"""Migration 2's indexing of existing records, frozen as it shipped.

A migration must produce the same database whatever the live code later becomes, and the
store must not import the domain core (which imports the store). So the text forms and the
row layout migration 2 wrote are kept here, unchanged: canonical (NFC, lower case, one tone
placement) and folded (no diacritics, ``đ`` -> ``d``) copies of each searchable field.
``tests/core/test_migration_frozen.py`` checks it against the live search index.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store.db import Store

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_QUALITY_MARKS = {"\u0302", "\u0306", "\u031b"}
_VOWELS = set("aeiouy")
_WORD = re.compile(r"\w+", re.UNICODE)


def _canonical_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((ch for ch in decomposed if ch in _TONE_MARKS), None)
    if tone is None:
        return unicodedata.normalize("NFC", decomposed)
    chars = [ch for ch in decomposed if ch not in _TONE_MARKS]
    for i, ch in enumerate(chars):
        if ch in _VOWELS:
            j = i + 1
            while j < len(chars) and chars[j] in _QUALITY_MARKS:
                j += 1
            chars.insert(j, tone)
            break
    return unicodedata.normalize("NFC", "".join(chars))


def _canonical(text: str) -> str:
    lowered = unicodedata.normalize("NFC", text).lower()
    return _WORD.sub(lambda m: _canonical_word(m.group(0)), lowered)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").replace("đ", "d")


def _texts(row) -> list[str]:
    return [" ".join(filter(None, [row["title"], row["subtitle"]])),
            " ; ".join(json.loads(row["authors"] or "[]")), row["series"] or "",
            row["publisher"] or "", " ; ".join(json.loads(row["subjects"] or "[]"))]


def index_records(store: "Store") -> int:
    """Fill ``records_fts`` from ``records`` as migration 2 did; returns the rows written."""
    store.execute("DELETE FROM records_fts")
    count = 0
    for row in store.all("SELECT rid, title, subtitle, authors, series, publisher, subjects "
                         "FROM records"):
        texts = _texts(row)
        store.execute(
            "INSERT INTO records_fts (rowid, title, authors, series, publisher, subjects, "
            "title_f, authors_f, series_f, publisher_f, subjects_f) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row["rid"], *map(_canonical, texts), *map(_fold, texts)])
        count += 1
    return count
