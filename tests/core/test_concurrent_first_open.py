"""Several processes opening one new database at the same moment (first boot: the kiosk
window, the sync daemon and a technician's CLI all start together) all succeed, and the
file ends with the complete schema, each migration applied once."""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from pathlib import Path

from kiosk.store import open_store
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION

PROCESSES = 3
ROUNDS = 30


def _open_each(folder: str, barrier, results) -> None:
    """One process: for every round, wait for the others, then open that round's new file."""
    for n in range(ROUNDS):
        barrier.wait(timeout=120)
        try:
            store = open_store(Path(folder) / f"round{n}.db")
            store.close()
            results.put((n, None))
        except Exception:
            results.put((n, traceback.format_exc()))


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


def test_concurrent_first_opens_of_a_new_database_should_all_succeed_with_the_whole_schema(tmp_path):
    reference = tmp_path / "alone.db"
    open_store(reference).close()
    expected = _schema(reference)

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [context.Process(target=_open_each, args=(str(tmp_path), barrier, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in range(PROCESSES * ROUNDS)]
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0

    failures = [error for _, error in outcomes if error]
    assert failures == [], f"{len(failures)} of {len(outcomes)} opens failed:\n{failures[0]}"
    for n in range(ROUNDS):
        path = tmp_path / f"round{n}.db"
        assert _schema(path) == expected, path
        conn = sqlite3.connect(path)
        try:
            versions = [row[0] for row in conn.execute(
                "SELECT version FROM schema_migrations ORDER BY version")]
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
        assert versions == [version for version, _, _ in MIGRATIONS]
        assert versions[-1] == SCHEMA_VERSION and mode == "wal"
