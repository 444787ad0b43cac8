"""Opening a node's database with the pragmas the appliance depends on.

WAL lets the kiosk UI read while the sync daemon writes; ``synchronous=FULL`` makes
every committed loan survive a power cut in the same second (a patron walks away with
the book); ``foreign_keys`` keeps items pointing at real records.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from kiosk.store import migrations

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


class Store:
    """One SQLite file, with explicit ``BEGIN IMMEDIATE`` transactions.

    The connection runs in autocommit mode so that every write goes through
    :meth:`transaction`, which takes the write lock up front (no deadlock between the
    kiosk and the sync daemon upgrading a read lock) and nests safely.
    """

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
        self._depth = 0
        self._lock = threading.RLock()

    @property
    def db(self) -> "sqlite_utils.Database":
        """sqlite-utils' view of the same connection (bulk inserts, introspection).

        Imported on first use: it costs a tenth of a second at start-up, which every
        CLI call and every kiosk boot would otherwise pay.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self._depth = 0
                self.conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self.conn.execute("COMMIT")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def tuples(self, sql: str, params: Any = ()) -> list[tuple]:
        """Rows as plain tuples, for a hot path that reads them by position (building a
        ``sqlite3.Row`` and looking a column up by name cost more than the lookup)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.conn.close()


LOCK_WAIT_SECONDS = 30.0
# Reads through a memory map instead of copying each page into SQLite's cache: a search
# reads some sixty scattered pages (the ranked records, their texts and copies), and
# mapped it took 0.6-0.75 of the time (bench/search_bench.py). Writes still go through the
# WAL as before. Beyond the first 256 MiB of a file, pages are read as without it.
MMAP_BYTES = 256 * 1024 * 1024


def _switch_to_wal(conn: sqlite3.Connection, path: str | Path) -> None:
    """Put the file in WAL mode, waiting out other processes that open it at the same moment.

    Changing the journal mode of a new file needs it to itself for an instant, and SQLite
    reports ``database is locked`` at once, without its busy handler, when another
    connection holds it then (three processes opening a new file together at first boot).
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError(
                f"database is locked: could not switch {path} to WAL mode "
                f"within {LOCK_WAIT_SECONDS:.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def connect(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                           timeout=LOCK_WAIT_SECONDS)
    conn.row_factory = sqlite3.Row
    _switch_to_wal(conn, path)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    return conn


PRIVATE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def make_private(path: str | Path) -> None:
    """Owner-only permissions on a database and the side files SQLite keeps beside it.

    The file holds patrons' PIN verifiers and the device's keys: no other account on the
    device may read it. A file someone else owns is left as it is (a read-only look by
    another user must still work).
    """
    for name in (str(path), *(str(path) + suffix for suffix in SIDE_FILES)):
        try:
            if os.stat(name).st_mode & 0o777 != PRIVATE_MODE:
                os.chmod(name, PRIVATE_MODE)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.debug("cannot tighten the permissions of %s (not its owner)", name)


def _create_private(path: Path) -> None:
    """Create an empty ``path`` as 0600 before SQLite writes a byte into it (no umask race)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    except FileExistsError:
        pass


def open_store(path: str | Path, *, migrate: bool = True) -> Store:
    """Open (creating if needed, owner-only) a node database and bring its schema up to date."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    if str(path) != ":memory:":
        _create_private(path)
    store = Store(connect(path), str(path))
    if str(path) != ":memory:":
        make_private(path)
    if migrate:
        migrations.upgrade(store)
    else:
        migrations.check_not_newer(store)
    return store
