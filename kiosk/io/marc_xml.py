"""Reading MARCXML record by record, so that one broken record costs only itself.

A streaming XML parser stops at the first error and every record after it is lost. Here
the bytes are cut at ``<record>``/``</record>`` tags first (in a window, so a file of any
size streams) and each record is parsed alone inside a wrapper that carries the root
element's namespace declarations. A record with no end tag ends where the next one
begins; MARC fields found outside any record (a damaged start tag) are reported as a
damaged record rather than skipped; a record longer than 1 MB is a damaged region.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from pymarc import Field, Indicators, Leader, Record, Subfield

from kiosk.io.marc_decode import DamagedRecord, Parsed
from kiosk.io.report import Entry, Place, Unit

MAX_XML_RECORD = 1 << 20
BLOCK = 1 << 20
_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?record(?=[\s>/])")
_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?record\s*>")
_STRAY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:leader|controlfield|datafield)[\s>]")
_XMLNS = re.compile(rb"""\sxmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')""")
_DECL_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)["']""")
_ROOT = re.compile(rb"<(?![?!])[^>]*>")


@dataclass
class XmlChunk:
    offset: int
    line: int
    data: bytes | None
    note: str | None = None
    size: int | None = None  # when ``data`` was too long to keep


class _Stream:
    def __init__(self, fh: BinaryIO):
        self.fh, self.buf, self.start, self.eof = fh, b"", 0, False

    def fill(self, pos: int, size: int) -> None:
        if pos > self.start:
            self.buf = self.buf[pos - self.start:]
            self.start = pos
        while len(self.buf) < size and not self.eof:
            block = self.fh.read(BLOCK)
            self.eof = not block
            self.buf += block

    def search(self, pattern: re.Pattern, pos: int, end: int | None = None):
        m = pattern.search(self.buf, pos - self.start,
                           len(self.buf) if end is None else end - self.start)
        return None if m is None else (m.start() + self.start, m.end() + self.start)

    def at(self, pos: int, end: int) -> bytes:
        return self.buf[pos - self.start: end - self.start]


def iter_xml_chunks(path: str | Path) -> Iterator[XmlChunk]:
    """Each ``<record>`` of the file as bytes, with its byte offset and line."""
    with open(path, "rb") as fh:
        s = _Stream(fh)
        s.fill(0, MAX_XML_RECORD)
        first = s.search(_START, 0)
        head_end = first[0] if first else len(s.buf)
        head = s.at(0, head_end)
        yield XmlChunk(0, 1, head, note="prolog")
        pos, line = head_end, 1 + head.count(b"\n")
        if _STRAY.search(head):
            yield XmlChunk(0, 1, head, note="các trường MARC nằm ngoài thẻ <record> "
                                            "(thẻ mở bản ghi bị hỏng)")
        while first is not None:
            s.fill(pos, MAX_XML_RECORD + 64)
            end = s.search(_END, pos + 1, pos + MAX_XML_RECORD)
            nxt = s.search(_START, pos + 1, pos + MAX_XML_RECORD)
            if end and (nxt is None or end[1] <= nxt[0]):
                data = s.at(pos, end[1])
                yield XmlChunk(pos, line, data)
                line += data.count(b"\n")
                after = s.search(_START, end[1])
                stop = after[0] if after else s.start + len(s.buf)
                gap = s.at(end[1], stop)
                if _STRAY.search(gap):
                    yield XmlChunk(end[1], line, gap,
                                   note="các trường MARC nằm ngoài thẻ <record> (thẻ mở bản "
                                        "ghi bị hỏng)")
                line += gap.count(b"\n")
                pos, first = stop, after
                if after is None and not s.eof:
                    first = _next_start_far(s, stop)
                    if first is not None:
                        pos = first[0]
                continue
            if nxt is not None:
                data = s.at(pos, nxt[0])
                yield XmlChunk(pos, line, data, note="bản ghi thiếu thẻ đóng </record>")
                line += data.count(b"\n")
                pos = nxt[0]
                continue
            if s.eof and s.start + len(s.buf) - pos <= MAX_XML_RECORD:
                yield XmlChunk(pos, line, s.at(pos, s.start + len(s.buf)),
                               note="bản ghi bị cắt cụt ở cuối tệp (thiếu thẻ đóng </record>)")
                return
            first = _next_start_far(s, pos + MAX_XML_RECORD)
            stop = first[0] if first is not None else s.start + len(s.buf)
            yield XmlChunk(pos, line, None, note="bản ghi dài hơn 1 MB hoặc không có thẻ đóng "
                                                 "</record>: không đọc được", size=stop - pos)
            if first is None:
                return
            pos = first[0]


def _next_start_far(s: _Stream, pos: int):
    while True:
        s.fill(pos, BLOCK)
        found = s.search(_START, pos)
        if found is not None or s.eof:
            return found
        pos = max(pos, s.start + len(s.buf) - 64)


def _wrapper(prolog: bytes) -> tuple[str, str]:
    """The encoding the XML declares and the namespace declarations of its root element."""
    m = _DECL_ENCODING.search(prolog)
    encoding = m.group(1).decode("ascii") if m else "utf-8"
    for tag in _ROOT.finditer(prolog):
        names = b"".join(_XMLNS.findall(tag.group(0)))
        if names:
            return encoding, names.decode("utf-8", "replace")
    return encoding, ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "")


def _to_record(elem: ET.Element) -> Record:
    record = Record(force_utf8=True)
    for child in elem:
        name = _local(child.tag)
        if name == "leader":
            record.leader = Leader(_text(child.text).ljust(24)[:24])
            continue
        tag = (child.get("tag") or "").strip()
        if name in ("controlfield", "datafield") and len(tag) != 3:
            raise DamagedRecord(f"trường có nhãn không hợp lệ {tag!r}")
        if name == "controlfield":
            record.add_field(Field(tag=tag, data=_text(child.text)))
        elif name == "datafield":
            subfields = []
            for sub in child:
                code = sub.get("code") or ""
                if _local(sub.tag) != "subfield" or len(code) != 1:
                    raise DamagedRecord(f"trường {tag} có trường con không hợp lệ")
                subfields.append(Subfield(code, _text(sub.text)))
            indicators = Indicators((child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1])
            record.add_field(Field(tag=tag, indicators=indicators, subfields=subfields))
    if not record.fields:
        raise DamagedRecord("bản ghi không có trường nào")
    return record


def _parse(chunk: XmlChunk, encoding: str, names: str) -> Parsed:
    warnings: list[str] = []
    try:
        text = chunk.data.decode(encoding)
    except LookupError:
        raise DamagedRecord(f"tệp XML khai báo mã ký tự lạ {encoding!r}") from None
    except UnicodeDecodeError as exc:
        text = chunk.data.decode(encoding, "replace")
        warnings.append(f"byte 0x{chunk.data[exc.start]:02X} không hợp lệ trong {encoding}, "
                        "đã thay bằng dấu �")
    try:
        root = ET.fromstring(f"<wrapper{names}>{text}</wrapper>")
    except ET.ParseError as exc:
        line = chunk.line + (exc.position[0] - 1 if exc.position else 0)
        raise DamagedRecord(f"XML của bản ghi bị hỏng ở dòng {line}") from None
    records = [e for e in root if _local(e.tag) == "record"]
    if len(records) != 1:
        raise DamagedRecord("không tìm thấy bản ghi trong đoạn XML này")
    return Parsed(_to_record(records[0]), "UTF-8" if encoding.lower() in ("utf-8", "utf8")
                  else encoding, warnings)


def namespaces_of(path: str | Path) -> str:
    """The namespace declarations of the file's root element (for writing records back)."""
    for chunk in iter_xml_chunks(path):
        return _wrapper(chunk.data or b"")[1]
    return ""


_CLOSED = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:collection|record)\s*>\s*$")


def ends_properly(path: str | Path) -> bool:
    """Whether the file ends with its root's end tag (else it was cut off)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, Path(path).stat().st_size - 256))
        return bool(_CLOSED.search(fh.read()))


def count_marcxml(path: str | Path) -> int:
    return sum(1 for c in iter_xml_chunks(path) if c.note != "prolog")


def iter_marcxml(path: str | Path) -> Iterator[Entry]:
    """One entry per ``<record>`` (or damaged region), numbered from 1."""
    encoding, names = "utf-8", ""
    number = 0
    for chunk in iter_xml_chunks(path):
        if chunk.note == "prolog":
            encoding, names = _wrapper(chunk.data or b"")
            continue
        number += 1
        unit = Unit(Place(line=chunk.line, record=number, byte=chunk.offset,
                          length=len(chunk.data) if chunk.data is not None else chunk.size),
                    chunk.data)
        if chunk.note is not None:
            yield Entry(number, error=chunk.note, units=[unit])
            continue
        try:
            parsed = _parse(chunk, encoding, names)
        except DamagedRecord as exc:
            yield Entry(number, error=str(exc), units=[unit])
            continue
        yield Entry(number, value=parsed, units=[unit], warnings=parsed.warnings)
