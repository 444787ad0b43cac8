"""What an import did, in the words a librarian reads on the counter screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Skipped(NamedTuple):
    """One thing left out: ``position`` is a record number (MARC) or a line number (CSV)."""

    position: int
    message: str


@dataclass
class Entry:
    """One unit of work read from a file: a parsed value, or the reason it could not be read."""

    number: int
    value: Any = None
    error: str | None = None


@dataclass
class ImportReport:
    format: str
    created: int = 0
    updated: int = 0
    items_created: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    resumed_from: int = 0
    processed: int = 0
    total: int | None = None
    already_done: bool = False

    def skip(self, position: int, message: str) -> None:
        self.skipped.append(Skipped(position, message))

    def summary_vi(self) -> str:
        noun = "bạn đọc" if self.format.endswith("patrons") else "đầu sách"
        if self.already_done:
            return (f"Tệp này đã được nhập xong trước đó ({self.resumed_from} bản ghi); "
                    "không có gì mới để nhập.")
        parts = [f"Đã nhập {self.created} {noun} mới", f"cập nhật {self.updated} {noun}"]
        if noun == "đầu sách":
            parts.append(f"thêm {self.items_created} bản sách")
        text = ", ".join(parts)
        if self.resumed_from:
            text += f" (tiếp tục từ bản ghi thứ {self.resumed_from + 1})"
        if self.skipped:
            text += f"; bỏ qua {len(self.skipped)} mục, xem chi tiết bên dưới"
        return text + "."

    def details_vi(self) -> list[str]:
        """One line per skipped entry, for the detail list under the summary."""
        label = "Dòng" if self.format.startswith("csv") else "Bản ghi"
        return [f"{label} {s.position}: {s.message}" for s in self.skipped]
