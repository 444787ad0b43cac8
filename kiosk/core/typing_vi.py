"""Reading Vietnamese typed as Telex or VNI key sequences without an input method.

A patron at a borrowed keyboard, or a phone without a Vietnamese keyboard, types the keys
an input method would have turned into letters: ``thuw vieenj xax`` (Telex) or
``thu7 vie6n5 xa4`` (VNI). :func:`telex` and :func:`vni` decode one word each and return
``None`` when the word holds no key the scheme would have acted on, so a plain word is
never "decoded" into itself. Whether a decoding is the right reading is for the caller to
judge against the catalogue's vocabulary: ``lax`` is not Telex for ``lã`` when the
catalogue knows a word ``lax``.

Tone keys act only after a vowel (``s``, ``r``, ``x`` start many syllables), and the
tone lands on the first vowel: :func:`kiosk.core.text.canonical` puts every tone there,
so the result compares equal to the index form of the same word typed properly.
"""

from __future__ import annotations

import unicodedata

from kiosk.core.text import canonical

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TELEX_TONES = {"s": ACUTE, "f": GRAVE, "r": HOOK, "x": TILDE, "j": DOT}
VNI_TONES = {"1": ACUTE, "2": GRAVE, "3": HOOK, "4": TILDE, "5": DOT}
CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
BREVE = {"a": "ă"}
HORN = {"o": "ơ", "u": "ư"}
VOWELS = set("aeiouyâăêôơư")


def _finish(letters: list[str], tone: str | None) -> str:
    if tone:
        for i, ch in enumerate(letters):
            if ch in VOWELS:
                letters = letters[:i + 1] + [tone] + letters[i + 1:]
                break
    return canonical(unicodedata.normalize("NFC", "".join(letters)))


def _last_vowel(letters: list[str], wanted: dict[str, str]) -> int | None:
    for i in range(len(letters) - 1, -1, -1):
        if letters[i] in wanted:
            return i
    return None


def _horn(letters: list[str]) -> bool:
    """Horn on ``uo`` (``ươ``) as input methods do, else on the last ``o`` or ``u``."""
    text = "".join(letters)
    at = text.rfind("uo")
    if at >= 0:
        letters[at], letters[at + 1] = "ư", "ơ"
        return True
    i = _last_vowel(letters, HORN)
    if i is None:
        return False
    letters[i] = HORN[letters[i]]
    return True


def telex(word: str) -> str | None:
    """``vieenj`` -> ``viện``, ``nguowif`` -> ``người``, ``ddaats`` -> ``đất``; else None."""
    letters: list[str] = []
    tone: str | None = None
    acted = False
    for ch in word.lower():
        has_vowel = any(c in VOWELS for c in letters)
        if ch in TELEX_TONES and has_vowel:
            tone, acted = TELEX_TONES[ch], True
        elif ch == "z" and has_vowel:
            tone, acted = None, True
        elif ch == "w":
            if not _horn(letters) and not _breve(letters):
                letters.append("ư")
            acted = True
        elif ch in CIRCUMFLEX and letters and letters[-1] == ch:
            letters[-1], acted = CIRCUMFLEX[ch], True
        elif ch == "d" and letters and letters[-1] == "d":
            letters[-1], acted = "đ", True
        else:
            letters.append(ch)
    return _finish(letters, tone) if acted else None


def _breve(letters: list[str]) -> bool:
    i = _last_vowel(letters, BREVE)
    if i is None:
        return False
    letters[i] = BREVE[letters[i]]
    return True


def vni(word: str) -> str | None:
    """``vie6n5`` -> ``viện``, ``thu7`` -> ``thư``, ``d9a6t1`` -> ``đất``; else None.

    A word of digits alone (a year, a volume number) is never a VNI sequence.
    """
    if not any(ch.isalpha() for ch in word):
        return None
    letters: list[str] = []
    tone: str | None = None
    acted = False
    for ch in word.lower():
        has_vowel = any(c in VOWELS for c in letters)
        if ch in VNI_TONES and has_vowel:
            tone, acted = VNI_TONES[ch], True
        elif ch == "0" and has_vowel:
            tone, acted = None, True
        elif ch == "6" and (i := _last_vowel(letters, CIRCUMFLEX)) is not None:
            letters[i], acted = CIRCUMFLEX[letters[i]], True
        elif ch == "7" and _horn(letters):
            acted = True
        elif ch == "8" and _breve(letters):
            acted = True
        elif ch == "9" and "d" in letters:
            letters[letters.index("d")], acted = "đ", True
        elif ch.isdigit():
            return None
        else:
            letters.append(ch)
    return _finish(letters, tone) if acted else None


def decodings(word: str) -> list[str]:
    """The distinct readings of ``word`` as Telex and as VNI, Telex first."""
    out: list[str] = []
    for decoded in (telex(word), vni(word)):
        if decoded and decoded not in out:
            out.append(decoded)
    return out
