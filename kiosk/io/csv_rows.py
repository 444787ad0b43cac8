"""Splitting CSV text into rows without letting one damaged quote swallow the rest.

RFC 4180 lets a quoted field run over several lines, so one stray or missing quote makes
every following line part of a single field: Python's ``csv`` then yields one row where
the file had thirty. This reader parses the same grammar (``""`` is a quote; a quote is
special only at the start of a field) but checks each row that spans lines: if it ends
inside an unclosed quote, has text after a closing quote, has the wrong number of
columns, has a field longer than the limit, or its quoted text contains a line that is a
whole row by itself, the quote is taken as damaged. The lines up to the one where that
quote opened are one rejected row, and reading starts again on the next line, so the
rows it swallowed are read as the rows they are. Work is linear in the file: fields are
found with ``str.find``, never grown character by character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

MAX_FIELD = 32_768
QUOTE = '"'
MAX_COLUMNS = 1_000


@dataclass
class Row:
    line: int
    end_line: int
    fields: list[str]
    raw: str
    error: str | None = None
    long_fields: list[int] = field(default_factory=list)


@dataclass
class _Quoted:
    column: int
    line: int
    at: int            # position of the opening quote
    newlines: int
    fullest_line: int  # most delimiters on one line inside the quotes, after the first
    unclosed: bool = False
    junk_after: bool = False


class Splitter:
    """Rows of ``text`` (newlines already ``\\n``), header included, with their lines."""

    def __init__(self, text: str, delimiter: str, *, max_field: int = MAX_FIELD):
        self.text = text
        self.delimiter = delimiter
        self.max_field = max_field
        self.columns = 0
        self.names: list[str] = []
        self._meaningful = re.compile("[^\\s" + re.escape(delimiter) + "]")
        self._quote_cache = (len(text) + 1, -1)
        self._newline_cache = (len(text) + 1, -1)

    def _blank_lines(self, pos: int) -> int:
        """Past the lines from ``pos`` holding only blanks and delimiters (empty rows)."""
        found = self._meaningful.search(self.text, pos)
        stop = found.start() if found else len(self.text)
        last = self.text.rfind("\n", pos, stop)
        return last + 1 if last >= 0 else (stop if found is None else pos)

    def _line_end(self, pos: int) -> int:
        """The position of the newline ending the line that holds ``pos`` (or the end)."""
        newline = self._next_newline(pos)
        return newline if newline >= 0 else len(self.text)

    def rows(self) -> Iterator[Row]:
        """Every row, from the first line; each call reads the text again from the top."""
        text, n = self.text, len(self.text)
        self.columns, self.names = 0, []
        pos, line = 0, 1
        while pos < n:
            skip = self._blank_lines(pos)
            if skip > pos:
                line += text.count("\n", pos, skip)
                pos = skip
                continue
            row, quoted, end, next_line = self._parse(pos, line)
            if self.columns == 0:
                self.columns = len(row.fields)
                self.names = [f.strip().lower() for f in row.fields]
            culprit = self._damaged_quote(row, quoted) if row.end_line > row.line else None
            if culprit is not None:
                stop = self._line_end(culprit.at)
                yield Row(row.line, culprit.line, [], text[pos:stop],
                          error=self._quote_message(culprit, row))
                pos, line = stop + 1, culprit.line + 1
                continue
            row.raw = text[pos:end]
            if row.error is None:
                row.error = self._row_error(row, quoted)
            yield row
            pos, line = end + 1, next_line

    def _parse(self, pos: int, line: int) -> tuple[Row, list[_Quoted], int, int]:
        """One row from ``pos``: the row, its quoted fields, where it ends (the newline or
        the end of the text) and the next row's line number."""
        text, delim, limit = self.text, self.delimiter, self.max_field
        n = len(text)
        fields: list[str] = []
        quoted: list[_Quoted] = []
        long_fields: list[int] = []
        too_many = False
        current = line
        while True:
            column = len(fields)
            if pos < n and text[pos] == QUOTE:
                info = _Quoted(column, current, pos, 0, 0)
                parts: list[str] = []
                size = 0
                j = pos + 1
                while True:
                    k = self._next_quote(j)
                    if k < 0 or k - j > limit - size:
                        # No closing quote within the limit: the field cannot be read.
                        window = text[j: j + limit - size + 1]
                        self._count_lines(window, info)
                        size += len(window)
                        info.unclosed = True
                        j = min(n, j + len(window))
                        break
                    piece = text[j:k]
                    self._count_lines(piece, info)
                    parts.append(piece)
                    size += len(piece)
                    if k + 1 < n and text[k + 1] == QUOTE:
                        parts.append(QUOTE)
                        size += 1
                        j = k + 2
                        continue
                    j = k + 1
                    break
                current += info.newlines
                quoted.append(info)
                if info.unclosed:
                    if size > limit:
                        long_fields.append(column)
                    fields.append("".join(parts)[:limit])
                    pos = self._line_end(j)
                    break
                pos = j
                end = self._field_end(pos)
                if end > pos:
                    info.junk_after = True
                    parts.append(text[pos:end])
                    size += end - pos
                    pos = end
                value = "".join(parts)
            else:
                end = self._field_end(pos)
                value = text[pos:end]
                size = end - pos
                pos = end
            if size > limit:
                long_fields.append(column)
                value = value[:limit]
            fields.append(value)
            if pos < n and text[pos] == delim:
                if len(fields) >= MAX_COLUMNS:
                    too_many = True
                    pos = self._line_end(pos)
                    break
                pos += 1
                continue
            break
        end = pos if pos < n and text[pos] == "\n" else self._line_end(pos)
        row = Row(line, current, fields, "", long_fields=long_fields)
        if too_many:
            row.error = (f"dòng có hơn {MAX_COLUMNS} cột: không phải một dòng biên mục "
                         "(sai dấu phân cách?)")
        return row, quoted, end, current + 1

    def _next_quote(self, j: int) -> int:
        """The next quote at or after ``j`` (-1: none), remembering the last answer."""
        lo, at = self._quote_cache
        if lo <= j and (at < 0 or j <= at):
            return at
        at = self.text.find(QUOTE, j)
        self._quote_cache = (j, at)
        return at

    def _next_newline(self, j: int) -> int:
        lo, at = self._newline_cache
        if lo <= j and (at < 0 or j <= at):
            return at
        at = self.text.find("\n", j)
        self._newline_cache = (j, at)
        return at

    def _field_end(self, pos: int) -> int:
        newline = self._next_newline(pos)
        stop = newline if newline >= 0 else len(self.text)
        delim = self.text.find(self.delimiter, pos, stop)
        return delim if delim >= 0 else stop

    def _count_lines(self, piece: str, info: _Quoted) -> None:
        newlines = piece.count("\n")
        if not newlines:
            return
        info.newlines += newlines
        for inner in piece.split("\n")[1:]:
            info.fullest_line = max(info.fullest_line, inner.count(self.delimiter))

    def _damaged_quote(self, row: Row, quoted: list[_Quoted]) -> _Quoted | None:
        spanning = [q for q in quoted if q.newlines]
        if not spanning:
            return None
        wide = self.columns >= 3 and any(q.fullest_line >= self.columns - 1 for q in spanning)
        bad = (wide or any(q.unclosed or q.junk_after for q in quoted)
               or len(row.fields) != self.columns or bool(row.long_fields))
        if not bad or row.line == 1:
            return None
        return spanning[0]

    def _quote_message(self, culprit: _Quoted, row: Row) -> str:
        where = (f"cột {self.names[culprit.column]}" if culprit.column < len(self.names)
                 and self.names[culprit.column] else f"cột {culprit.column + 1}")
        if culprit.unclosed:
            why = "không bao giờ được đóng"
        else:
            why = "không được đóng đúng chỗ"
        at = f" (dòng {culprit.line})" if culprit.line != row.line else ""
        return (f"dấu ngoặc kép mở ở {where}{at} {why} và nuốt các dòng "
                f"sau nó; dòng này bị từ chối, các dòng sau được đọc lại riêng — hãy sửa "
                f"dấu ngoặc kép rồi nhập lại")

    def _row_error(self, row: Row, quoted: list[_Quoted]) -> str | None:
        if row.long_fields:
            index = row.long_fields[0]
            column = (self.names[index] if index < len(self.names) and self.names[index]
                      else index + 1)
            return (f"ô ở cột {column} dài quá {self.max_field:,} ký tự".replace(",", ".")
                    + ": không phải dữ liệu biên mục (có thể thiếu dấu ngoặc kép); hãy "
                      "rút ngắn ô này")
        if any(q.unclosed for q in quoted):
            return "dấu ngoặc kép không được đóng ở cuối tệp"
        if any(q.junk_after for q in quoted):
            return ("có chữ ngay sau dấu ngoặc kép đóng (dấu ngoặc kép đặt sai chỗ); "
                    "hãy sửa ô đó")
        if not any(v.strip() for v in row.fields):
            return None
        extra = row.fields[self.columns:]
        if any(v.strip() for v in extra):
            return (f"dòng có {len(row.fields)} cột nhưng dòng tiêu đề có {self.columns} cột "
                    "(thừa dấu phân cách hoặc thiếu dấu ngoặc kép)")
        if len(row.fields) < self.columns:
            return (f"dòng chỉ có {len(row.fields)} cột nhưng dòng tiêu đề có {self.columns} "
                    "cột (thiếu cột, hoặc dòng bị ngắt xuống dòng giữa chừng)")
        return None
