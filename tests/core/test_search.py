import unicodedata

from kiosk.core.ranking import ROW
from kiosk.core.search_filters import Filters



def add(lib, title, authors=(), subjects=(), isbn=None, barcodes=(), **extra):
    record_id = lib.catalogue.add_record({"title": title, "authors": list(authors),
                                          "subjects": list(subjects), "isbn13": isbn, **extra})
    for barcode in barcodes:
        lib.catalogue.add_item(record_id, barcode)
    return record_id


def titles(hits):
    return [h.title for h in hits]


def test_typing_without_diacritics_finds_vietnamese_titles(lib):
    add(lib, "Lịch sử Đồng Tháp")
    add(lib, "Kỹ thuật nuôi cá lóc")
    assert titles(lib.search.search("dong thap")) == ["Lịch sử Đồng Tháp"]
    assert titles(lib.search.search("nuoi ca loc")) == ["Kỹ thuật nuôi cá lóc"]


def test_upper_case_and_nfd_queries_match_nfc_records(lib):
    add(lib, "Dế Mèn phiêu lưu ký", ["Tô Hoài"])
    assert titles(lib.search.search("DẾ MÈN")) == ["Dế Mèn phiêu lưu ký"]
    assert titles(lib.search.search(unicodedata.normalize("NFD", "dế mèn"))) == ["Dế Mèn phiêu lưu ký"]
    nfd_record = unicodedata.normalize("NFD", "Tuổi thơ dữ dội")
    add(lib, nfd_record)
    assert titles(lib.search.search("tuổi thơ")) == ["Tuổi thơ dữ dội"]


def test_old_and_new_tone_placement_find_each_other_as_exact_matches(lib):
    add(lib, "Thuỷ Hử")
    add(lib, "Hòa bình xanh")
    [hit] = lib.search.search("Thủy")
    assert hit.title == "Thuỷ Hử" and hit.match == "exact"
    [hit] = lib.search.search("hoà bình")
    assert hit.title == "Hòa bình xanh" and hit.match == "exact"


def test_exact_diacritics_rank_above_folded_matches(lib):
    add(lib, "Bà già kể chuyện")  # folds to "ba gia"
    add(lib, "Ba người bạn")      # exact "ba"
    add(lib, "Bá vương")          # folds to "ba"
    hits = lib.search.search("Bà", prefix=False)
    assert hits[0].title == "Bà già kể chuyện"
    assert hits[0].match == "exact"
    assert {h.match for h in hits[1:]} == {"folded"}


def test_title_matches_rank_above_subject_only_matches(lib):
    for n in range(5):
        add(lib, f"Sổ tay nông dân tập {n}", subjects=["Sếu đầu đỏ", "Sếu đầu đỏ -- Bảo tồn"])
    add(lib, "Sếu đầu đỏ ở Tràm Chim", subjects=["Chim"])
    hits = lib.search.search("seu dau do")
    assert hits[0].title == "Sếu đầu đỏ ở Tràm Chim"
    assert len(hits) == 6


def test_prefix_search_returns_results_as_the_patron_types(lib):
    add(lib, "Nguyễn Du và Truyện Kiều", ["Nguyễn Du"])
    add(lib, "Người mẹ cầm súng")
    assert "Nguyễn Du và Truyện Kiều" in titles(lib.search.search("nguy"))
    assert set(titles(lib.search.search("ng"))) == {"Nguyễn Du và Truyện Kiều", "Người mẹ cầm súng"}
    assert titles(lib.search.search("truyen ki")) == ["Nguyễn Du và Truyện Kiều"]


def test_authors_publisher_and_series_are_searched(lib):
    add(lib, "Cho tôi xin một vé đi tuổi thơ", ["Nguyễn Nhật Ánh"], publisher="Trẻ",
        series="Tủ sách Tuổi hoa")
    assert titles(lib.search.search("nguyen nhat anh")) == ["Cho tôi xin một vé đi tuổi thơ"]
    assert titles(lib.search.search("tu sach tuoi hoa")) == ["Cho tôi xin một vé đi tuổi thơ"]


def test_isbn13_isbn10_and_hyphenated_isbn_find_the_same_record(lib):
    record_id = add(lib, "Cẩm nang trồng lúa", isbn="0-306-40615-2")
    for query in ["9780306406157", "0306406152", "978-0-306-40615-7", "0-306-40615-2"]:
        hits = lib.search.search(query)
        assert [h.id for h in hits] == [record_id], query
        assert hits[0].isbn13 == "9780306406157"


def test_an_item_barcode_finds_its_record(lib):
    record_id = add(lib, "Sổ tay chăn nuôi", barcodes=["PT009999"])
    assert [h.id for h in lib.search.search("PT009999")] == [record_id]


def test_results_carry_availability_on_shelf_on_loan_and_held(lib, patron, clock):
    record_id = add(lib, "Đất rừng phương Nam", ["Đoàn Giỏi"],
                    barcodes=["PT1", "PT2", "PT3"])
    other = lib.patrons.add("Lê Văn Tám", "adult")
    lib.circulation.checkout(patron["card_number"], "PT1")
    lib.circulation.checkout(patron["card_number"], "PT2")
    lib.holds.place(other["card_number"], record_id)
    lib.circulation.checkin("PT2")  # trapped for Lê Văn Tám
    [hit] = lib.search.search("dat rung phuong nam")
    assert (hit.available, hit.on_loan, hit.held, hit.total) == (1, 1, 1, 3)


def test_empty_and_punctuation_only_queries_return_nothing(lib):
    add(lib, "Truyện Kiều")
    assert lib.search.search("") == []
    assert lib.search.search("  -- ") == []
    assert lib.search.search('"kieu') and lib.search.search("kiều)")[0].title == "Truyện Kiều"


def test_edited_title_is_found_by_its_new_words_only(lib):
    record_id = add(lib, "Bản thảo cũ")
    lib.catalogue.update_record(record_id, {"title": "Văn hóa Tam Nông"})
    assert titles(lib.search.search("tam nong")) == ["Văn hóa Tam Nông"]
    assert lib.search.search("ban thao") == []


def test_ranking_reads_the_same_texts_as_the_index_holds(lib):
    """The ranking's rows come from FTS5's shadow table, not the virtual table: each
    column must be the one indexed under that name (a column added to the index would
    shift them: the search then falls back to the virtual table)."""
    add(lib, "Đất rừng phương Nam", authors=["Đoàn Giỏi"], subjects=["Văn học thiếu nhi"],
        series="Tủ sách vàng", publisher="Kim Đồng")
    add(lib, "Sổ tay nuôi cá lóc")
    rids = [r[0] for r in lib.store.all("SELECT rowid FROM records_fts")]
    search = lib.search
    read = {r[0]: dict(zip(ROW, r)) for r in search._rows(rids, titled=True)}
    indexed = {r["rowid"]: dict(r) for r in lib.store.all(
        "SELECT f.rowid, f.title, f.authors, f.series, f.publisher, f.subjects, f.title_f, "
        "f.authors_f, f.series_f, f.publisher_f, f.subjects_f, t.title AS main "
        "FROM records_fts f LEFT JOIN search_titles t ON t.rid = f.rowid")}
    assert search._content is True
    assert read == indexed
    assert read[rids[0]]["authors_f"] == "doan gioi"
    assert read[rids[0]]["series_f"] == "tu sach vang"


def test_hits_can_come_before_their_count_and_the_count_says_what_find_would(lib):
    """A screen shows the hits of a large match set at once and "N kết quả" when counted:
    ``count=False`` leaves the total unknown only when more match than were ranked."""
    for n in range(45):
        add(lib, f"Kỹ thuật nuôi ếch {n + 1}", subjects=["Thủy sản"], year=2000 + n % 20)
    add(lib, "Nuôi ếch thịt")
    for query, filters in (("ky thuat nuoi ech", None), ("ech", None),
                           ("ky thuat nuoi ech", Filters(year_from=2001))):
        early = lib.search.find(query, count=False, filters=filters)
        counted = lib.search.find(query, filters=filters)
        assert early.total is None and len(early.hits) == 20, query
        assert [h.id for h in early.hits] == [h.id for h in counted.hits]
        assert lib.search.count(query, filters=filters) == counted.total
    assert lib.search.count("ky thuat nuoi ech") == 45
    assert lib.search.count("ech") == 46
    few = lib.search.find("nuoi ech thit", count=False)
    assert few.total == 1 and few.hits[0].title == "Nuôi ếch thịt"
    assert lib.search.count("") == 0 and lib.search.find("zzzz", count=False).total == 0
