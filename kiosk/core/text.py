"""Vietnamese text normalisation for search.

Two index forms are kept for each text:

* ``canonical``: NFC, lower case, and the tone mark moved to the first vowel of each
  syllable, so old and new tone placement (``Thuỷ``/``Thủy``, ``hoà``/``hòa``) give the
  same string. It is an index form only, never displayed.
* ``fold``: every diacritic removed and ``đ`` mapped to ``d`` (it is a letter, not a
  mark, so Unicode decomposition alone leaves it), for typing without diacritics.
"""

from __future__ import annotations

import re
import unicodedata

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
QUALITY_MARKS = {"\u0302", "\u0306", "\u031b"}
VOWELS = set("aeiouy")
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _canonical_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((ch for ch in decomposed if ch in TONE_MARKS), None)
    if tone is None:
        return unicodedata.normalize("NFC", decomposed)
    chars = [ch for ch in decomposed if ch not in TONE_MARKS]
    for i, ch in enumerate(chars):
        if ch in VOWELS:
            j = i + 1
            while j < len(chars) and chars[j] in QUALITY_MARKS:
                j += 1
            chars.insert(j, tone)
            break
    else:
        return unicodedata.normalize("NFC", "".join(chars))
    return unicodedata.normalize("NFC", "".join(chars))


def canonical(text: str) -> str:
    """NFC, lower case, one tone placement: the exact-diacritic index form."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return _WORD.sub(lambda m: _canonical_word(m.group(0)), lowered)


def fold(text: str) -> str:
    """Lower case without any diacritic: ``Đồng Tháp`` -> ``dong thap``."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def has_diacritics(text: str) -> bool:
    return fold(text) != unicodedata.normalize("NFC", text).lower()
