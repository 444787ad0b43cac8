"""Resumable, batched application of imported entries.

A file of tens of thousands of records is applied in batches, each in one transaction
together with the row of ``import_progress`` that says how far we got. A power cut or a
crash therefore loses at most the batch in flight, and running the same file again
starts after the last committed batch: entries are never applied twice.
"""

from __future__ import annotations

import logging
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from kiosk.core.errors import LibraryError
from kiosk.io.report import Entry, ImportReport, reason_of

if TYPE_CHECKING:
    from kiosk.core.library import Library

log = logging.getLogger(__name__)

Progress = Callable[[int, "int | None"], None]
Apply = Callable[[Entry, ImportReport], None]


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

    ``apply(entry, report)`` writes one entry; it rejects any of the entry's units it
    cannot write with :meth:`ImportReport.reject` (one problem per unit, never two), and
    the units it did not reject are counted as imported. A :class:`LibraryError` it
    raises rejects every unit of that entry. Any other exception aborts the import,
    rolling back the batch in flight only. ``total`` counts entries, for ``progress``.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    start = saved_position(library, source)
    report.resumed_from = start
    if start and total is not None and start >= total:
        report.already_done = True
        report.earlier = report.total
        return report
    if start:
        log.info("resuming import %s after entry %d", source[:20], start)

    def pending() -> Iterator[Entry]:
        for entry in entries:
            if entry.number > start:
                yield entry
            else:
                report.earlier += len(entry.units)

    todo = pending()
    done = start
    while batch := list(islice(todo, batch_size)):
        before = (report.imported, len(report.rejected))
        with library.transaction():
            for entry in batch:
                _one(entry, apply, report)
            done = batch[-1].number
            _save(library, source, done, report.imported - before[0],
                  len(report.rejected) - before[1])
        report.processed = done
        log.info("import %s: %d entries committed", source[:20], done)
        _refuse_if_hopeless(report, done)
        if progress is not None:
            progress(done, total)
    return report


MAX_REJECTED = 10_000


def _refuse_if_hopeless(report: ImportReport, done: int) -> None:
    """Stop a file that is nearly all damage (a hostile or wrong file) before the report of
    its rejections fills the memory; what was imported stays and a rerun resumes."""
    rejected = len(report.rejected)
    if rejected > MAX_REJECTED and rejected > 0.9 * (rejected + report.imported):
        raise LibraryError("invalid_input", detail=(
            f"đã dừng sau {done} {report.unit}: {rejected} {report.unit} hỏng, gần như cả tệp; "
            "có lẽ đây không phải tệp biên mục hoặc tệp bị hỏng nặng"))


def _one(entry: Entry, apply: Apply, report: ImportReport) -> None:
    first = entry.units[0].place
    for warning in entry.warnings:
        report.warn(first, warning)
    if entry.error is not None:
        for unit in entry.units:
            report.reject(unit.place, entry.error, unit.raw)
        return
    before = len(report.rejected)
    try:
        apply(entry, report)
    except LibraryError as exc:
        del report.rejected[before:]
        for unit in entry.units:
            report.reject(unit.place, reason_of(exc), unit.raw)
        return
    report.imported += len(entry.units) - (len(report.rejected) - before)
