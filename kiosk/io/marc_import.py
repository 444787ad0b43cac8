"""MARC21 import (ISO 2709 or MARCXML; UTF-8 or MARC-8) into the catalogue.

Bad records are reported with their position and their raw bytes (to export, fix and
import again); the import is resumable
through :mod:`kiosk.io.batches`. Format detection and the source key live in
:mod:`kiosk.io.importer`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.errors import LibraryError
from kiosk.io import batches
from kiosk.io.marc_decode import Parsed
from kiosk.io.marc_map import from_marc
from kiosk.io.marc_read import count_iso2709, iter_iso2709
from kiosk.io.marc_xml import count_marcxml, ends_properly, iter_marcxml, namespaces_of
from kiosk.io.report import Entry, ImportReport
from kiosk.io.upsert import upsert

if TYPE_CHECKING:
    from kiosk.core.library import Library

FORMATS = ("marc", "marcxml")


def import_marc(
    library: "Library",
    path: str | Path,
    *,
    fmt: str,
    source: str,
    progress: batches.Progress | None = None,
    batch_size: int = 200,
) -> ImportReport:
    """Import every readable record of ``path``; ``fmt`` is ``marc`` (ISO 2709) or ``marcxml``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown MARC format {fmt!r}")
    iso = fmt == "marc"
    entries = iter_iso2709(path) if iso else iter_marcxml(path)
    total = count_iso2709(path) if iso else count_marcxml(path)
    report = ImportReport(format=fmt, total=total,
                          header=None if iso else namespaces_of(path))
    if not iso and not ends_properly(path):
        report.notes.append("tệp XML kết thúc giữa chừng (thiếu thẻ đóng </collection>): tệp "
                            "có thể bị cắt cụt, các bản ghi sau chỗ đó không có trong tệp")

    def apply(entry: Entry, report: ImportReport) -> None:
        parsed: Parsed = entry.value
        place = entry.units[0].place
        mapped = from_marc(parsed.record)
        if not mapped.fields.get("title") and parsed.record.get("200") is not None:
            raise LibraryError("invalid_input", detail="bản ghi UNIMARC (nhan đề ở trường 200): "
                               "chỉ nhập được MARC21, hãy xuất lại dạng MARC21")
        for problem in mapped.problems:
            report.warn(place, problem)
        for _, why in upsert(library, mapped, report):
            report.warn(place, why)
        report.encodings[parsed.encoding] += 1

    return batches.run(library, source, entries, apply, report,
                       total=total, progress=progress, batch_size=batch_size)
