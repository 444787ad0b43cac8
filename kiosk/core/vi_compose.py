"""Vietnamese typed as Telex or VNI keys, composed key by key as Unikey does.

For the counter's text fields on a device with no input method running. :func:`compose`
takes the word before the cursor and the key just pressed and returns the word as it
should now read, or None when the key is simply a letter (or digit) to insert:

* Telex: ``aa`` â, ``aw`` ă, ``ee`` ê, ``oo`` ô, ``ow`` ơ, ``uw`` or ``w`` ư, ``dd`` đ;
  tones ``s f r x j``; ``z`` removes the tone. VNI: tones ``1``–``5``, ``6`` circumflex,
  ``7`` horn, ``8`` breve, ``9`` đ, ``0`` removes the tone.
* Marks may follow the whole word (``nguyeenx``, ``nguye6n4``) and the tone moves as letters
  are added (``hoaf`` -> ``hoà``, ``tieesng`` -> ``tiếng``), placed as
  :mod:`kiosk.core.vi_syllable` says (modern style: ``hoà``, ``thuý``).
* The case typed is kept: ``NGUYEENX`` -> ``NGUYỄN``, ``Nguyeenx`` -> ``Nguyễn``.
* A key repeated undoes its mark and is then typed: ``ass`` -> ``as``, ``aaa`` -> ``aa``.

Spell check, the rule for words that are not Vietnamese: a key acts only when the word
that results could be, or still become, a Vietnamese syllable; otherwise it is a letter
(``class``, ``press``, ``hocf``: no ``f`` tone after a stop final). Some English words begin
like Vietnamese ones (``Ross`` reads ``Ró``, then ``Ros`` once the repeated ``s`` undoes the
tone), so when the word ends (space, punctuation, Enter, leaving the field) :func:`restore`
gives back the keys as typed for a word that the keys changed and that is not a whole
Vietnamese syllable: ``Ross`` stays ``Ross``, ``ass`` ends as ``ass``. Words without a
vowel keep what they show (``50000đ``, ``đc``). Pure Python, no Qt.
"""

from __future__ import annotations

from kiosk.core.typing_vi import BREVE, CIRCUMFLEX, HORN, TELEX_TONES, VNI_TONES, VOWELS
from kiosk.core.vi_syllable import BASE, Syllable

SCHEMES = ("telex", "vni")
_MARKED = {"u": HORN["u"], "o": HORN["o"], "a": BREVE["a"]}
_DIACRITIC = {"â": "a", "ê": "e", "ô": "o"}


def compose(word: str, key: str, scheme: str = "telex") -> str | None:
    """``word`` after typing ``key`` in ``scheme``, or None when ``key`` is just inserted."""
    if len(key) != 1 or scheme not in SCHEMES:
        return None
    syllable = Syllable.read(word)
    if syllable is None:
        return None
    acted = _telex(syllable, key) if scheme == "telex" else _vni(syllable, key)
    if acted is not None:
        return acted
    return _append(syllable, key, word) if key.isalpha() else None


def restore(shown: str, keys: str) -> str | None:
    """The keys as typed, when composing turned them into ``shown``, which has a vowel and
    is not a Vietnamese syllable; else None (keep what is shown)."""
    if not keys or shown == keys:
        return None
    syllable = Syllable.read(shown)
    if syllable is None or syllable.complete():
        return None
    if not any(c in VOWELS for c in syllable.letters):
        return None
    return keys


def _telex(s: Syllable, key: str) -> str | None:
    k = key.lower()
    if k in TELEX_TONES:
        return _tone(s, TELEX_TONES[k], key)
    if k == "z":
        return _untone(s)
    if k in CIRCUMFLEX:
        return _circumflex(s, k, key)
    if k == "w":
        return _horn(s, key, "uoa", append_u=True)
    if k == "d":
        return _stroke(s, key, adjacent=True)
    return None


def _vni(s: Syllable, key: str) -> str | None:
    if key in VNI_TONES:
        return _tone(s, VNI_TONES[key], key)
    if key == "0":
        return _untone(s)
    if key == "6":
        return _circumflex(s, None, key)
    if key == "7":
        return _horn(s, key, "uo", append_u=False)
    if key == "8":
        return _horn(s, key, "a", append_u=False)
    if key == "9":
        return _stroke(s, key, adjacent=False)
    return None


def _has_vowel(s: Syllable) -> bool:
    found = s.cluster()
    return found is not None and bool(found[2])


def _tone(s: Syllable, mark: str, key: str) -> str | None:
    if not _has_vowel(s):
        return None
    new = s.copy()
    if s.tone == mark:
        new.tone = None
        new.add(key)
        return new.text()
    new.tone = mark
    return new.text() if new.possible() else None


def _untone(s: Syllable) -> str | None:
    if s.tone is None:
        return None
    new = s.copy()
    new.tone = None
    return new.text()


def _first_possible(s: Syllable, changes) -> str | None:
    """The first of ``changes`` (index, letter) whose result could be a syllable."""
    for index, letter in changes:
        new = s.copy()
        new.letters[index] = letter
        if new.possible():
            return new.text()
    return None


def _circumflex(s: Syllable, k: str | None, key: str) -> str | None:
    """Telex ``aa ee oo`` (``k`` is the vowel), before any final consonant (``data`` and
    ``banana`` stay English), or VNI ``6`` (``k`` None: any of them, anywhere)."""
    found = s.cluster()
    if found is None or not found[2] or k and found[3]:
        return None
    start, end, _vowels, _final = found
    span = range(end - 1, start - 1, -1)
    wanted = {k} if k else set(CIRCUMFLEX)
    done = [i for i in span if _DIACRITIC.get(s.letters[i]) in wanted]
    if done:
        new = s.copy()
        new.letters[done[0]] = _DIACRITIC[s.letters[done[0]]]
        new.add(key)
        return new.text()
    return _first_possible(s, [(i, CIRCUMFLEX[BASE.get(s.letters[i], s.letters[i])])
                               for i in span if BASE.get(s.letters[i], s.letters[i]) in wanted
                               and s.letters[i] not in _DIACRITIC])


def _horn(s: Syllable, key: str, targets: str, *, append_u: bool) -> str | None:
    """Telex ``w`` (horn or breve), VNI ``7`` (horn on u, o) and ``8`` (breve on a)."""
    found = s.cluster()
    if found is None:
        return None
    start, end, vowels, _final = found
    letters = s.letters
    if "o" in targets:
        for i in range(start, end - 1):
            if letters[i] in "uư" and letters[i + 1] in "oơ" and letters[i:i + 2] != ["ư", "ơ"]:
                new = s.copy()
                follows = i + 2 < len(letters)
                new.letters[i:i + 2] = ["ư" if follows or letters[i] == "ư" else "u", "ơ"]
                if new.possible():
                    return new.text()
    span = range(end - 1, start - 1, -1)
    acted = _first_possible(s, [(i, _MARKED[letters[i]]) for i in span
                                if letters[i] in targets])
    if acted is not None:
        return acted
    undo = {_MARKED[t] for t in targets}
    marked = [i for i in span if letters[i] in undo]
    if marked:
        new = s.copy()
        if letters == ["ư"] and append_u:
            new.letters, new.caps = [], []  # "ww" is "w"
        elif "ươ" in vowels and "o" in targets:
            at = start + vowels.index("ươ")
            new.letters[at:at + 2] = ["u", "o"]
        else:
            new.letters[marked[0]] = BASE[letters[marked[0]]]
        new.add(key)
        return new.text()
    if append_u and not vowels:
        new = s.copy()
        new.add("Ư" if key.isupper() else "ư")
        return new.text() if new.possible() else None
    return None


def _stroke(s: Syllable, key: str, *, adjacent: bool) -> str | None:
    """Telex ``dd`` (the key right after the initial d) or VNI ``9`` (anywhere after it)."""
    letters = s.letters
    if not letters or adjacent and len(letters) != 1:
        return None
    if letters[0] == "d":
        new = s.copy()
        new.letters[0] = "đ"
        return new.text() if new.possible() else None
    if letters[0] == "đ":
        new = s.copy()
        new.letters[0] = "d"
        new.add(key)
        return new.text()
    return None


def _append(s: Syllable, key: str, word: str) -> str | None:
    """A plain letter: ``uơ`` becomes ``ươ`` before a final (``thuơ`` + ``ng``) and the tone
    moves where the longer word carries it (``hò`` + ``a`` -> ``hoà``)."""
    new = s.copy()
    new.add(key)
    found = new.cluster()
    if found is not None:
        start, end, _vowels, _final = found
        for i in range(start, end - 1):
            pair = new.letters[i:i + 2]
            if pair in (["u", "ơ"], ["ư", "o"]) and i + 2 < len(new.letters):
                new.letters[i:i + 2] = ["ư", "ơ"]
    if not new.possible():
        return None
    text = new.text()
    return None if text == word + key else text
