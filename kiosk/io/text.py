"""Which text encoding a spreadsheet file is in, and its text with damaged bytes marked.

Files reach a commune library from Excel (UTF-8 with a BOM, or Windows-1258 when saved
as plain "CSV"), from older DOS/Windows tools (TCVN3, the ".Vn" fonts) and from
exports in UTF-16. Detection, in order: a byte-order mark; UTF-16 without one (every
other byte NUL); UTF-8 when its multi-byte sequences outnumber the bytes that are not
valid UTF-8 (a few damaged bytes do not turn a UTF-8 file into Windows-1258); otherwise
Windows-1258 or TCVN3, whichever reads as Vietnamese syllables (at most one tone mark
per word, only Vietnamese letters). A file that reads as neither is refused by name.

An undecodable byte never aborts: it becomes a lone surrogate (U+DC00 + byte), which no
real text contains, so the row that holds it can be reported with the byte and its line.
Windows-1258 writes tones as combining marks after the letter; the text is NFC-normalised.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

MARK = "kiosk-mark-bad-bytes"
_BAD = re.compile("[\udc00-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# TCVN 5712:1993, table VN3 (the "ABC" code of the .VnTime fonts): bytes 0x00-0x7F are
# ASCII; the Vietnamese letters sit in 0xA1-0xFE. VN3 has no code for toned capitals
# (they were drawn with the capital ".VnTimeH" font from the same codes), so those read
# as small letters. The positions VN3 leaves unassigned are decoding errors here.
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3 = [chr(b) if b < 0x80 else _TCVN3_LETTERS.get(b) for b in range(256)]

LABELS = {
    "utf-8-sig": "UTF-8 (có BOM)", "utf-8": "UTF-8", "utf-16": "UTF-16 (có BOM)",
    "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE", "cp1258": "Windows-1258",
    "tcvn3": "TCVN3 (ABC)",
}


def _mark(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start:error.end]
    return "".join(chr(0xDC00 + b) for b in bad), error.end


codecs.register_error(MARK, _mark)


class UnsupportedEncoding(ValueError):
    """The file's encoding is none this importer reads; the message says so in Vietnamese."""


@dataclass
class Decoded:
    text: str
    encoding: str
    bad_bytes: int

    @property
    def label(self) -> str:
        return LABELS.get(self.encoding, self.encoding)


def bad_bytes_in(text: str) -> list[int]:
    """The undecodable bytes marked in ``text`` (as byte values)."""
    return [ord(c) - 0xDC00 for c in _BAD.findall(text)]


def decode_tcvn3(data: bytes) -> str:
    out = []
    for i, b in enumerate(data):
        ch = _TCVN3[b]
        out.append(ch if ch is not None else chr(0xDC00 + b))
    return "".join(out)


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _utf8_balance(data: bytes) -> tuple[int, int]:
    """(valid multi-byte sequences, invalid bytes) in ``data``."""
    text = data.decode("utf-8", MARK)
    bad = len(_BAD.findall(text))
    return len(_NON_ASCII.findall(text)) - bad, bad


def vietnamese_score(text: str) -> tuple[int, int]:
    """(words that read as Vietnamese, words that cannot), counting only non-ASCII words."""
    good = bad = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        tones = 0
        ok = True
        for ch in word:
            parts = unicodedata.normalize("NFD", ch)
            base = parts[0]
            if not ("a" <= base.lower() <= "z" or base in "đĐ"):
                ok = False
                break
            if any(p in _TONES for p in parts[1:]):
                tones += 1
            if any(p not in _TONES and p not in "\u0302\u0306\u031b" for p in parts[1:]):
                ok = False
                break
        if ok and tones <= 1:
            good += 1
        else:
            bad += 1
    return good, bad


def decode(data: bytes) -> Decoded:
    """The text of a CSV file, its encoding, and how many bytes could not be read."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decoded(data[len(bom):], name if name != "utf-16" else
                            ("utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"),
                            label_as=name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decoded(data, utf16)
    if data.isascii():
        return Decoded(data.decode("ascii"), "utf-8", 0)
    multibyte, bad = _utf8_balance(data)
    if multibyte > 4 * bad:
        return _decoded(data, "utf-8")
    candidates = []
    for name in ("cp1258", "tcvn3"):
        text = (decode_tcvn3(data) if name == "tcvn3" else data.decode(name, MARK))
        good, wrong = vietnamese_score(text)
        candidates.append((good - 3 * wrong, good, wrong, name, text))
    _, good, wrong, name, text = max(candidates)
    if good == 0 or wrong > 0.2 * (good + wrong):
        raise UnsupportedEncoding(
            "không nhận ra mã ký tự của tệp (không phải UTF-8, UTF-16, Windows-1258 hay "
            "TCVN3): trong Excel hãy chọn Lưu thành 'CSV UTF-8' rồi nhập lại")
    text = unicodedata.normalize("NFC", text)
    return Decoded(text, name, len(_BAD.findall(text)))


def _decoded(data: bytes, codec: str, label_as: str | None = None) -> Decoded:
    text = unicodedata.normalize("NFC", data.decode(codec, MARK))
    return Decoded(text, label_as or codec, len(_BAD.findall(text)))
