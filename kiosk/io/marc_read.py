"""Finding the records of an ISO 2709 file, byte by byte, without trusting any one of them.

A record says its own length (leader/00-04) and ends with a record terminator (0x1D);
damage can break either. A record is taken from its leader's length when that length
lands on a terminator, else up to the next terminator, and when the terminator itself
is damaged but the leader's length lands on the next record's leader, from the length.
A terminator-delimited chunk whose length disagrees is searched for a record start
inside it, so one broken record never takes its neighbour down with it. No record is
longer than ISO 2709 allows (99 999 bytes): past that, the bytes up to the next
terminator are one damaged region, skipped in blocks without being held in memory, so a
64 MB file with no terminator is reported in well under a second.

Parsing and validation of each record are in :mod:`kiosk.io.marc_decode`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from kiosk.io.marc_decode import DamagedRecord, parse_record
from kiosk.io.report import Entry, Place, Unit

TERMINATOR = 0x1D
MAX_RECORD = 99_999
BLOCK = 1 << 20
_FILLER = b" \r\n\t\x1a\x00\x1d"
_LEADER = re.compile(rb"\d{5}[ -~]{7}\d{5}[ -~]{7}")
_LEADER_AT = re.compile(rb"(?=\d{5}[ -~]{7}\d{5}[ -~]{7})")


@dataclass
class Chunk:
    offset: int
    data: bytes | None         # None when the region was too long to keep
    length: int
    note: str | None = None    # what the reader already knows is wrong
    repaired: str | None = None  # a fault the reader worked around (kept as a warning)


class _Window:
    """The file from ``start`` on, read in blocks; the part before ``start`` is dropped."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.start = 0
        self.buf = b""
        self.eof = False

    def fill(self, pos: int, size: int) -> None:
        if pos > self.start:
            self.buf = self.buf[pos - self.start:]
            self.start = pos
        while len(self.buf) < size and not self.eof:
            block = self.fh.read(BLOCK)
            if not block:
                self.eof = True
            self.buf += block

    def at(self, pos: int, size: int) -> bytes:
        return self.buf[pos - self.start: pos - self.start + size]

    def find(self, byte: int, pos: int, end: int) -> int:
        i = self.buf.find(bytes([byte]), pos - self.start, end - self.start)
        return -1 if i < 0 else i + self.start

    @property
    def end(self) -> int:
        return self.start + len(self.buf)

    def skip_filler(self, pos: int) -> int:
        while True:
            self.fill(pos, 1)
            rel = pos - self.start
            stripped = self.buf[rel:].lstrip(_FILLER)
            pos = self.end - len(stripped)
            if stripped or self.eof:
                return pos


def _plausible_length(head: bytes) -> int | None:
    if head[:5].isdigit() and 24 < int(head[:5]) <= MAX_RECORD:
        return int(head[:5])
    return None


def _embedded_start(data: bytes, first: int = 1) -> int | None:
    """Where a record that fits exactly to the end of ``data`` begins inside it."""
    for m in _LEADER_AT.finditer(data, first):
        if int(data[m.start(): m.start() + 5]) == len(data) - m.start():
            return m.start()
    return None


def iter_chunks(path: str | Path) -> Iterator[Chunk]:
    """Every record-sized piece of the file, terminator included when present."""
    with open(path, "rb") as fh:
        win = _Window(fh)
        pos = 0
        while True:
            pos = win.skip_filler(pos)
            win.fill(pos, MAX_RECORD + 25)
            if pos >= win.end:
                return
            length = _plausible_length(win.at(pos, 5))
            if length and win.at(pos + length - 1, 1) == b"\x1d":
                yield Chunk(pos, win.at(pos, length), length)
                pos += length
                continue
            term = win.find(TERMINATOR, pos, pos + MAX_RECORD + 1)
            if length and (term < 0 or term > pos + length - 1) and \
                    _LEADER.match(win.at(pos + length, 24)):
                yield Chunk(pos, win.at(pos, length), length,
                            repaired="ký tự kết thúc bản ghi (0x1D) bị hỏng; đã tách bản ghi "
                                     "theo độ dài khai báo")
                pos += length
                continue
            if term >= 0:
                data = win.at(pos, term + 1 - pos)
                inner = _embedded_start(data) if length != len(data) else None
                if inner is not None:
                    yield Chunk(pos, data[:inner], inner,
                                note="phần đầu bản ghi bị hỏng, không có ký tự kết thúc")
                    yield Chunk(pos + inner, data[inner:], len(data) - inner)
                else:
                    yield Chunk(pos, data, len(data))
                pos = term + 1
                continue
            if win.eof and win.end <= pos + MAX_RECORD:
                yield Chunk(pos, win.at(pos, win.end - pos), win.end - pos,
                            note="bản ghi bị cắt cụt ở cuối tệp (thiếu ký tự kết thúc bản ghi)")
                return
            start = pos
            pos = _skip_to_terminator(win, pos + MAX_RECORD)
            end = pos + 1 if pos >= 0 else win.end
            record = None
            if pos >= 0:
                tail_start = max(start + 1, end - MAX_RECORD)
                inner = _embedded_start(win.at(tail_start, end - tail_start), 0)
                if inner is not None:
                    record = tail_start + inner
            size = (record if record is not None else end) - start
            yield Chunk(start, None, size,
                        note=f"{size:,} byte liền không có ký tự kết thúc bản ghi (một bản ghi "
                             f"dài tối đa 99.999 byte): vùng này không đọc được".replace(",", "."))
            if record is not None:
                yield Chunk(record, win.at(record, end - record), end - record)
            if pos < 0:
                return
            pos += 1


def _skip_to_terminator(win: _Window, pos: int) -> int:
    """The next terminator at or after ``pos``, -1 at the end; reads on keeping only the
    last record's worth of bytes (a good record may end the damaged region)."""
    keep = pos - MAX_RECORD
    while True:
        win.fill(keep, BLOCK + MAX_RECORD)
        found = win.find(TERMINATOR, pos, win.end)
        if found >= 0:
            return found
        if win.eof:
            return -1
        pos = win.end
        keep = max(keep, pos - MAX_RECORD)


def count_iso2709(path: str | Path) -> int:
    return sum(1 for _ in iter_chunks(path))


def iter_iso2709(path: str | Path) -> Iterator[Entry]:
    for number, chunk in enumerate(iter_chunks(path), start=1):
        unit = Unit(Place(offset=chunk.offset, record=number, length=chunk.length,
                          byte=chunk.offset), chunk.data)
        if chunk.note is not None or chunk.data is None:
            yield Entry(number, error=chunk.note, units=[unit])
            continue
        try:
            parsed = parse_record(chunk.data, terminator_repaired=chunk.repaired is not None)
        except DamagedRecord as exc:
            yield Entry(number, error=str(exc), units=[unit])
            continue
        warnings = ([chunk.repaired] if chunk.repaired else []) + parsed.warnings
        yield Entry(number, value=parsed, units=[unit], warnings=warnings)
