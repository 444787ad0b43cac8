"""One ISO 2709 record checked against itself, then decoded: nothing taken on trust.

pymarc's own reader believes the directory: an entry whose length or offset was damaged
makes it read the wrong bytes as a field, and a 952 (a copy) can vanish without a word.
Here every directory entry is checked against the data (a tag of letters or digits,
offset and length inside the data area, a field terminator exactly where the field ends
and nowhere inside it, no byte outside every field). When a check fails and exactly one
entry disagrees with the field terminators in the data, the fields are certain from the
terminators alone and the record is read from them with a warning; otherwise it is
rejected with the first fault, named for a librarian.

Encoding: leader/09 'a' is UTF-8; a record whose leader says MARC-8 but whose bytes are
valid UTF-8 (common in exports) is read as UTF-8; otherwise MARC-8 through pymarc's
converter, whose complaints (written to stderr) are caught and reported in Vietnamese.
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field

import pymarc.marc8
from pymarc import Field, Indicators, Leader, Record, Subfield

FIELD_END = b"\x1e"
SUBFIELD = b"\x1f"
# Numeric tags, or letters only (Aleph's CAT, LKR): a mix like "9S2" is a damaged "952".
_TAG = re.compile(rb"\d{3}|[A-Z]{3}|[a-z]{3}")
_UNPARSED = re.compile(r"Unable to parse character 0x([0-9a-fA-F]+)")

UTF8 = "UTF-8"
UTF8_OVERRIDE = "UTF-8 (đầu biểu ghi ghi MARC-8 nhưng dữ liệu là UTF-8)"
MARC8 = "MARC-8"


class DamagedRecord(ValueError):
    """A record that cannot be read; the message is in Vietnamese, for the librarian."""


@dataclass
class Parsed:
    record: Record
    encoding: str
    warnings: list[str] = field(default_factory=list)


class _Stderr(threading.local):
    sink: list[str] | None = None


_captured = _Stderr()


class _SysForPymarc:
    """Stands in for ``sys`` inside ``pymarc.marc8``: its stderr goes to the import that
    is running on this thread, everything else is the real ``sys``."""

    def __getattr__(self, name: str):
        return getattr(sys, name)

    @property
    def stderr(self):
        sink = _captured.sink
        if sink is None:
            return sys.stderr
        return _Sink(sink)


class _Sink:
    def __init__(self, lines: list[str]):
        self.lines = lines

    def write(self, text: str) -> int:
        if text.strip():
            self.lines.append(text.strip())
        return len(text)

    def flush(self) -> None:
        pass


pymarc.marc8.sys = _SysForPymarc()


def _pymarc_note_vi(text: str) -> str:
    if _UNPARSED.search(text):
        return "ký tự không có trong bảng mã MARC-8, đã thay bằng dấu cách"
    if "Multi-byte" in text:
        return "ký tự nhiều byte (chữ Hán) của MARC-8 bị cắt cụt, đã thay bằng dấu cách"
    return "pymarc báo lỗi mã ký tự MARC-8: " + text


class _Issues:
    """Decoding problems of one record, gathered so the report says each once."""

    def __init__(self) -> None:
        self.tags: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}

    def add(self, what: str, tag: str) -> None:
        tags = self.tags.setdefault(what, [])
        if tag not in tags:
            tags.append(tag)
        self.counts[what] = self.counts.get(what, 0) + 1

    def warnings(self) -> list[str]:
        return [f"{self.counts[what]} lần {what} (trường {', '.join(tags)})"
                for what, tags in self.tags.items()]


def _marc8(data: bytes, tag: str, issues: _Issues) -> str:
    notes: list[str] = []
    _captured.sink = notes
    try:
        text = pymarc.marc8.MARC8ToUnicode().translate(data)
    except (IndexError, KeyError, TypeError, ValueError):
        text = data.decode("latin-1")
        notes.append("dữ liệu không phải MARC-8 hợp lệ, đã đọc từng byte")
    finally:
        _captured.sink = None
    for note in notes:
        issues.add(_pymarc_note_vi(note), tag)
    return text


def _decoder(encoding: str, issues: _Issues):
    def decode(data: bytes, tag: str) -> str:
        if encoding == MARC8:
            text = _marc8(data, tag, issues)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("utf-8", "replace")
                issues.add("byte không hợp lệ trong UTF-8, đã thay bằng dấu �", tag)
        if "\x1d" in text:
            issues.add("ký tự kết thúc bản ghi (0x1D) lạc vào giữa dữ liệu, đã bỏ", tag)
            text = text.replace("\x1d", "")
        return unicodedata.normalize("NFC", text)
    return decode


def _spans(chunk: bytes, base: int, directory: bytes) -> tuple[list[tuple[str, int, int]],
                                                                   list[str]]:
    """Directory entries as ``(tag, start, end)`` in the data area, and what is wrong."""
    data_end = len(chunk) - 1 - base
    entries: list[tuple[str, int, int]] = []
    faults: list[str] = []
    for i in range(0, len(directory), 12):
        raw = directory[i: i + 12]
        number = i // 12 + 1
        tag = raw[:3].decode("latin-1")
        if not raw[3:].isdigit():
            faults.append(f"mục {number} của danh mục (trường {tag}) có độ dài/vị trí "
                          "không phải là số")
            entries.append((tag, -1, -1))
            continue
        length, start = int(raw[3:7]), int(raw[7:12])
        end = start + length
        entries.append((tag, start, end))
        if length < 1 or end > data_end:
            faults.append(f"trường {tag} (mục {number} của danh mục) trỏ ra ngoài bản ghi")
        elif chunk[base + end - 1: base + end] != FIELD_END:
            faults.append(f"trường {tag} (mục {number} của danh mục) không kết thúc bằng dấu "
                          "kết thúc trường: độ dài hoặc vị trí sai")
        elif FIELD_END in chunk[base + start: base + end - 1]:
            faults.append(f"trường {tag} (mục {number} của danh mục) chứa dấu kết thúc trường "
                          "ở giữa: độ dài hoặc vị trí sai")
    if not faults:
        covered = 0
        for tag, start, end in sorted(entries, key=lambda e: e[1]):
            if start != covered:
                faults.append("có dữ liệu không thuộc trường nào trong danh mục (có thể mất "
                              "một trường)" if start > covered else
                              f"trường {tag} chồng lên trường khác trong danh mục")
                break
            covered = end
        else:
            if covered != data_end:
                faults.append("có dữ liệu không thuộc trường nào trong danh mục ở cuối bản ghi")
    return entries, faults


def _salvage(chunk: bytes, base: int, entries: list[tuple[str, int, int]]
             ) -> list[tuple[str, int, int]] | None:
    """Fields from the field terminators, when they are certain.

    They are when the data holds exactly one terminated field per directory entry and the
    entries that can be read are in data order: the n-th tag then names the n-th field,
    whatever its recorded length or offset says (an exporter that turned ``$a`` into
    ``$á`` without fixing the directory; a damaged digit).
    """
    area = chunk[base: len(chunk) - 1]
    if not area.endswith(FIELD_END):
        return None
    ends = [m.end() for m in re.finditer(FIELD_END, area)]
    starts = [0] + ends[:-1]
    offsets = [start for _, start, _ in entries if start >= 0]
    if len(starts) != len(entries) or offsets != sorted(offsets):
        return None
    return [(tag, start, end) for (tag, _, _), start, end in zip(entries, starts, ends)]


def _title_hint(chunk: bytes, base: int, entries: list[tuple[str, int, int]]) -> str:
    for tag, start, end in entries:
        if tag == "245" and 0 <= start < end <= len(chunk) - 1 - base:
            body = chunk[base + start: base + end - 1].split(SUBFIELD)
            for sub in body[1:]:
                if sub[:1] == b"a":
                    title = sub[1:].decode("utf-8", "replace").strip(" /:;,.")
                    return f" (nhan đề: «{title[:80]}»)" if title else ""
    return ""


def _choose_encoding(leader: str, bodies: list[bytes]) -> str:
    if leader[9] == "a":
        return UTF8
    joined = b"".join(bodies)
    if joined.isascii():
        return MARC8
    try:
        joined.decode("utf-8")
    except UnicodeDecodeError:
        return MARC8
    return UTF8_OVERRIDE


def parse_record(chunk: bytes, *, terminator_repaired: bool = False) -> Parsed:
    """The record in ``chunk`` (leader to terminator), or :class:`DamagedRecord`."""
    warnings: list[str] = []
    if len(chunk) < 26:
        raise DamagedRecord("bản ghi quá ngắn, không có đầu biểu ghi (leader) đầy đủ")
    if not chunk[:24].isascii():
        raise DamagedRecord("đầu biểu ghi (leader) có byte lạ, không đọc được")
    leader = chunk[:24].decode("ascii")
    if not terminator_repaired and chunk[-1:] != b"\x1d":
        raise DamagedRecord("thiếu ký tự kết thúc bản ghi")
    base_text = chunk[12:17]
    if not base_text.isdigit() or not 24 < int(base_text) < len(chunk):
        raise DamagedRecord("địa chỉ bắt đầu dữ liệu (leader/12-16) sai")
    base = int(base_text)
    directory = chunk[24: base - 1]
    if chunk[base - 1: base] != FIELD_END or len(directory) % 12:
        raise DamagedRecord("danh mục trường (directory) hỏng: thiếu dấu kết thúc danh mục "
                            "hoặc độ dài danh mục sai")
    if not directory:
        raise DamagedRecord("bản ghi không có trường nào")
    entries, faults = _spans(chunk, base, directory)
    if faults:
        salvaged = _salvage(chunk, base, entries)
        if salvaged is None:
            raise DamagedRecord("danh mục trường (directory) hỏng: " + faults[0]
                                + _title_hint(chunk, base, entries))
        warnings.append("danh mục trường hỏng (" + faults[0] + "); các trường đã được đọc "
                        "theo dấu kết thúc trường, hãy kiểm tra lại bản ghi này")
        entries = salvaged
    if not chunk[:5].isdigit() or int(chunk[:5]) != len(chunk):
        warnings.append(f"độ dài khai báo trong đầu biểu ghi ({chunk[:5].decode('latin-1')}) "
                        f"khác độ dài thật ({len(chunk)} byte); đã đọc theo ký tự kết thúc")
    bodies = [chunk[base + s: base + e - 1] for _, s, e in entries]
    encoding = _choose_encoding(leader, bodies)
    issues = _Issues()
    decode = _decoder(encoding, issues)
    record = Record(force_utf8=True, leader=Leader(leader[:9] + "a" + leader[10:]))
    for (tag, _, _), body in zip(entries, bodies):
        if not _TAG.fullmatch(tag.encode("latin-1")):
            warnings.append(f"trường có nhãn hỏng {tag!r} không được nhập (nội dung: "
                            f"«{body[:60].decode('utf-8', 'replace')}»)")
            continue
        record.add_field(_field(tag, body, decode, issues))
    unknown = issues.tags.get(_pymarc_note_vi("Unable to parse character 0x0"), [])
    if encoding == MARC8 and "245" in unknown:
        raise DamagedRecord("nhan đề không đọc được theo MARC-8 hay UTF-8 (có thể tệp dùng "
                            "mã ký tự khác, như Windows-1251): hãy xuất lại bằng UTF-8")
    warnings.extend(issues.warnings())
    if not record.fields:
        raise DamagedRecord("bản ghi không có trường nào đọc được")
    return Parsed(record, encoding, warnings)


def _subfield_code(sub: bytes) -> tuple[str, int]:
    """The code and its length in bytes; a non-ASCII code (``á`` for ``a``, seen in
    exports that re-encoded the whole record) is reduced to its base letter."""
    if sub[:1].isascii():
        return sub[:1].decode("ascii"), 1
    for size in (2, 3, 4):
        try:
            char = sub[:size].decode("utf-8")
        except UnicodeDecodeError:
            continue
        base = unicodedata.normalize("NFKD", char)[:1]
        return (base if base.isascii() and base.isalnum() else " "), size
    return " ", 1


def _field(tag: str, body: bytes, decode, issues: _Issues) -> Field:
    if tag < "010" and tag.isdigit():
        return Field(tag=tag, data=decode(body, tag))
    head, *subs = body.split(SUBFIELD)
    indicators = head.decode("latin-1")
    if len(indicators) != 2:
        issues.add("số chỉ thị khác 2, đã sửa thành 2", tag)
        indicators = (indicators + "  ")[:2]
    subfields = []
    for sub in subs:
        if not sub:
            continue
        code, size = _subfield_code(sub)
        if size > 1 or not code.isalnum():
            issues.add("mã trường con hỏng", tag)
        subfields.append(Subfield(code, decode(sub[size:], tag)))
    return Field(tag=tag, indicators=Indicators(indicators[0], indicators[1]),
                 subfields=subfields)
