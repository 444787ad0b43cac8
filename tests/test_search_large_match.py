"""Search over a match set too large for bm25 keeps the ranking tiers.

``kiosk.core.search.POOL`` is lowered so a handful of records takes the large-match path
that a one-letter prefix takes over a 200,000-title catalogue.
"""

from __future__ import annotations

import pytest

from kiosk.app import open_library
from kiosk.core import search as search_module
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library


@pytest.fixture
def lib(tmp_path, monkeypatch):
    library = open_library(tmp_path / "node.db", FixedClock("2026-06-01T08:00:00"))
    init_library(library, "TN-PHUTHO", "Thư viện xã Phú Thọ", commune="Phú Thọ")
    monkeypatch.setattr(search_module, "POOL", 3)
    yield library
    library.store.close()


def add(lib, title, subjects=(), authors=()):
    lib.catalogue.add_record({"title": title, "subjects": list(subjects), "authors": list(authors)})


def test_large_match_should_rank_exact_diacritics_above_folded(lib):
    add(lib, "Bà già kể chuyện")
    for n in range(4):
        add(lib, f"Bá vương tập {n}")
    add(lib, "Ba người bạn")
    hits = lib.search.search("Bà", prefix=False)
    assert len(hits) == 6
    assert hits[0].title == "Bà già kể chuyện" and hits[0].match == "exact"
    assert {h.match for h in hits[1:]} == {"folded"}


def test_large_match_should_rank_title_above_subject_only(lib):
    for n in range(5):
        add(lib, f"Sổ tay nông dân tập {n}", subjects=["Sếu đầu đỏ"])
    add(lib, "Sếu đầu đỏ ở Tràm Chim", subjects=["Chim"])
    hits = lib.search.search("seu dau do")
    assert hits[0].title == "Sếu đầu đỏ ở Tràm Chim"
    assert len(hits) == 6


def test_large_match_should_treat_the_last_word_as_a_prefix(lib):
    add(lib, "Nguyễn Du và Truyện Kiều", authors=["Nguyễn Du"])
    for n in range(4):
        add(lib, f"Người mẹ cầm súng {n}")
    add(lib, "Kỹ thuật nuôi cá lóc")
    hits = lib.search.search("ng")
    assert len(hits) == 5 and "Kỹ thuật nuôi cá lóc" not in [h.title for h in hits]
    assert [h.title for h in lib.search.search("truyen ki")] == ["Nguyễn Du và Truyện Kiều"]


def test_large_match_should_prefer_denser_title_matches_within_a_tier(lib):
    for n in range(4):
        add(lib, f"Lịch sử văn hoá dân gian vùng sông nước miền Tây tập {n}")
    add(lib, "Sen")
    add(lib, "Trồng sen", subjects=["Sen"])
    hits = lib.search.search("s")
    assert [h.title for h in hits[:2]] == ["Sen", "Trồng sen"]
