"""Reading MARC21 files record by record, without letting one bad record stop the rest.

ISO 2709 is split on the record terminator (0x1D) rather than trusted on each leader's
length, so a record with a corrupt length or directory is reported and skipped while the
records after it still line up. Encoding follows leader/09 ('a' = UTF-8, blank = MARC-8,
converted by pymarc). MARCXML is read as a stream so large files do not fill memory.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from pymarc import Field, Indicators, Leader, Record, Subfield, exceptions

from kiosk.io.report import Entry

TERMINATOR = b"\x1d"
BLOCK = 1 << 16
_WHITESPACE = b" \r\n\t\x1a"
_XML_RECORD = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?record[\s>/]")
_ERRORS = {
    exceptions.RecordLengthInvalid: "độ dài bản ghi không hợp lệ",
    exceptions.TruncatedRecord: "bản ghi bị cắt cụt",
    exceptions.EndOfRecordNotFound: "thiếu ký tự kết thúc bản ghi",
    exceptions.RecordLeaderInvalid: "đầu biểu (leader) hỏng",
    exceptions.BaseAddressInvalid: "địa chỉ bắt đầu dữ liệu (leader/12-16) sai",
    exceptions.BaseAddressNotFound: "thiếu địa chỉ bắt đầu dữ liệu (leader/12-16)",
    exceptions.RecordDirectoryInvalid: "danh mục trường (directory) hỏng",
    exceptions.NoFieldsFound: "bản ghi không có trường nào",
}


class DamagedRecord(ValueError):
    """A record that cannot be read; the message is in Vietnamese, for the librarian."""


def iter_chunks(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """``(byte offset, raw record)`` for each record, terminator included when present."""
    buf = b""
    consumed = 0
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            buf += block
            while (end := buf.find(TERMINATOR)) >= 0:
                chunk, buf = buf[: end + 1], buf[end + 1:]
                start = consumed
                consumed += len(chunk)
                stripped = chunk.lstrip(_WHITESPACE)
                if stripped != TERMINATOR:
                    yield start + len(chunk) - len(stripped), stripped
    rest = buf.lstrip(_WHITESPACE)
    if rest.rstrip(_WHITESPACE):
        yield consumed + len(buf) - len(rest), rest


def count_iso2709(path: str | Path) -> int:
    return sum(1 for _ in iter_chunks(path))


def _parse_chunk(chunk: bytes) -> Record:
    head = chunk[:5]
    if not head.isdigit():
        raise DamagedRecord("độ dài bản ghi (5 ký tự đầu) không phải là số")
    if not chunk.endswith(TERMINATOR):
        raise DamagedRecord("bản ghi bị cắt cụt ở cuối tệp (thiếu ký tự kết thúc bản ghi)")
    if int(head) != len(chunk):
        raise DamagedRecord(f"độ dài khai báo {int(head)} byte nhưng bản ghi dài {len(chunk)} byte")
    _check_directory(chunk)
    record = Record(chunk, to_unicode=True, force_utf8=False, utf8_handling="replace")
    if not record.fields:
        raise exceptions.NoFieldsFound()
    return record


def _check_directory(chunk: bytes) -> None:
    """Reject a damaged directory up front: pymarc would fail with a bare ``int()`` error."""
    base = chunk[12:17]
    if not base.isdigit() or not 24 < int(base) < len(chunk):
        raise exceptions.BaseAddressInvalid()
    directory = chunk[24: int(base) - 1]
    data_length = len(chunk) - int(base)
    if chunk[int(base) - 1: int(base)] != b"\x1e" or len(directory) % 12:
        raise exceptions.RecordDirectoryInvalid()
    for start in range(0, len(directory), 12):
        entry = directory[start: start + 12]
        if not entry[3:].isdigit() or int(entry[3:7]) + int(entry[7:]) > data_length:
            raise exceptions.RecordDirectoryInvalid()


def _describe(exc: Exception) -> str:
    for kind, text in _ERRORS.items():
        if isinstance(exc, kind):
            return text
    if isinstance(exc, UnicodeError):
        return "sai mã ký tự (không phải UTF-8 hay MARC-8 hợp lệ)"
    if isinstance(exc, DamagedRecord):
        return str(exc)
    return "cấu trúc bản ghi hỏng, không đọc được"


def iter_iso2709(path: str | Path) -> Iterator[Entry]:
    for number, (offset, chunk) in enumerate(iter_chunks(path), start=1):
        try:
            yield Entry(number, value=_parse_chunk(chunk))
        except (exceptions.PymarcException, ValueError, IndexError) as exc:
            yield Entry(number, error=f"{_describe(exc)} (vị trí byte {offset})")


def count_marcxml(path: str | Path) -> int:
    """Count ``<record`` start tags without parsing, for the progress bar."""
    count, carry = 0, b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(BLOCK)
            data = carry + block
            cut = len(data) if not block else max(0, len(data) - 64)
            count += sum(1 for m in _XML_RECORD.finditer(data) if m.start() < cut)
            carry = data[cut:]
            if not block:
                return count


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_to_record(elem: ET.Element) -> Record:
    record = Record(force_utf8=True)
    for child in elem:
        name = _local(child.tag)
        text = child.text or ""
        if name == "leader":
            record.leader = Leader(text.ljust(24)[:24])
            continue
        tag = (child.get("tag") or "").strip()
        if name in ("controlfield", "datafield") and len(tag) != 3:
            raise DamagedRecord(f"trường có nhãn không hợp lệ {tag!r}")
        if name == "controlfield":
            record.add_field(Field(tag=tag, data=text))
        elif name == "datafield":
            subfields = []
            for sub in child:
                code = sub.get("code") or ""
                if _local(sub.tag) != "subfield" or len(code) != 1:
                    raise DamagedRecord(f"trường {tag} có trường con không hợp lệ")
                subfields.append(Subfield(code, sub.text or ""))
            indicators = Indicators((child.get("ind1") or " ")[:1], (child.get("ind2") or " ")[:1])
            record.add_field(Field(tag=tag, indicators=indicators, subfields=subfields))
    if not record.fields:
        raise exceptions.NoFieldsFound()
    return record


def iter_marcxml(path: str | Path) -> Iterator[Entry]:
    """One entry per ``<record>``; a file broken mid-way yields one final error entry."""
    number = 0
    try:
        for _, elem in ET.iterparse(str(path), events=("end",)):
            if _local(elem.tag) != "record":
                continue
            number += 1
            try:
                yield Entry(number, value=_xml_to_record(elem))
            except (exceptions.PymarcException, ValueError) as exc:
                yield Entry(number, error=_describe(exc))
            elem.clear()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        yield Entry(number + 1, error=f"tệp XML bị hỏng từ dòng {line}; các bản ghi sau đó "
                                      "không đọc được")
