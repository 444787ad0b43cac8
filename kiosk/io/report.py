"""What an import did, in the words a librarian reads on the counter screen.

The unit is what the file holds: a row of a CSV file, a record of a MARC file. Every
unit ends up in exactly one place: imported, rejected (with its position, the reason and
its original text, so it can be exported, fixed and imported again), or handled by an
earlier run of the same file. ``imported + len(rejected) + earlier == total`` always;
``check()`` says so and the tests hold every importer to it. Warnings are about units
that were imported but not entirely as written (a copy left out, a damaged character
replaced, a directory repaired): nothing is dropped without a line in the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def reason_of(error: Any) -> str:
    """A refusal's words for one row: the detail alone when the code only says "invalid"."""
    if getattr(error, "code", None) == "invalid_input" and "detail" in error.details:
        return str(error.details["detail"])
    return error.message


@dataclass(frozen=True)
class Place:
    """Where a unit sits in its file: lines (CSV, MARCXML) or a byte offset (ISO 2709)."""

    line: int | None = None
    end_line: int | None = None
    offset: int | None = None
    record: int | None = None
    length: int | None = None  # extent in bytes of a MARC or MARCXML record
    byte: int | None = None    # its byte offset, also for MARCXML (shown by line)

    def vi(self) -> str:
        if self.record is None:
            if self.end_line and self.end_line != self.line:
                return f"Dòng {self.line}–{self.end_line}"
            return f"Dòng {self.line}"
        if self.offset is not None:
            return f"Bản ghi {self.record} (vị trí byte {self.offset})"
        if self.line is not None:
            return f"Bản ghi {self.record} (dòng {self.line})"
        return f"Bản ghi {self.record}"


@dataclass(frozen=True)
class Problem:
    place: Place
    message: str
    raw: bytes | str | None = None

    def vi(self) -> str:
        return f"{self.place.vi()}: {self.message}"

    # The position a test or a script sorts by: the line, else the record number.
    @property
    def position(self) -> int:
        return self.place.line if self.place.record is None else self.place.record


@dataclass
class Unit:
    """One row or record as read: where it is and its original text or bytes."""

    place: Place
    raw: bytes | str | None = None


@dataclass
class Entry:
    """One unit of work read from a file: a parsed value, or the reason it could not be read.

    ``units`` are the rows or records it carries (a CSV catalogue entry is every row of one
    record); ``warnings`` are remarks made while reading, reported against the first unit.
    """

    number: int
    value: Any = None
    error: str | None = None
    units: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    format: str
    created: int = 0
    updated: int = 0
    items_created: int = 0
    items_existing: int = 0
    imported: int = 0
    total: int = 0
    earlier: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    encodings: Counter = field(default_factory=Counter)
    header: str | None = None
    resumed_from: int = 0
    processed: int = 0
    already_done: bool = False

    @property
    def unit(self) -> str:
        return "dòng" if self.format.startswith("csv") else "bản ghi"

    @property
    def kind(self) -> str:
        return "patrons" if self.format.endswith("patrons") else "catalogue"

    def reject(self, place: Place, message: str, raw: bytes | str | None = None) -> None:
        self.rejected.append(Problem(place, message, raw))

    def warn(self, place: Place, message: str) -> None:
        self.warnings.append(Problem(place, message))

    def check(self) -> bool:
        return self.imported + len(self.rejected) + self.earlier == self.total

    def encoding_vi(self) -> str:
        if self.encodings:
            return "; ".join(f"{name}: {count} {self.unit}"
                             for name, count in sorted(self.encodings.items()))
        return self.encoding

    def summary_vi(self) -> str:
        unit = self.unit
        if self.already_done:
            return (f"Tệp này đã được nhập xong trước đó ({self.earlier} {unit}); "
                    "không có gì mới để nhập.")
        text = (f"Tệp có {self.total} {unit}: đã nhập {self.imported}, "
                f"bị từ chối {len(self.rejected)}")
        if self.earlier:
            text += (f", {self.earlier} đã nhập ở lần trước "
                     f"(tiếp tục từ bản ghi thứ {self.resumed_from + 1})")
        text += "."
        if self.kind == "patrons":
            text += f" Đã nhập {self.created} bạn đọc mới, cập nhật {self.updated} bạn đọc."
        else:
            text += (f" Đã nhập {self.created} đầu sách mới, cập nhật {self.updated} đầu sách, "
                     f"thêm {self.items_created} bản sách.")
        if self.encoding_vi():
            text += f" Mã ký tự: {self.encoding_vi()}."
        if self.warnings:
            text += f" Có {len(self.warnings)} cảnh báo."
        if self.rejected:
            text += (f" Xem chi tiết bên dưới; có thể xuất các {unit} bị từ chối ra tệp "
                     "để sửa rồi nhập lại.")
        return text

    def details_vi(self) -> list[str]:
        """One line per rejected unit, then one per warning, then general notes."""
        lines = [f"{p.vi()}" for p in self.rejected]
        lines += [f"Cảnh báo — {p.vi()}" for p in self.warnings]
        lines += [f"Lưu ý: {note}" for note in self.notes]
        return lines

    def as_dict(self) -> dict[str, Any]:
        """For ``--json``: counts, encoding and every problem, without the raw bytes."""
        def problem(p: Problem) -> dict[str, Any]:
            return {"where": p.place.vi(), "line": p.place.line, "end_line": p.place.end_line,
                    "offset": p.place.offset, "record": p.place.record, "message": p.message}
        return {
            "format": self.format, "total": self.total, "imported": self.imported,
            "rejected_count": len(self.rejected), "earlier": self.earlier,
            "created": self.created, "updated": self.updated,
            "items_created": self.items_created, "encoding": self.encoding_vi(),
            "rejected": [problem(p) for p in self.rejected],
            "warnings": [problem(p) for p in self.warnings], "notes": list(self.notes),
            "already_done": self.already_done, "resumed_from": self.resumed_from,
            "summary": self.summary_vi(),
        }
