"""Readers also borrowed: the privacy floor, a patron's own borrowings left out, no patron
in what is shown; and the shelves by Dewey class."""

from __future__ import annotations

import pytest

from kiosk.core import ddc, shelf
from kiosk.core.recommend import CoBorrowing, Recommender, borrowings
from tests.borrowing_data import add_readers, add_titles, co_borrowing_library, lend


def test_a_pair_borrowed_by_four_patrons_stays_hidden_and_by_five_is_shown(lib):
    titles = add_titles(lib)
    cards = add_readers(lib, 5)
    kieu, so_do = titles["kieu"], titles["so_do"]
    for card in cards[:4]:
        lend(lib, card, [kieu[1], so_do[1]])
    recommender = Recommender()
    recommender.refresh(lib.store, lib.code)
    assert recommender.similar(kieu[0]) == [] and recommender.similar(so_do[0]) == []
    lend(lib, cards[4], [kieu[1], so_do[1]])
    recommender.refresh(lib.store, lib.code)
    assert recommender.similar(kieu[0]) == [so_do[0]]
    assert recommender.similar(so_do[0]) == [kieu[0]]


def test_the_same_patron_borrowing_a_pair_again_counts_once(lib):
    titles = add_titles(lib)
    cards = add_readers(lib, 4)
    for card in cards:
        lend(lib, card, [titles["kieu"][1], titles["so_do"][1]])
    lend(lib, cards[0], [titles["kieu"][1], titles["so_do"][1]])
    assert Recommender().refresh(lib.store, lib.code).similar(titles["kieu"][0]) == []


def test_a_patrons_suggestions_leave_out_what_they_borrowed(lib):
    titles, cards = co_borrowing_library(lib)
    recommender = Recommender()
    recommender.refresh(lib.store, lib.code)
    sixth = lib.patrons.get(cards[5])["id"]
    first = lib.patrons.get(cards[0])["id"]
    assert recommender.for_patron(lib.store, sixth) == [titles["ca_tra"][0]]
    assert recommender.for_patron(lib.store, first) == []  # borrowed both already


def test_nothing_the_model_holds_or_answers_names_a_patron(lib):
    titles, cards = co_borrowing_library(lib)
    model = Recommender().refresh(lib.store, lib.code)
    patrons = [lib.patrons.get(c) for c in cards]
    shown = repr(model.neighbours) + repr(model.similar(titles["ca_loc"][0]))
    assert model.similar(titles["ca_loc"][0]) == [titles["ca_tra"][0]]
    for patron in patrons:
        for secret in (patron["id"], patron["card_number"], patron["name"]):
            assert secret not in shown
    listed = shelf.titles(lib.store, lib.code, model.similar(titles["ca_loc"][0]))
    assert [t["title"] for t in listed] == ["Kỹ thuật nuôi cá tra"]
    assert set(listed[0]) == {"id", "title", "authors", "ddc", "call_number", "copies",
                              "available", "on_loan", "held"}


def test_similarity_prefers_the_title_shared_by_a_larger_part_of_its_readers():
    pairs = [(f"p{n}", "a") for n in range(10)] + [(f"p{n}", "b") for n in range(6)]
    pairs += [(f"p{n}", "c") for n in range(5)] + [(f"q{n}", "c") for n in range(30)]
    model = CoBorrowing.build(pairs, floor=5)
    assert model.similar("a") == ["b", "c"]
    assert model.for_history(["a"]) == ["b", "c"] and model.for_history(["a", "b"]) == ["c"]


def test_borrowings_come_from_checkouts_of_this_library_only(lib):
    titles = add_titles(lib)
    cards = add_readers(lib, 1)
    lend(lib, cards[0], [titles["lua"][1]])
    assert len(borrowings(lib.store, lib.code)) == 1
    assert borrowings(lib.store, "TN-KHAC") == []


def test_shelves_list_a_divisions_titles_in_shelf_order_with_what_is_on_the_shelf(lib):
    titles = add_titles(lib)
    cards = add_readers(lib, 1)
    lib.circulation.checkout(cards[0], titles["ca_tra"][1])
    mains, divisions = shelf.class_counts(lib.store, lib.code)
    assert mains == {"300": 1, "600": 3, "800": 2}
    assert divisions == {"340": 1, "630": 3, "890": 2}
    page = shelf.titles_of_class(lib.store, lib.code, "630")
    assert page["name"] == "Nông nghiệp" and page["total"] == 3
    assert [(t["title"], t["available"], t["on_loan"]) for t in page["titles"]] == [
        ("Trồng lúa chất lượng cao", 1, 0), ("Kỹ thuật nuôi cá lóc", 1, 0),
        ("Kỹ thuật nuôi cá tra", 0, 1)]
    assert shelf.titles_of_class(lib.store, lib.code, "510")["titles"] == []
    with pytest.raises(ValueError):
        shelf.titles_of_class(lib.store, lib.code, "8%' OR 1=1 --")


def test_the_dewey_table_has_ten_classes_each_with_its_divisions_in_vietnamese():
    assert list(ddc.MAIN_CLASSES) == [f"{n}00" for n in range(10)]
    assert ddc.MAIN_CLASSES["800"] == "Văn học" and ddc.name_of("630") == "Nông nghiệp"
    for main in ddc.MAIN_CLASSES:
        codes = [code for code, _ in ddc.divisions_of(main)]
        assert codes[0] == main and len(codes) >= 9
    assert ddc.class_of("895.9223") == "890" and ddc.class_of(None) is None
    assert ddc.class_of("X12") is None
