"""The shape of a Vietnamese syllable: what may be typed, and where its tone mark goes.

A syllable is an initial consonant (possibly none), a vowel cluster (medial, main vowel and
glide, e.g. ``uyê`` in ``nguyễn``) and a final consonant (possibly none). :class:`Syllable`
holds one typed word as base letters (``â``, ``ơ``... without tone), their case and one tone,
so a key can change a letter or the tone and the word is written again with the tone where
the orthography puts it.

Tone placement is the modern style (``hoà``, ``khoẻ``, ``thuý``), Unikey's default and the
rule of the Ministry of Education's current textbooks: with no final consonant, ``oa``, ``oe``
and ``uy`` carry the tone on their second vowel. Search does not care (``kiosk.core.text``
indexes ``hoà`` and ``hòa`` alike); what the librarian sees is consistent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from kiosk.core.typing_vi import VOWELS

TONES = frozenset("\u0301\u0300\u0309\u0303\u0323")
ACUTE, DOT = "\u0301", "\u0323"
BASE = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}
INITIALS = ("ngh", "ng", "nh", "gh", "gi", "kh", "ph", "th", "tr", "ch", "qu",
            "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
FINALS = frozenset({"c", "ch", "k", "m", "n", "ng", "nh", "p", "t"})
STOP_FINALS = frozenset({"c", "ch", "k", "p", "t"})
# Vowel clusters complete without a final consonant, and those a final consonant may follow.
OPEN = frozenset("a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu iêu oa oai oao oay oe oeo "
                 "oi ôi ơi ua uê ui uôi uơ uy uya uyu ưa ưi ưu ươi ươu yêu".split())
CLOSED = frozenset("a ă â e ê i o ô ơ u ư iê oa oă oe oo uâ uê uô uy uyê ươ yê".split())
CLUSTERS = OPEN | CLOSED


def _matches(typed: str, cluster: str) -> bool:
    """``typed`` could still become ``cluster`` by adding marks (``uo`` -> ``ươ``)."""
    return len(typed) == len(cluster) and all(
        t == c or t == BASE.get(c) for t, c in zip(typed, cluster))


@dataclass
class Syllable:
    letters: list[str]
    caps: list[bool]
    tone: str | None = None
    tone_at: int | None = field(default=None, compare=False)
    """Where the tone was when read: kept for a word that is no syllable."""

    @classmethod
    def read(cls, word: str) -> Syllable | None:
        """The letters and tone of ``word``; None when it holds anything but letters or
        more than one tone mark."""
        letters, caps, tone, tone_at = [], [], None, None
        for i, ch in enumerate(unicodedata.normalize("NFC", word)):
            lower = ch.lower()
            parts = unicodedata.normalize("NFD", lower)
            marks = [c for c in parts if c in TONES]
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            if len(base) != 1 or not base.isalpha() or len(marks) > 1 or marks and tone:
                return None
            if marks:
                tone, tone_at = marks[0], i
            letters.append(base)
            caps.append(ch != lower)
        return cls(letters, caps, tone, tone_at)

    def copy(self) -> Syllable:
        return Syllable(list(self.letters), list(self.caps), self.tone, self.tone_at)

    def add(self, key: str) -> None:
        self.letters.append(key.lower())
        self.caps.append(key != key.lower())

    def parts(self) -> tuple[int, int] | None:
        """(start of the vowel cluster, start of the final) or None if no syllable could
        begin like this (an initial that Vietnamese has not, a vowel after the final)."""
        text = "".join(self.letters)
        start = 0
        for initial in INITIALS:
            if text.startswith(initial):
                rest = text[len(initial):]
                if initial == "gi" and not any(c in VOWELS for c in rest):
                    continue  # gì, gìn: the i is the vowel
                start = len(initial)
                break
        else:
            if text and text[0] not in VOWELS and text != "q":
                return None
            start = len(text) if text == "q" else 0
        end = start
        while end < len(text) and text[end] in VOWELS:
            end += 1
        if any(c in VOWELS for c in text[end:]):
            return None
        return start, end

    def cluster(self) -> tuple[int, int, str, str] | None:
        found = self.parts()
        if found is None:
            return None
        start, end = found
        text = "".join(self.letters)
        return start, end, text[start:end], text[end:]

    def possible(self) -> bool:
        """Could this still be, or become as more keys are typed, a Vietnamese syllable?"""
        found = self.cluster()
        if found is None:
            return False
        _start, _end, vowels, final = found
        if not vowels:
            return not final
        if final:
            return (final in FINALS and any(_matches(vowels, c) for c in CLOSED)
                    and self._tone_fits(final))
        return any(len(c) >= len(vowels) and _matches(vowels, c[:len(vowels)])
                   for c in CLUSTERS)

    def complete(self) -> bool:
        """Is this a whole Vietnamese syllable as it stands?"""
        found = self.cluster()
        if found is None:
            return False
        _start, _end, vowels, final = found
        if not final:
            return vowels in OPEN
        return final in FINALS and vowels in CLOSED and self._tone_fits(final)

    def _tone_fits(self, final: str) -> bool:
        """After p, t, c, ch (and k, in Đắk Lắk) only the sắc and nặng tones, or none."""
        return final not in STOP_FINALS or self.tone in (None, ACUTE, DOT)

    def tone_index(self) -> int | None:
        """The letter that carries the tone, by the modern orthographic rule."""
        found = self.cluster()
        if found is None or not found[2]:
            return None
        start, _end, vowels, final = found
        shaped = [i for i, c in enumerate(vowels) if c in BASE]
        if shaped:
            at = shaped[-1]
        elif len(vowels) == 1:
            at = 0
        elif final:
            at = len(vowels) - 1
        elif len(vowels) == 3:
            at = 1
        else:
            at = 1 if vowels in ("oa", "oe", "uy") else 0
        return start + at

    def text(self) -> str:
        at = self.tone_index() if self.tone else None
        if self.tone and at is None:
            vowels = [i for i, c in enumerate(self.letters) if c in VOWELS]
            at = self.tone_at if self.tone_at in vowels else (vowels[-1] if vowels else None)
        out = []
        for i, (letter, upper) in enumerate(zip(self.letters, self.caps)):
            if i == at:
                letter = unicodedata.normalize("NFC", letter + self.tone)
            out.append(letter.upper() if upper else letter)
        return "".join(out)
