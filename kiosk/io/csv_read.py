"""Reading a librarian's CSV file: its encoding, its header, and its rows with their lines.

Every data row comes out exactly once, as a :class:`~kiosk.io.csv_rows.Row` with the
line(s) it occupies, its original text and, when it cannot be used, the reason in
Vietnamese: a damaged quote (see :mod:`kiosk.io.csv_rows`), a field over the limit, too
many columns, or bytes the detected encoding cannot read. Blank lines hold nothing and
are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kiosk.core.errors import LibraryError
from kiosk.io import text as textlib
from kiosk.io.csv_rows import MAX_FIELD, Row, Splitter

MAX_FILE = 100 << 20


def _invalid(path: Path, detail: str) -> LibraryError:
    return LibraryError("invalid_input", detail=f"tệp {path.name} {detail}")


@dataclass
class CsvFile:
    path: Path
    columns: list[str]
    delimiter: str
    decoded: textlib.Decoded
    header: str
    splitter: Splitter

    @property
    def encoding(self) -> str:
        return self.decoded.label

    def rows(self) -> Iterator[Row]:
        """Data rows (the header excluded), damaged ones with their ``error`` set."""
        rows = self.splitter.rows()
        next(rows, None)
        for row in rows:
            if row.error is None:
                if not any(v.strip() for v in row.fields):
                    continue
                row.error = _bad_bytes_message(row, self.columns, self.encoding)
            yield row


def _bad_bytes_message(row: Row, columns: list[str], encoding: str) -> str | None:
    for index, value in enumerate(row.fields):
        bad = textlib.bad_bytes_in(value)
        if bad:
            name = columns[index] if index < len(columns) else f"{index + 1}"
            shown = " ".join(f"0x{b:02X}" for b in bad[:4])
            return (f"cột {name} có byte không đọc được theo mã {encoding} ({shown}): "
                    "hãy gõ lại ô này rồi nhập lại")
    return None


def _delimiter(first_line: str) -> str:
    return max(",;\t", key=first_line.count)


def open_csv(path: str | Path, *, max_field: int = MAX_FIELD) -> CsvFile:
    """Decode and split ``path``; a clear error when it is too big or in an unknown code."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE:
        raise _invalid(path, f"lớn hơn {MAX_FILE >> 20} MB: hãy chia thành nhiều tệp nhỏ hơn")
    data = path.read_bytes()
    try:
        decoded = textlib.decode(data)
    except textlib.UnsupportedEncoding as exc:
        raise _invalid(path, str(exc)) from None
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first)
    splitter = Splitter(text, delimiter, max_field=max_field)
    header_row = next(splitter.rows(), None)
    if header_row is None or header_row.error or len(header_row.fields) > 200:
        raise _invalid(path, "không có dòng tiêu đề cột đọc được")
    columns = [c.strip().lower() for c in header_row.fields]
    return CsvFile(path, columns, delimiter, decoded, header_row.raw, splitter)


def read_header(path: str | Path) -> tuple[list[str], str]:
    """The header's column names and the separator, or a clear error if it is not CSV."""
    opened = open_csv(path)
    return opened.columns, opened.delimiter


def sniff_text(head: bytes) -> list[str] | None:
    """The column names of the first line of ``head``, whatever its encoding, or None."""
    line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip(b"\r")
    if line.isascii() and b"\x00" not in line:
        first = line.decode("ascii")
    else:
        try:
            decoded = textlib.decode(head)
        except textlib.UnsupportedEncoding:
            return None
        first = decoded.text.split("\n", 1)[0].strip("\r")
        if textlib.bad_bytes_in(first):
            return None
    if not first:
        return None
    delimiter = _delimiter(first)
    return [n.strip().strip('"').lower() for n in first.split(delimiter)]
