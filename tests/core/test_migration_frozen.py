"""Migration 2's frozen indexing writes exactly what the live search index writes today."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

from kiosk.core import search_index
from kiosk.store.m002_index import index_records

TITLES = ["Hoà bình", "Hòa Bình", "Thuỷ Hử", "Đồng Tháp mười", "Quả bóng của giữa",
          unicodedata.normalize("NFD", "Nguyễn Ái Quốc"), "ƯU TIÊN", "Ngữ văn 12", "Mưa"]


def _fts(store):
    return store.conn.execute("SELECT rowid, * FROM records_fts ORDER BY rowid").fetchall()


def test_migration_two_should_index_records_exactly_as_the_search_index_does(lib):
    for n, title in enumerate(TITLES):
        lib.catalogue.add_record({"title": title, "subtitle": "tập " + str(n) if n % 2 else None,
                                  "authors": ["Tô Hoài", "Xuân Diệu"][: n % 3],
                                  "series": "Tủ sách Hoa Sen" if n % 2 else None,
                                  "publisher": "Kim Đồng", "subjects": ["Văn học thiếu nhi"]})
    search_index.reindex_all(lib.store)
    live = [tuple(row) for row in _fts(lib.store)]
    with lib.store.transaction():
        assert index_records(lib.store) == len(TITLES)
    assert [tuple(row) for row in _fts(lib.store)] == live


def test_the_store_should_not_import_the_domain_core():
    code = ("import sys; import kiosk.store, kiosk.store.migrations, kiosk.store.m002_index; "
            "print(sorted(m for m in sys.modules if m.startswith('kiosk.core')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
