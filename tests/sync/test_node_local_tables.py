"""Floors and transfer progress live in migration 7, also on databases that made them lazily."""

import pytest

from kiosk.store import SCHEMA_VERSION, open_store
from kiosk.store import migrations
from kiosk.store.db import Store, connect
from sync import bootstrap_floor, progress

# What sync code created on first use before migration 7 existed.
LAZY_FLOORS = ("CREATE TABLE IF NOT EXISTS sync_floors (origin_id TEXT PRIMARY KEY, "
               "seq INTEGER NOT NULL, library_id TEXT NOT NULL)")
LAZY_PROGRESS = ("CREATE TABLE IF NOT EXISTS sync_progress (peer TEXT NOT NULL, direction TEXT "
                 "NOT NULL, started REAL NOT NULL, updated REAL NOT NULL, events INTEGER NOT NULL "
                 "DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, events_left INTEGER, finished REAL, "
                 "PRIMARY KEY (peer, direction))")


def _at_version_6(path) -> Store:
    store = Store(connect(path), str(path))
    migrations.upgrade(store, target=6)
    return store


def test_a_fresh_database_has_empty_floors_and_no_transfers(tmp_path):
    store = open_store(tmp_path / "fresh.db")
    assert bootstrap_floor.floors(store) == {}
    assert bootstrap_floor.behind(store, {}, None) == {}
    assert progress.current(store) == []


def test_a_database_from_before_migration_7_gets_both_tables(tmp_path):
    _at_version_6(tmp_path / "old.db").close()
    store = open_store(tmp_path / "old.db")
    assert migrations.current_version(store) == SCHEMA_VERSION
    progress.begin(store, "http://127.0.0.1:1", "pull", now=100.0)
    progress.advance(store, "http://127.0.0.1:1", "pull", 500, 2048, 500, now=110.0)
    [entry] = progress.current(store, now=111.0)
    assert (entry["events"], entry["bytes"], entry["eta_s"]) == (500, 2048, 10)


@pytest.mark.parametrize("lazy", [(LAZY_FLOORS,), (LAZY_PROGRESS,), (LAZY_FLOORS, LAZY_PROGRESS)])
def test_tables_made_lazily_before_migration_7_keep_their_rows(tmp_path, lazy):
    old = _at_version_6(tmp_path / "old.db")
    for sql in lazy:
        old.execute(sql)
    if LAZY_FLOORS in lazy:
        old.execute("INSERT INTO sync_floors VALUES ('origin-a', 42, 'TN-X')")
    if LAZY_PROGRESS in lazy:
        old.execute("INSERT INTO sync_progress VALUES ('http://hub', 'push', 1.0, 2.0, 7, 99, 0, 2.0)")
    old.close()

    store = open_store(tmp_path / "old.db")
    assert migrations.current_version(store) == SCHEMA_VERSION
    assert bootstrap_floor.floors(store) == ({"origin-a": 42} if LAZY_FLOORS in lazy else {})
    assert bootstrap_floor.behind(store, {"origin-a": 3}, {"TN-X"}) == (
        {"origin-a": 42} if LAZY_FLOORS in lazy else {})
    rows = store.all("SELECT peer, events, bytes FROM sync_progress")
    assert [tuple(r) for r in rows] == ([("http://hub", 7, 99)] if LAZY_PROGRESS in lazy else [])
