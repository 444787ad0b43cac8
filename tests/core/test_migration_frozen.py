"""Migrations 2 and 9, frozen, write exactly what the live search index writes today."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

from kiosk.core import search_index
from kiosk.store.m002_index import index_records
from kiosk.store.m009_index import space_index

TITLES = ["Hoà bình", "Hòa Bình", "Thuỷ Hử", "Đồng Tháp mười", "Quả bóng của giữa",
          unicodedata.normalize("NFD", "Nguyễn Ái Quốc"), "ƯU TIÊN", "Ngữ văn 12", "Mưa"]


def _fts(store):
    return store.conn.execute("SELECT rowid, * FROM records_fts ORDER BY rowid").fetchall()


def _catalogue(lib):
    for n, title in enumerate(TITLES):
        lib.catalogue.add_record({"title": title, "subtitle": "tập " + str(n) if n % 2 else None,
                                  "authors": ["Tô Hoài", "Xuân Diệu"][: n % 3],
                                  "series": "Tủ sách Hoa Sen" if n % 2 else None,
                                  "publisher": "Kim Đồng, Hà Nội",
                                  "subjects": ["Văn học thiếu nhi", "Truyện (tranh)"]})


def test_migrations_two_then_nine_should_index_records_exactly_as_the_search_index_does(lib):
    _catalogue(lib)
    search_index.reindex_all(lib.store)
    live = [tuple(row) for row in _fts(lib.store)]
    with lib.store.transaction():
        assert index_records(lib.store) == len(TITLES)
    raw = [tuple(row) for row in _fts(lib.store)]
    assert raw != live and "kim đồng, hà nội" in raw[0]      # migration 2: text as written
    with lib.store.transaction():
        assert space_index(lib.store) == len(TITLES)
    assert [tuple(row) for row in _fts(lib.store)] == live
    assert "kim đồng hà nội" in live[0] and "van hoc thieu nhi truyen tranh" in live[0]


def test_the_store_should_not_import_the_domain_core():
    code = ("import sys; import kiosk.store, kiosk.store.migrations, kiosk.store.m002_index; "
            "print(sorted(m for m in sys.modules if m.startswith('kiosk.core')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_catalogue_indexed_before_migration_nine_searches_as_a_new_one(tmp_path):
    """An upgraded kiosk's index is rewritten in place: its punctuation was the only
    difference, and every query ranks the records as a catalogue indexed today does."""
    from kiosk.app import open_library
    from kiosk.core.clock import FixedClock
    from kiosk.core.node import init_library
    from kiosk.store import migrations
    from kiosk.store.db import Store, connect

    books = [("Tràm Chim: đất và người", ["Phạm Hoàng Sơn", "Trương Thanh Hương"],
              ["Tràm Chim", "Đồng Tháp"]),
             ("Chim, cá và tràm", ["Lê Văn Tràm"], ["Sinh vật"]),
             ("Sếu đầu đỏ ở Tràm Chim", ["Nguyễn Văn Chim"], ["Chim; Tràm Chim"])]
    old = Store(connect(tmp_path / "old.db"), str(tmp_path / "old.db"))
    migrations.upgrade(old, target=8)
    for n, (title, authors, subjects) in enumerate(books):
        old.execute(
            "INSERT INTO records (id, title, authors, subjects, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, '2026-01-01', '2026-01-01')",
            (f"r{n}", title, json.dumps(authors), json.dumps(subjects)))
    with old.transaction():
        index_records(old)
    assert any(";" in str(value) for row in _fts(old) for value in row)
    old.close()

    clock = FixedClock("2026-11-20T09:00:00")
    upgraded = open_library(tmp_path / "old.db", clock)
    assert not any(";" in str(v) or ":" in str(v) for row in _fts(upgraded.store) for v in row)
    fresh = open_library(tmp_path / "fresh.db", clock)
    init_library(fresh, "TN-X", "Thư viện xã")
    for title, authors, subjects in books:
        fresh.catalogue.add_record({"title": title, "authors": authors, "subjects": subjects})
    for query in ("tram chim", "chim tram", "pham hoang son", "chim", "Tràm"):
        got = [h.title for h in upgraded.search.search(query)]
        assert got == [h.title for h in fresh.search.search(query)], query
        assert got, query
