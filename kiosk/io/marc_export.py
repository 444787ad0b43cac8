"""MARC21 export of the whole catalogue, copies included as Koha-style 952 fields.

Written as UTF-8 (leader/09 'a'), ISO 2709 or MARCXML, so Koha, the district server or
another kiosk can read it back; :mod:`kiosk.io.marc_import` round-trips it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from pymarc import MARCWriter, Record, XMLWriter

from kiosk.io.marc_map import to_marc

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)


def iter_marc_records(library: "Library") -> Iterator[Record]:
    store = library.store
    for rec in library.catalogue.iter_records():
        items = [dict(r) for r in store.all(
            "SELECT * FROM items WHERE record_id = ? ORDER BY barcode", (rec["id"],))]
        attachments = library.catalogue.attachments_of(rec["id"])
        yield to_marc(rec, items, attachments)


def export_marc(library: "Library", path: str | Path, *, xml: bool = False) -> int:
    """Write every record to ``path``; returns how many were written.

    The file is written beside the target and renamed at the end, so a full USB stick or
    a power cut never leaves a half-written export that looks complete.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    count = 0
    with open(partial, "wb") as fh:
        writer = XMLWriter(fh) if xml else MARCWriter(fh)
        for record in iter_marc_records(library):
            writer.write(record)
            count += 1
        writer.close(close_fh=False)
    partial.replace(path)
    log.info("exported %d MARC records (%s)", count, "MARCXML" if xml else "ISO 2709")
    return count
