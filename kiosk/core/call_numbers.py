"""A suggested call number (ký hiệu xếp giá) for a new copy: the DDC class, then a mark.

Commune libraries shelve by the DDC number and a short mark under it, read from the spine:
``895.9223`` over ``HOA``. The mark is the first three letters, without diacritics, of the
main author's given name (Vietnamese names are filed by the given name, the last word: "Tô
Hoài" -> ``HOA``), or of the title's first word when no author is known. The librarian can always edit it.
"""

from __future__ import annotations

import re

from kiosk.core.text import fold

DDC_NUMBER = re.compile(r"\d{3}(?:\.\d+)?")
MAX_DECIMALS = 4
MARK_LETTERS = 3


def ddc_class(ddc: str | None) -> str | None:
    """The DDC number at the front of ``ddc`` (``"895.92234 (VN)"`` -> ``"895.9223"``)."""
    match = DDC_NUMBER.match((ddc or "").strip())
    if match is None:
        return None
    whole, _, decimals = match.group(0).partition(".")
    return f"{whole}.{decimals[:MAX_DECIMALS]}" if decimals else whole


def shelf_mark(authors: list[str] | None, title: str | None) -> str:
    names = authors[0].split() if authors and authors[0].strip() else []
    title_words = (title or "").split()
    source = names[-1] if names else (title_words[0] if title_words else "")
    letters = [ch for ch in fold(source).upper() if ch.isalnum()]
    return "".join(letters[:MARK_LETTERS])


def suggest_call_number(ddc: str | None, authors: list[str] | None, title: str | None) -> str:
    """``"895.9223 HOA"``; only the mark when there is no DDC number, "" when nothing is known."""
    parts = [part for part in (ddc_class(ddc), shelf_mark(authors, title)) if part]
    return " ".join(parts)
