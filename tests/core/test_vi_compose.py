"""Telex and VNI composed key by key, as a librarian types at a counter with no input method:
what each word reads while typing and once it ends."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.core import typing_vi
from kiosk.core.text import canonical
from kiosk.core.vi_compose import compose, restore
from kiosk.core.vi_syllable import Syllable


def typed(keys: str, scheme: str = "telex") -> str:
    """What a word reads after ``keys``, key by key, before it ends."""
    word = ""
    for key in keys:
        new = compose(word, key, scheme)
        word = word + key if new is None else new
    return word


def finished(keys: str, scheme: str = "telex") -> str:
    """What the word reads once it ends (space, punctuation, leaving the field)."""
    word = typed(keys, scheme)
    return restore(word, keys) or word


@pytest.mark.parametrize(("keys", "word"), [
    ("Nguyeenx", "Nguyễn"), ("Nguyeexn", "Nguyễn"), ("Thij", "Thị"), ("Hoaf", "Hoà"),
    ("ddaats", "đất"), ("Ddoongf", "Đồng"), ("Thaps", "Tháp"), ("Vieejt", "Việt"),
    ("tieesng", "tiếng"), ("thuowr", "thuở"), ("quys", "quý"), ("giuwowngf", "giường"),
    ("giuowngf", "giường"), ("khuya", "khuya"), ("nguowif", "người"), ("nguoiwf", "người"),
    ("truowngf", "trường"), ("phuwowngf", "phường"), ("hoawcj", "hoặc"), ("muwa", "mưa"),
    ("nhwng", "nhưng"), ("quoocs", "quốc"), ("gif", "gì"), ("giaf", "già"), ("xax", "xã"),
    ("khoer", "khoẻ"), ("thuyr", "thuỷ"), ("khuyur", "khuỷu"), ("ngoaif", "ngoài"),
    ("xoays", "xoáy"), ("hoaxn", "hoãn"), ("huyeenj", "huyện"), ("quyeenr", "quyển"),
    ("Ddawks Lawks", "Đắk Lắk"), ("sachs", "sách"), ("sach", "sach"), ("tooi", "tôi"),
])
def test_telex_keys_compose_the_vietnamese_word(keys, word):
    assert " ".join(finished(part) for part in keys.split(" ")) == word


@pytest.mark.parametrize(("keys", "word"), [
    ("Nguye6n4", "Nguyễn"), ("Thi5", "Thị"), ("Hoa2", "Hoà"), ("d9a6t1", "đất"),
    ("di9", "đi"), ("thuo73", "thuở"), ("giuo7ng2", "giường"), ("quo6c1", "quốc"), ("D9a8k1", "Đắk"), ("Hoa2n", "Hoàn"), ("khuya", "khuya"),
])
def test_vni_keys_compose_the_vietnamese_word(keys, word):
    assert finished(keys, "vni") == word


def test_the_case_typed_is_kept():
    assert typed("NGUYEENX") == "NGUYỄN"
    assert typed("Nguyeenx") == "Nguyễn"
    assert typed("NGUYE6N4", "vni") == "NGUYỄN"
    assert typed("DDI") == "ĐI" and typed("Ddi") == "Đi"
    assert typed("HOAF") == "HOÀ"


def test_the_tone_follows_the_modern_placement_and_moves_as_letters_come():
    assert typed("hoaf") == "hoà" and typed("hofa") == "hoà"
    assert typed("hoafn") == "hoàn"
    assert typed("thuys") == "thuý"
    assert typed("gif") + "|" + typed("gifa") == "gì|già"
    assert typed("ties") == "tíe" and typed("tiese") == "tiế" and typed("tiesen") == "tiến"
    assert typed("tiesng") == "tiéng" and typed("cana") == "cana"  # aa ee oo: before a final


def test_a_repeated_key_undoes_its_mark_and_is_typed():
    assert typed("ass") == "as"
    assert typed("aaa") == "aa" and typed("ooo") == "oo" and typed("eee") == "ee"
    assert typed("ddd") == "dd"
    assert typed("oww") == "ow" and typed("aww") == "aw" and typed("ww") == "w"
    assert typed("Hoaff") == "Hoaf"
    assert typed("a11", "vni") == "a1" and typed("a66", "vni") == "a6"
    assert typed("xooong") == "xoong"


def test_z_and_zero_remove_the_tone_and_are_letters_otherwise():
    assert typed("asz") == "a" and typed("a1", "vni") == "á" and typed("a10", "vni") == "a"
    assert typed("za") == "za" and typed("a0", "vni") == "a0"


def test_a_tone_key_with_no_vowel_before_it_is_a_letter():
    assert typed("s") == "s" and typed("str") == "str" and typed("1", "vni") == "1"
    assert compose("", "s") is None and compose("ch", "f") is None
    assert compose("", "5", "vni") is None and typed("2026", "vni") == "2026"


def test_a_key_that_would_make_no_vietnamese_syllable_is_a_letter():
    """Spell check: an initial Vietnamese has not (cl, pr, f, w), a vowel after the final,
    a tone a stop final cannot take (hòc): the key stays a letter."""
    for keys in ("class", "press", "Facebook", "Jose", "hocf", "Email", "banana", "data"):
        assert typed(keys) == keys, keys
    assert typed("hocj") == "học"


def test_an_english_word_ends_with_its_own_letters():
    """``Ross`` reads ``Ró`` then ``Ros`` while typed (the second s undoes the tone, as in
    Unikey); when the word ends, a word the keys changed into no Vietnamese syllable gets the
    keys back, so no broken syllable is left in a name."""
    assert typed("Ross") == "Ros"
    for keys in ("Ross", "boss", "Word", "Wifi", "Maria", "ass", "Hoaff"):
        assert finished(keys) == keys, keys


def test_a_word_that_is_vietnamese_or_has_no_vowel_keeps_what_it_shows():
    assert restore("Nguyễn", "Nguyeenx") is None
    assert restore("đ", "dd") is None and restore("đc", "ddc") is None  # 50000đ, đc
    assert restore("as", "as") is None and restore("", "") is None


def test_a_word_with_anything_but_letters_is_left_alone():
    assert compose("A-4", "s") is None and compose("n2", "s") is None
    assert compose("abc", "s", "qwerty") is None and compose("a", "ss") is None


def test_the_syllable_reader_keeps_one_tone_and_refuses_two():
    assert Syllable.read("Nguyễn").text() == "Nguyễn"
    assert Syllable.read("áà") is None
    assert Syllable.read("hòa").text() == "hoà"  # written again: the modern placement


def test_the_search_decoder_is_unchanged():
    """kiosk.core.typing_vi (search) keeps its own placement: the tone on the first vowel."""
    assert typing_vi.telex("hoaf") == canonical("hoà") == "hòa"
    assert typing_vi.vni("vie6n5") == canonical("viện")


def test_the_composer_imports_no_qt():
    code = ("import sys, kiosk.core.vi_compose; "
            "print([m for m in sys.modules if m.startswith('PySide6')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
