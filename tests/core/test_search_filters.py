"""Search filters (issue 16) narrow the whole match set: the count, every page and the
choices offered agree with the database, and the ranking is the unfiltered one."""

from __future__ import annotations

import pytest

from kiosk.core import search as search_module
from kiosk.core.errors import LibraryError
from kiosk.core.search_filters import Filters, decade_ranges
from search_filter_data import OTHER_LIBRARY, dong_thap_shelf

QUERY = "dong thap"
ALL = 1000


@pytest.fixture(params=["bm25", "large match"])
def shelf(request, lib, monkeypatch):
    """Both ways candidates are found: bm25 over the match set, and the ranking tiers a
    match set too large for bm25 takes (``POOL`` lowered to a handful)."""
    if request.param == "large match":
        monkeypatch.setattr(search_module, "POOL", 3)
    return dong_thap_shelf(lib)


def _matching(lib) -> set[str]:
    """Record ids that hold both words, read from the records themselves."""
    rows = lib.store.all("SELECT id, title, subjects FROM records")
    return {r["id"] for r in rows if "Đồng Tháp" in r["title"] or "Đồng Tháp" in r["subjects"]}


def _ids(lib, filters: Filters | None = None, limit: int = ALL) -> list[str]:
    return [h.id for h in lib.search.find(QUERY, limit=limit, filters=filters).hits]


def test_available_now_counts_and_lists_only_titles_with_a_copy_on_the_shelf_here(lib, shelf):
    on_shelf = {r[0] for r in lib.store.all(
        "SELECT DISTINCT i.record_id FROM items i WHERE i.library_id = ? "
        "AND i.status = 'available' AND i.id NOT IN (SELECT item_id FROM loans) "
        "AND i.id NOT IN (SELECT item_id FROM holds WHERE status = 'trapped' "
        "AND item_id IS NOT NULL)", (lib.code,))}
    expected = _matching(lib) & on_shelf
    assert expected == {s["id"] for s in shelf if s["available"]} and len(expected) == 7
    found = lib.search.find(QUERY, limit=5, filters=Filters(available=True))
    assert found.total == len(expected)
    assert len(found.hits) == 5 and all(h.available >= 1 for h in found.hits)
    assert set(_ids(lib, Filters(available=True))) == expected


def test_a_subject_keeps_only_its_titles_and_the_count_is_the_databases(lib, shelf):
    expected = {r[0] for r in lib.store.all(
        "SELECT r.id FROM records r, json_each(r.subjects) j WHERE j.value = 'Thủy sản'")}
    expected &= _matching(lib)
    assert len(expected) == 12
    found = lib.search.find(QUERY, limit=5, filters=Filters(subject="Thủy sản"))
    assert found.total == 12 and len(found.hits) == 5
    assert set(_ids(lib, Filters(subject="Thủy sản"))) == expected


def test_a_year_range_keeps_the_titles_published_in_it_and_drops_those_without_a_year(lib, shelf):
    expected = {r[0] for r in lib.store.all(
        "SELECT id FROM records WHERE year BETWEEN 2000 AND 2009")} & _matching(lib)
    assert expected == {s["id"] for s in shelf if s["year"] and 2000 <= s["year"] <= 2009}
    found = lib.search.find(QUERY, limit=3, filters=Filters(year_from=2000, year_to=2009))
    assert found.total == len(expected) and len(found.hits) == 3
    assert set(_ids(lib, Filters(year_from=2000, year_to=2009))) == expected
    before = {s["id"] for s in shelf if s["year"] and s["year"] <= 1989}
    assert set(_ids(lib, Filters(year_to=1989))) == before


def test_filters_combine_and_keep_the_unfiltered_ranking(lib, shelf):
    filters = Filters(available=True, subject="Lịch sử địa phương", year_from=1990)
    by_id = {s["id"]: s for s in shelf}
    ranked = _ids(lib)
    wanted = [i for i in ranked if i in by_id and by_id[i]["available"]
              and "Lịch sử địa phương" in by_id[i]["subjects"]
              and (by_id[i]["year"] or 0) >= 1990]
    assert wanted and _ids(lib, filters) == wanted
    assert lib.search.find(QUERY, limit=2, filters=filters).total == len(wanted)
    assert _ids(lib, filters, limit=2) == wanted[:2]      # the first page of the same list


def test_no_filter_finds_what_search_always_found(lib, shelf):
    found = lib.search.find(QUERY, limit=20, filters=Filters())
    assert found.total == len(_matching(lib)) == 36
    assert [h.id for h in found.hits] == _ids(lib, None, 20)


def test_choices_are_the_subjects_and_decades_among_the_matches_most_frequent_first(lib, shelf):
    facets = lib.search.facets(QUERY)
    assert facets.subjects == ["Lịch sử địa phương", "Thủy sản", "Đồng Tháp", "Văn học thiếu nhi"]
    assert facets.years == [(2010, 2019), (2000, 2009), (1990, 1999), (1980, 1989)]
    assert lib.search.facets("ky thuat nuoi").subjects == ["Thủy sản"]


def test_choices_follow_the_other_filters(lib, shelf):
    on_shelf = [s for s in shelf if s["available"]]
    facets = lib.search.facets(QUERY, filters=Filters(available=True, subject="Thủy sản"))
    subjects = {subject for s in on_shelf for subject in s["subjects"]}
    assert set(facets.subjects) == subjects                # the subject chosen does not hide others
    years = {s["year"] // 10 * 10 for s in on_shelf if "Thủy sản" in s["subjects"] and s["year"]}
    assert {low for low, _high in facets.years} == years


def test_an_isbn_or_a_barcode_obeys_the_filters_too(lib, shelf):
    assert [h.id for h in lib.search.find("DT0001", filters=Filters(available=True)).hits] == [
        shelf[1]["id"]]
    assert lib.search.find("DT0002", filters=Filters(available=True)).hits == []
    assert lib.search.facets("DT0002").subjects == []


def test_decades_beyond_five_become_one_range_before_the_oldest_shown():
    assert decade_ranges([1962, 1975, 1988, 1991, 2004, 2013, None]) == [
        (2010, 2019), (2000, 2009), (1990, 1999), (1980, 1989), (None, 1979)]
    assert decade_ranges([]) == []


@pytest.mark.parametrize("fields", [
    {"year_from": "1990 OR 1=1"}, {"year_to": 10 ** 6}, {"year_from": True},
    {"year_from": 2010, "year_to": 2000}, {"subject": "x" * 201}, {"subject": "  "},
    {"subject": 7}, {"available": "yes"},
])
def test_hostile_filters_are_refused_before_any_query(fields):
    with pytest.raises(LibraryError) as refused:
        Filters(**fields)
    assert refused.value.code == "invalid_input"


def test_a_subject_full_of_sql_finds_nothing_and_changes_nothing(lib, shelf):
    before = lib.store.scalar("SELECT COUNT(*) FROM records")
    hostile = "Thủy sản'); DROP TABLE records; --"
    found = lib.search.find(QUERY, filters=Filters(subject=hostile))
    assert found.hits == [] and found.total == 0 and found.suggestion is None
    assert lib.search.facets(QUERY, filters=Filters(subject=hostile)).subjects
    assert lib.store.scalar("SELECT COUNT(*) FROM records") == before


def test_copies_of_another_library_do_not_make_a_title_available_here(lib, shelf):
    elsewhere = {s["id"] for n, s in enumerate(shelf) if n % 5 == 3}
    assert lib.store.scalar("SELECT COUNT(*) FROM items WHERE library_id = ?",
                            (OTHER_LIBRARY,)) == len(elsewhere)
    assert not elsewhere & set(_ids(lib, Filters(available=True)))
