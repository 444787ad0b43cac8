"""A persistent print queue: a printer fault never blocks or undoes a loan.

Submitting only writes a row to the queue's own SQLite file and returns; printing happens in
`retry_pending()`, called by the worker thread (`start()`) or directly. Jobs are kept after
printing so a patron can ask for a reprint. Delivery is at-least-once: a power cut during a
transfer leaves the job pending and it prints again, which beats losing a loan slip.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .commands import slip_job
from .connection import PrinterError
from .printer import PrinterNotReady, ReceiptPrinter
from .slips import Slip, slip_from_json, slip_to_json
from .status import PrinterStatus

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS print_jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT,
    data BLOB,
    state TEXT NOT NULL CHECK (state IN ('pending', 'printed', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at REAL NOT NULL,
    next_attempt_at REAL NOT NULL,
    printed_at REAL,
    reprint_of INTEGER REFERENCES print_jobs(id),
    CHECK ((payload IS NULL) <> (data IS NULL))
);
CREATE INDEX IF NOT EXISTS print_jobs_due ON print_jobs (state, next_attempt_at, id);
"""
RAW_KIND = "raw"
PENDING, PRINTED, FAILED = "pending", "printed", "failed"


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str
    state: str
    attempts: int
    last_error: str | None
    created_at: float
    next_attempt_at: float
    printed_at: float | None
    reprint_of: int | None


class PrintQueue:
    """Jobs for one receipt printer, stored in the SQLite file at `path`."""

    def __init__(
        self,
        path: str | Path,
        printer: ReceiptPrinter,
        *,
        clock: Callable[[], float] = time.time,
        base_delay: float = 2.0,
        max_delay: float = 300.0,
        max_attempts: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.printer = printer
        self.clock = clock
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_attempts = max_attempts
        self.last_status = PrinterStatus.UNKNOWN
        self._print_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        with closing(self._connect()) as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"print queue {self.path} is newer than this code (v{version})")
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                db.executescript(SCHEMA)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        db.row_factory = sqlite3.Row
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: the statements inside commit together or not at all."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            with db:
                yield db

    def _insert(self, kind: str, payload: str | None, data: bytes | None, reprint_of: int | None) -> int:
        now = self.clock()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO print_jobs (kind, payload, data, state, created_at, next_attempt_at,"
                " reprint_of) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, payload, data, PENDING, now, now, reprint_of),
            )
            job_id = cursor.lastrowid
        log.info("queued print job %d (%s)", job_id, kind)
        self._wake.set()
        return job_id

    def submit(self, slip: Slip) -> int:
        """Queue a slip; returns its job id at once, whatever state the printer is in."""
        return self._insert(slip.kind, slip_to_json(slip), None, None)

    def submit_bytes(self, data: bytes, kind: str = RAW_KIND) -> int:
        """Queue an already rendered job (sent unchanged)."""
        if not data:
            raise ValueError("an empty print job cannot be queued")
        return self._insert(kind, None, bytes(data), None)

    def reprint(self, job_id: int) -> int:
        """Queue a copy of a printed (or given-up) job; returns the new job's id."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(f"no print job {job_id}")
        if row["state"] == PENDING:
            raise ValueError(f"print job {job_id} has not been printed yet")
        return self._insert(row["kind"], row["payload"], row["data"], job_id)

    def job(self, job_id: int) -> PrintJob:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT id, kind, state, attempts, last_error, created_at, next_attempt_at,"
                " printed_at, reprint_of FROM print_jobs WHERE id = ?",
                (job_id,),
            ).fetchone()
        if row is None:
            raise KeyError(f"no print job {job_id}")
        return PrintJob(**dict(row))

    def jobs(self, state: str | None = None) -> list[PrintJob]:
        with closing(self._connect()) as db:
            ids = [
                row[0]
                for row in db.execute(
                    "SELECT id FROM print_jobs WHERE ?1 IS NULL OR state = ?1 ORDER BY id", (state,)
                )
            ]
        return [self.job(job_id) for job_id in ids]

    def delay(self, attempts: int) -> float:
        """Exponential back-off after `attempts` failed attempts, capped at `max_delay`."""
        return min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1))

    def _job_bytes(self, row: sqlite3.Row) -> bytes:
        if row["data"] is not None:
            return bytes(row["data"])
        slip = slip_from_json(row["kind"], row["payload"])
        return slip_job(self.printer.render(slip))

    def retry_pending(self, *, force: bool = False) -> int:
        """Print pending jobs oldest first once any is due; returns how many printed.

        Slips come out in the order they were submitted: a slip submitted while the queue
        backs off makes the oldest job go first, not itself.

        Stops at the first printer fault (the rest would fail the same way) and backs off the
        whole queue; `force` ignores back-off, e.g. after a technician loads paper.
        """
        return self._print_due(force, lambda: False)

    def _print_due(self, force: bool, stopping: Callable[[], bool]) -> int:
        printed = 0
        with self._print_lock:
            while not stopping():
                now = self.clock()
                with closing(self._connect()) as db:
                    due = force or db.execute(
                        "SELECT 1 FROM print_jobs WHERE state = ? AND next_attempt_at <= ?",
                        (PENDING, now),
                    ).fetchone()
                    row = due and db.execute(
                        "SELECT * FROM print_jobs WHERE state = ? ORDER BY id LIMIT 1", (PENDING,)
                    ).fetchone()
                if row is None:
                    return printed
                try:
                    data = self._job_bytes(row)
                except (ValueError, TypeError, KeyError) as exc:
                    self._record_failure(row, f"cannot render: {exc}", permanent=True)
                    continue
                try:
                    self.last_status = self.printer.send(data)
                except PrinterError as exc:
                    if isinstance(exc, PrinterNotReady):
                        self.last_status = exc.status
                    else:
                        self.last_status = PrinterStatus.OFFLINE
                    self._record_failure(row, str(exc), permanent=False)
                    return printed
                self._record_printed(row["id"])
                printed += 1
        return printed

    def _record_printed(self, job_id: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE print_jobs SET state = ?, attempts = attempts + 1, last_error = NULL,"
                " printed_at = ? WHERE id = ?",
                (PRINTED, self.clock(), job_id),
            )
        log.info("printed job %d", job_id)

    def _record_failure(self, row: sqlite3.Row, error: str, *, permanent: bool) -> None:
        attempts = row["attempts"] + 1
        give_up = permanent or (self.max_attempts is not None and attempts >= self.max_attempts)
        retry_at = self.clock() + self.delay(attempts)
        with self._write() as db:
            db.execute(
                "UPDATE print_jobs SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ?"
                " WHERE id = ?",
                (FAILED if give_up else PENDING, attempts, error, retry_at, row["id"]),
            )
            if not permanent:
                db.execute(
                    "UPDATE print_jobs SET next_attempt_at = max(next_attempt_at, ?)"
                    " WHERE state = ? AND id != ?",
                    (retry_at, PENDING, row["id"]),
                )
        log.warning("print job %d attempt %d failed: %s", row["id"], attempts, error)

    def _seconds_until_due(self) -> float | None:
        with closing(self._connect()) as db:
            due = db.execute(
                "SELECT min(next_attempt_at) FROM print_jobs WHERE state = ?", (PENDING,)
            ).fetchone()[0]
        return None if due is None else max(0.0, due - self.clock())

    def start(self) -> None:
        """Run a worker thread that prints jobs as they arrive and retries with back-off."""
        if self._worker is not None:
            return
        self._stopping.clear()
        self._worker = threading.Thread(target=self._run, name="print-queue", daemon=True)
        self._worker.start()

    def stop(self, timeout: float = 15.0) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        self._stopping.set()
        self._wake.set()
        worker.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self._print_due(False, self._stopping.is_set)
                wait = self._seconds_until_due()
            except sqlite3.Error:
                log.exception("print queue database error")
                wait = self.max_delay
            self._wake.wait(timeout=min(wait if wait is not None else 60.0, 60.0))
