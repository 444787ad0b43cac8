"""One entry point for the counter UI and the CLI: import or export a file, any format.

The format is recognised from the content (an ISO 2709 leader, MARCXML, a CSV header
line) with the extension as a tie-breaker, because files reach a commune library via USB
sticks and e-mail with names like ``sach moi (1).dat``. Each import is keyed by the
SHA-256 of the file, so re-running a file resumes it instead of importing it twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.errors import LibraryError
from kiosk.io import batches, csv_io
from kiosk.io.csv_read import open_csv
from kiosk.io.marc_export import export_marc
from kiosk.io.marc_import import import_marc
from kiosk.io.rejected import Written, write_rejected
from kiosk.io.report import ImportReport

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)

HEAD = 1 << 16
_LEADER = re.compile(rb"\d{5}[ -~]{7}\d{5}[ -~]{7}")
_XML_MARC = re.compile(rb"<(?:[\w.-]+:)?(?:record|collection)\b")
_XML_MARC_FIELD = re.compile(rb"<(?:[\w.-]+:)?(?:leader|controlfield|datafield)\b")
_MARC_EXTENSIONS = {".mrc", ".marc", ".iso", ".dat", ".001"}
_XML_EXTENSIONS = {".xml", ".marcxml"}


def _invalid(path: Path, why: str) -> LibraryError:
    return LibraryError("invalid_input", detail=f"tệp {path.name} {why}")


def detect_format(path: str | Path) -> str:
    """``marc``, ``marcxml`` or ``csv``; a clear error for anything else."""
    path = Path(path)
    if not path.is_file():
        raise _invalid(path, "không tồn tại")
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    ext = path.suffix.lower()
    if not body:
        raise _invalid(path, "trống")
    if _LEADER.match(body):
        return "marc"
    if b"\x1e" in body and b"\x1d" in body and _LEADER.search(body):
        return "marc"
    if body.startswith(b"<"):
        if _XML_MARC.search(body) and (b"loc.gov/MARC21/slim" in body
                                       or _XML_MARC_FIELD.search(body)):
            return "marcxml"
        raise _invalid(path, "là XML nhưng không chứa bản ghi MARC (MARCXML)")
    if csv_io.sniff_text(head):
        return "csv"
    if ext in _MARC_EXTENSIONS:
        raise _invalid(path, "có đuôi MARC nhưng nội dung không phải MARC21 (ISO 2709)")
    if ext == ".csv":
        raise _invalid(path, "không có dòng tiêu đề cột hợp lệ (cần cột title, hoặc name "
                             "và card_number)")
    raise _invalid(path, "không phải MARC21 (.mrc), MARCXML (.xml) hay CSV (.csv)")


def source_key(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def import_file(
    library: "Library",
    path: str | Path,
    progress: batches.Progress | None = None,
    batch_size: int = 200,
    *,
    restart: bool = False,
) -> ImportReport:
    """Import ``path`` into the catalogue (MARC, MARCXML, CSV) or the patrons (CSV).

    ``progress(done, total)`` is called after each committed batch. Running the same file
    again resumes after the last committed batch; ``restart=True`` starts from the top
    (records are then matched and updated, never duplicated).
    """
    fmt = detect_format(path)
    source = source_key(path)
    if restart:
        batches.forget(library, source)
    kwargs = dict(source=source, progress=progress, batch_size=batch_size)
    if fmt in ("marc", "marcxml"):
        report = import_marc(library, path, fmt=fmt, **kwargs)
    else:
        opened = open_csv(path)
        if csv_io.kind_of(opened.columns) == "patrons":
            report = csv_io.import_patrons(library, path, opened=opened, **kwargs)
        else:
            report = csv_io.import_catalogue(library, path, opened=opened, **kwargs)
    log.info("import of %s finished: %d of %d imported, %d rejected, %d earlier, %d warnings",
             fmt, report.imported, report.total, len(report.rejected), report.earlier,
             len(report.warnings))
    if not report.check():
        log.error("import counts do not add up: %d + %d + %d != %d", report.imported,
                  len(report.rejected), report.earlier, report.total)
    return report


def export_rejected(report: ImportReport, path: str | Path) -> Written:
    """Write the rejected rows (CSV, with the original header) or records (raw bytes)."""
    if not report.rejected:
        raise LibraryError("invalid_input", detail="không có dòng nào bị từ chối để xuất")
    return write_rejected(report, path)


def export_file(library: "Library", path: str | Path, format: str = "marc",
                what: str = "catalogue") -> int:
    """Write the catalogue (``marc``, ``marcxml``, ``csv``) or patrons (``csv``) to ``path``.

    Returns the number of records (MARC) or rows (CSV) written.
    """
    if what == "patrons":
        if format != "csv":
            raise LibraryError("invalid_input", detail="bạn đọc chỉ xuất được dạng CSV")
        return csv_io.export_patrons(library, path)
    if what != "catalogue":
        raise LibraryError("invalid_input", detail=f"không biết xuất {what!r}")
    if format == "csv":
        return csv_io.export_catalogue(library, path)
    if format in ("marc", "marcxml"):
        return export_marc(library, path, xml=format == "marcxml")
    raise LibraryError("invalid_input", detail=f"định dạng {format!r} (chọn marc, marcxml, csv)")
