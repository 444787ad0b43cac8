"""MARC21 import (ISO 2709 or MARCXML; UTF-8 or MARC-8) into the catalogue.

Bad records are reported with their position and skipped; the import is resumable
through :mod:`kiosk.io.batches`. Format detection and the source key live in
:mod:`kiosk.io.importer`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pymarc import Record

from kiosk.io import batches
from kiosk.io.marc_map import from_marc
from kiosk.io.marc_read import count_iso2709, count_marcxml, iter_iso2709, iter_marcxml
from kiosk.io.report import ImportReport
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

    def apply(record: Record, number: int, report: ImportReport) -> None:
        upsert(library, from_marc(record), number, report)

    return batches.run(library, source, entries, apply, ImportReport(format=fmt),
                       total=total, progress=progress, batch_size=batch_size)
