"""Ranking evaluation: real Vietnamese titles among generated noise, scored by MRR.

``search_eval/facts.json`` holds real works with their real authors; ``confusers.json``
holds invented titles built to trip each ranking rule (``Sổ đỏ và những điều cần biết``
against ``Số đỏ``, an author ``Cao Văn Nam`` against ``Nam Cao``, ``Đèn đã tắt`` against
``Tắt đèn``); the demo generator adds 1,500 commune-library titles (``Sổ tay…``,
``Kỹ thuật nuôi…``) with generated author names. ``queries.json`` lists what patrons type,
without and with diacritics, as prefixes, and as Telex/VNI keys, each with the titles a
librarian would accept first.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from kiosk.demo import generated_record

HERE = Path(__file__).parent / "search_eval"
NOISE = 1500
NOW = "2026-11-20T09:00:00"
# Every query here has a record that is clearly meant (a title, or an author's works), so
# a good ranking puts it first for nearly all of them. One query falling from first to
# second place costs 0.5/56 ≈ 0.009; a rule broken outright (phrase, title equality,
# whole word) sends a dozen queries below first place and MRR under 0.9. 0.95 tolerates
# two or three debatable orderings among 56 queries and fails on any broken rule.
THRESHOLD = 0.95


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    lib = open_library(tmp_path_factory.mktemp("eval") / "node.db", FixedClock(NOW))
    init_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ", commune="Phú Thọ")
    rng = random.Random(15)
    with lib.transaction():
        for _ in range(NOISE):
            fields, publisher, _ = generated_record(rng)
            lib.catalogue.add_record({**fields, "publisher": publisher})
        for name in ("confusers.json", "facts.json"):
            for title, authors, subjects in json.loads((HERE / name).read_text()):
                lib.catalogue.add_record({"title": title, "authors": authors,
                                          "subjects": subjects})
    yield lib
    lib.store.close()


def reciprocal_ranks(lib) -> list[tuple[str, int | None]]:
    out = []
    for query, expected in json.loads((HERE / "queries.json").read_text()):
        titles = [h.title for h in lib.search.search(query, limit=10)]
        rank = next((i + 1 for i, t in enumerate(titles) if t in expected), None)
        out.append((query, rank))
    return out


def test_mean_reciprocal_rank_of_the_expected_titles_should_reach_the_threshold(catalogue):
    ranks = reciprocal_ranks(catalogue)
    mrr = sum(1 / r for _, r in ranks if r) / len(ranks)
    misses = [(q, r) for q, r in ranks if r != 1]
    print(f"MRR {mrr:.3f} over {len(ranks)} queries; not first: {misses}")
    assert mrr >= THRESHOLD, misses


def test_a_title_equal_to_the_query_should_come_before_titles_that_contain_its_words(catalogue):
    titles = [h.title for h in catalogue.search.search("hai dua tre")]
    assert titles[:2] == ["Hai đứa trẻ", "Hai đứa trẻ mồ côi"]
    titles = [h.title for h in catalogue.search.search("giong to")]
    assert titles[:2] == ["Giông tố", "Giông tố miền Trung"]


def test_words_adjacent_in_order_should_come_before_the_same_words_scattered(catalogue):
    titles = [h.title for h in catalogue.search.search("nam cao", limit=60)]
    assert set(titles[:3]) == {"Chí Phèo", "Lão Hạc", "Sống mòn"}
    assert titles.index("Chí Phèo") < titles.index("Truyện ngắn Nam Bộ")


def test_a_whole_word_should_come_before_a_prefix_completion(catalogue):
    titles = [h.title for h in catalogue.search.search("nguyen du", limit=60)]
    assert titles[0] == "Truyện Kiều"
    assert titles.index("Truyện Kiều") < titles.index("Dũng sĩ diệt mỹ")


def test_all_words_in_one_field_should_come_before_words_spread_across_fields(catalogue):
    titles = [h.title for h in catalogue.search.search("to hoai", limit=60)]
    assert titles[0] == "Dế Mèn phiêu lưu ký"
    assert titles.index("Dế Mèn phiêu lưu ký") < titles.index("Tô màu cho bé")
