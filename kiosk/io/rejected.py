"""Writing the rejected rows of an import back out, to be fixed and imported again.

CSV rows are written with the file's original header line, each row as it was in the
file (a damaged quote stays where it was, so the librarian sees what to fix), in UTF-8
with a BOM so that Excel shows the diacritics whatever the source encoding was; a byte
that could not be read shows as U+FFFD. MARC records are written as the exact bytes of
the rejected records; MARCXML records inside a collection carrying the source's
namespace declarations. A damaged region too long to be a record (more than 99 999
bytes with no terminator) was never kept and is counted as not written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.io.report import ImportReport

_MARKED = re.compile("[\udc00-\udcff]")
_SUFFIX = {"marc": ".mrc", "marcxml": ".xml"}


@dataclass
class Written:
    path: Path
    written: int
    not_kept: int


def suggested_name(source: str | Path, report: ImportReport) -> str:
    """``sach moi-bi-tu-choi.csv`` for ``sach moi.csv``."""
    stem = Path(source).stem or "nhap"
    return f"{stem}-bi-tu-choi{_SUFFIX.get(report.format, '.csv')}"


def _csv_bytes(report: ImportReport, rows: list[str]) -> bytes:
    lines = [report.header or ""] + rows
    text = "\r\n".join(line.replace("\n", "\r\n") for line in lines) + "\r\n"
    return "\ufeff".encode() + _MARKED.sub("\ufffd", text).encode("utf-8")


def _xml_bytes(report: ImportReport, records: list[bytes]) -> bytes:
    names = report.header or ' xmlns="http://www.loc.gov/MARC21/slim"'
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<collection' + names.encode() + b">\n"
            + b"\n".join(records) + b"\n</collection>\n")


def write_rejected(report: ImportReport, path: str | Path) -> Written:
    """Write every rejected unit that was kept to ``path`` (atomically)."""
    path = Path(path)
    kept = [p.raw for p in report.rejected if p.raw is not None]
    not_kept = len(report.rejected) - len(kept)
    if report.format.startswith("csv"):
        data = _csv_bytes(report, [r if isinstance(r, str) else r.decode("utf-8", "replace")
                                   for r in kept])
    elif report.format == "marcxml":
        data = _xml_bytes(report, [r if isinstance(r, bytes) else r.encode() for r in kept])
    else:
        data = b"".join(r if isinstance(r, bytes) else r.encode() for r in kept)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
    return Written(path, len(kept), not_kept)
