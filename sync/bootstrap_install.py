"""Loading a bootstrap file into a fresh database, and rebuilding what is derived.

Rows are inserted in batches straight from the decompressing stream (bounded memory);
only the tables and columns of :data:`sync.snapshot.ALLOWED` are accepted, so a crafted
file cannot write ``meta`` or any node-local table. The search index is rebuilt on the
device, with progress, as one pass over ``records``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from kiosk.core import search_index
from kiosk.store.db import Store
from sync import bootstrap

BATCH = 2000
COMMIT_EVERY = 50_000


def _target_columns(store: Store, table: str) -> set[str]:
    return {r[1] for r in store.all(f"PRAGMA table_info({table})")}


def load_rows(store: Store, source: Path, progress: bootstrap.Progress) -> dict:
    """Insert every row of the file at ``source``; returns the header's floor and the
    row counts. Raises :class:`sync.bootstrap.Damaged` on any fault (nothing is kept:
    the caller throws the database away)."""
    from sync.snapshot import ALLOWED

    conn = store.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA synchronous=OFF")  # a scratch file until it is moved into place
    header: dict | None = None
    rows: dict[str, int] = {}
    pending: list = []
    sql = ""
    width = 0
    step_at, running = None, 0
    loaded = 0
    table = ""

    def flush() -> None:
        if pending:
            conn.executemany(sql, pending)
            pending.clear()

    conn.execute("BEGIN")
    try:
        for item in bootstrap.read(source):
            if isinstance(item, list):
                if len(item) != width:
                    raise bootstrap.damaged(f"một dòng của bảng {table} có {len(item)} cột")
                if step_at is not None:  # the step from the previous item's record
                    running += item[step_at]
                    item[step_at] = running
                pending.append(item)
                loaded += 1
                rows[table] += 1
                if len(pending) >= BATCH:
                    flush()
                    if loaded % COMMIT_EVERY < BATCH:
                        conn.execute("COMMIT")
                        conn.execute("BEGIN")
                    progress("load", loaded, header.get("total_rows") if header else None)
            elif isinstance(item, bootstrap.Section):
                flush()
                table = item.table
                if table not in ALLOWED or table in rows:
                    raise bootstrap.damaged(f"bảng {table!r} không được phép trong tệp khởi tạo")
                known = _target_columns(store, table)
                columns = list(item.columns)
                step_at, running = None, 0
                if table == "items" and bootstrap.RECORD_STEP in columns:
                    step_at = columns.index(bootstrap.RECORD_STEP)
                    columns[step_at] = "record_id"
                if not columns or not set(columns) <= known or len(set(columns)) != len(columns):
                    raise bootstrap.damaged(f"cột lạ trong bảng {table}")
                width = len(columns)
                values = ["?"] * width
                if step_at is not None:
                    values[step_at] = "(SELECT id FROM records WHERE rid = ?)"
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)})"
                rows[table] = 0
            elif header is None:
                header = item
            elif item.get("end"):
                flush()
                if item.get("rows") != rows:
                    raise bootstrap.damaged("số dòng không khớp với phần kết")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise bootstrap.damaged(f"dữ liệu không hợp lệ: {exc}") from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
    progress("load", loaded, loaded)
    assert header is not None
    floors = header.get("floors") or {}
    origins = header.get("origins") or {}
    if not isinstance(floors, dict) or not all(type(v) is int and v >= 0 for v in floors.values()):
        raise bootstrap.damaged("vector của tệp không hợp lệ")
    return {"floors": floors, "origin_libraries": origins, "rows": rows,
            "library": header.get("library")}


def reindex(store: Store, progress: bootstrap.Progress) -> int:
    """Rebuild ``records_fts``, the vocabulary and the title keys in one streamed pass."""
    total = store.scalar("SELECT COUNT(*) FROM records")
    columns = search_index.FIELDS
    counts: Counter = Counter()
    fts, titles = [], []
    done = 0
    conn = store.conn
    with store.transaction():
        conn.execute("DELETE FROM records_fts")
        conn.execute("DELETE FROM search_vocab")
        conn.execute("DELETE FROM search_titles")
        reader = conn.execute(search_index._SELECT)
        while batch := reader.fetchmany(BATCH):
            for row in batch:
                values = search_index.index_values(row)
                fts.append([row["rid"], *values])
                counts.update(search_index.spellings(values[:len(columns)]))
                titles.append((row["rid"], search_index.title_key(row["title"])))
            conn.executemany(
                "INSERT INTO records_fts (rowid, title, authors, series, publisher, subjects, "
                "title_f, authors_f, series_f, publisher_f, subjects_f) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fts)
            conn.executemany("INSERT OR REPLACE INTO search_titles (rid, title) VALUES (?, ?)",
                             titles)
            done += len(batch)
            fts.clear()
            titles.clear()
            progress("index", done, total)
        search_index._vocab_add(store, counts, 1)
        search_index.optimize(store)
        store.set_meta(search_index.VOCABULARY_FILLED, "1")
    store.search_vocabulary_ready = True
    return done
