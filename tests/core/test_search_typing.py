"""Telex and VNI typed without an input method, and "did you mean" from the vocabulary."""

from __future__ import annotations

from kiosk.core.spelling import distance
from kiosk.core.typing_vi import telex, vni
from kiosk.core.text import canonical


def add(lib, title, authors=(), subjects=()):
    return lib.catalogue.add_record({"title": title, "authors": list(authors),
                                     "subjects": list(subjects)})


def ids(hits):
    return [h.id for h in hits]


def library_of_words(lib):
    add(lib, "Thư viện xã: hai mươi năm xây dựng", ["Nguyễn Văn Thu"])
    add(lib, "Thu hoạch lúa", ["Lê Văn Viên"], ["Lúa"])
    add(lib, "Xa quê", ["Trần Thị Xã"])
    add(lib, "Tắt đèn", ["Ngô Tất Tố"])
    add(lib, "Tát nước đêm trăng")
    add(lib, "Dế Mèn phiêu lưu ký", ["Tô Hoài"])


def test_telex_and_vni_words_decode_to_the_canonical_index_form():
    assert telex("thuw") == canonical("thư")
    assert telex("vieenj") == canonical("viện")
    assert telex("nguowif") == canonical("người")
    assert telex("ddaats") == canonical("đất")
    assert vni("thu7") == canonical("thư")
    assert vni("vie6n5") == canonical("viện")
    assert vni("d9a6t1") == canonical("đất")
    assert telex("thu") is None and vni("2020") is None and vni("thu") is None


def test_telex_typed_without_an_input_method_finds_what_diacritics_find_in_the_same_order(lib):
    library_of_words(lib)
    typed = lib.search.search("thư viện xã")
    assert typed[0].title == "Thư viện xã: hai mươi năm xây dựng"
    assert ids(lib.search.search("thuw vieenj xax")) == ids(typed)
    assert ids(lib.search.search("thu7 vie6n5 xa4")) == ids(typed)
    assert ids(lib.search.search("thu vieenj xa4")) == ids(lib.search.search("thu viện xã"))
    assert [h.match for h in lib.search.search("thuw vieenj xax")] == [h.match for h in typed]


def test_a_decoded_query_ranks_exact_diacritics_first_as_if_typed_with_them(lib):
    library_of_words(lib)
    hits = lib.search.search("tatws", prefix=False)
    assert [h.title for h in hits][:1] == ["Tắt đèn"] and hits[0].match == "exact"
    assert ids(lib.search.search("tatws ddenf")) == ids(lib.search.search("tắt đèn"))


def test_the_reading_of_a_telex_query_is_spelled_as_the_catalogue_spells_it(lib):
    library_of_words(lib)
    found = lib.search.find("thuw vieenj xax")
    assert found.reading == "thư viện xã"
    assert lib.search.find("thu vien xa").reading is None


def test_a_word_the_catalogue_holds_is_never_read_as_telex(lib):
    add(lib, "Học lập trình DOS")
    add(lib, "Đó là mùa xuân")
    assert telex("dos") == canonical("dó")
    found = lib.search.find("dos")
    assert found.reading is None
    assert [h.title for h in found.hits] == ["Học lập trình DOS"]


def test_a_word_still_being_typed_is_completed_not_decoded(lib):
    library_of_words(lib)
    assert lib.search.find("phie").reading is None
    assert [h.title for h in lib.search.search("phie")] == ["Dế Mèn phiêu lưu ký"]


def test_a_misspelt_word_gets_the_nearest_catalogue_word_as_a_suggestion(lib):
    library_of_words(lib)
    found = lib.search.find("de mne phieu")
    assert found.hits == []
    assert found.suggestion == "de mèn phieu"
    assert [h.title for h in lib.search.search(found.suggestion)] == ["Dế Mèn phiêu lưu ký"]


def test_between_words_at_the_same_distance_the_more_frequent_one_is_suggested(lib):
    for n in range(3):
        add(lib, f"Trồng lúa tập {n}")
    add(lib, "Lưu trữ hồ sơ")
    assert lib.search.find("luq", prefix=False).suggestion == "lúa"


def test_nothing_is_suggested_when_enough_records_answer_or_no_word_is_near(lib):
    library_of_words(lib)
    add(lib, "Thu hoạch lúa. Tập 2")
    add(lib, "Thu hoạch lúa. Tập 3")
    assert lib.search.find("thu hoach").suggestion is None
    assert lib.search.find("qqqqzzzz").suggestion is None
    assert lib.search.find("xyz").hits == []


def test_the_vocabulary_follows_record_edits(lib):
    record_id = add(lib, "Bản thảo cũ")
    vocabulary = lib.search.vocabulary
    assert vocabulary.frequency("thao") == 1
    lib.catalogue.update_record(record_id, {"title": "Văn hóa Tam Nông"})
    assert vocabulary.frequency("thao") == 0 and vocabulary.frequency("nong") == 1
    assert lib.search.find("ban thaoo").suggestion is None


def test_a_database_made_before_the_vocabulary_existed_gets_it_on_first_search(lib):
    library_of_words(lib)
    lib.store.execute("DELETE FROM search_vocab")     # as migration 6 leaves a full catalogue
    lib.store.execute("DELETE FROM search_titles")
    lib.store.execute("DELETE FROM meta WHERE key = 'search_vocabulary_filled'")
    lib.store.search_vocabulary_ready = False
    assert lib.search.find("thuw vieenj xax").reading == "thư viện xã"
    assert lib.search.vocabulary.frequency("thu") == 3


def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit():
    assert distance("nhta", "nhat") == 1
    assert distance("kieuu", "kieu") == 1
    assert distance("abcdef", "azcdxf") == 2
    assert distance("abc", "xyzabc", cap=2) == 3
