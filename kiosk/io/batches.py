"""Resumable, batched application of imported entries.

A file of tens of thousands of records is applied in batches, each in one transaction
together with the row of ``import_progress`` that says how far we got. A power cut or a
crash therefore loses at most the batch in flight, and running the same file again
starts after the last committed batch: entries are never applied twice.
"""

from __future__ import annotations

import logging
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterable

from kiosk.core.errors import LibraryError
from kiosk.io.report import Entry, ImportReport

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)

Progress = Callable[[int, "int | None"], None]
Apply = Callable[[object, int, ImportReport], None]


def saved_position(library: "Library", source: str) -> int:
    return library.store.scalar(
        "SELECT position FROM import_progress WHERE source = ?", (source,)) or 0


def forget(library: "Library", source: str) -> None:
    with library.transaction():
        library.store.execute("DELETE FROM import_progress WHERE source = ?", (source,))


def _save(library: "Library", source: str, position: int, imported: int, skipped: int) -> None:
    library.store.execute(
        "INSERT INTO import_progress (source, position, imported, skipped, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET "
        "position = excluded.position, imported = imported + excluded.imported, "
        "skipped = skipped + excluded.skipped, updated_at = excluded.updated_at",
        (source, position, imported, skipped, library.now_iso()),
    )


def run(
    library: "Library",
    source: str,
    entries: Iterable[Entry],
    apply: Apply,
    report: ImportReport,
    *,
    total: int | None,
    progress: Progress | None,
    batch_size: int,
) -> ImportReport:
    """Apply ``entries`` numbered from 1, skipping those a previous run already committed.

    ``apply(value, number, report)`` writes one entry and counts it in ``report``; a
    :class:`LibraryError` it raises skips that entry only. Any other exception aborts the
    import, rolling back the batch in flight only.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    start = saved_position(library, source)
    report.resumed_from = start
    report.total = total
    if start and total is not None and start >= total:
        report.already_done = True
        return report
    if start:
        log.info("resuming import %s after entry %d", source[:20], start)
    pending = (e for e in entries if e.number > start)
    done = start
    while batch := list(islice(pending, batch_size)):
        before = (report.created + report.updated, len(report.skipped))
        with library.transaction():
            for entry in batch:
                if entry.error is not None:
                    report.skip(entry.number, entry.error)
                    continue
                try:
                    apply(entry.value, entry.number, report)
                except LibraryError as exc:
                    report.skip(entry.number, exc.message)
            done = batch[-1].number
            _save(library, source, done, report.created + report.updated - before[0],
                  len(report.skipped) - before[1])
        report.processed = done
        log.info("import %s: %d entries committed", source[:20], done)
        if progress is not None:
            progress(done, total)
    return report
