"""MARC21 import as a librarian sees it: what comes in, what is skipped and why."""

from __future__ import annotations

import pytest
from io_test_files import book, df, isbn13, iso2709

from kiosk.core.errors import LibraryError
from kiosk.core.isbn import isbn13_to_10
from kiosk.io.importer import import_file


def titles(lib) -> list[str]:
    return sorted(r["title"] for r in lib.catalogue.iter_records())


def test_utf8_record_fields_are_mapped_for_the_catalogue(library, tmp_path):
    isbn = isbn13(1)
    record = iso2709([
        ("001", "KOHA-1"),
        ("008", "201015s2020    vm            000 0 vie d"),
        ("020", df("  ", ("a", "abc")), ),
        ("020", df("  ", ("a", isbn + " (pbk.) :"), ("c", "45000đ"))),
        ("041", df("0 ", ("a", "vie"))),
        ("082", df("04", ("a", "895.922"))),
        ("100", df("0 ", ("a", "Tô Hoài,"), ("e", "tác giả"))),
        ("245", df("10", ("a", "Dế Mèn phiêu lưu ký :"), ("b", "truyện dài /"),
                   ("c", "Tô Hoài"))),
        ("250", df("  ", ("a", "Tái bản lần thứ 10."))),
        ("264", df(" 1", ("a", "Hà Nội :"), ("b", "Kim Đồng,"), ("c", "c2020."))),
        ("300", df("  ", ("a", "150 tr. :"), ("b", "minh họa ;"), ("c", "21 cm"))),
        ("490", df("0 ", ("a", "Tủ sách vàng ;"), ("v", "3"))),
        ("500", df("  ", ("a", "Sách dành cho thiếu nhi."))),
        ("650", df(" 7", ("a", "Văn học thiếu nhi"), ("z", "Việt Nam"), ("y", "Thế kỷ 20."))),
        ("651", df(" 7", ("a", "Tây Bắc (Việt Nam)"), ("x", "Truyện."))),
        ("700", df("1 ", ("a", "Nguyễn, Văn A."), ("e", "minh họa"))),
        ("856", df("42", ("3", "Ảnh bìa"), ("u", "http://opac.example/cover.jpg"))),
        ("856", df("40", ("3", "Bản đọc thử"), ("u", "http://opac.example/doc-thu.pdf"))),
    ])
    path = tmp_path / "one.mrc"
    path.write_bytes(record)

    report = import_file(library, path)

    assert (report.format, report.created, report.updated, report.rejected) == ("marc", 1, 0, [])
    rec = library.catalogue.find_by_control_number("KOHA-1")
    assert rec["title"] == "Dế Mèn phiêu lưu ký"
    assert rec["subtitle"] == "truyện dài"
    assert rec["authors"] == ["Tô Hoài", "Nguyễn, Văn A."]
    assert rec["isbn13"] == isbn
    assert rec["subjects"] == ["Văn học thiếu nhi -- Việt Nam -- Thế kỷ 20",
                               "Tây Bắc (Việt Nam) -- Truyện"]
    assert (rec["place"], rec["publisher"], rec["year"]) == ("Hà Nội", "Kim Đồng", 2020)
    assert (rec["language"], rec["ddc"], rec["series"]) == ("vie", "895.922", "Tủ sách vàng")
    assert rec["edition"] == "Tái bản lần thứ 10"
    assert rec["physical"] == "150 tr. : minh họa ; 21 cm"
    assert rec["notes"] == "Sách dành cho thiếu nhi"
    assert rec["cover"] == "http://opac.example/cover.jpg"
    links = library.catalogue.attachments_of(rec["id"])
    assert [(a["uri"], a["label"], a["kind"]) for a in links] == [
        ("http://opac.example/doc-thu.pdf", "Bản đọc thử", "link")]
    assert "Đã nhập 1 đầu sách mới" in report.summary_vi()


def test_marc8_record_with_vietnamese_diacritics_is_converted_to_nfc(library, tmp_path):
    # MARC-8 puts combining marks before the base letter: 0xE1 grave, 0xE2 acute,
    # 0xE3 circumflex, 0xE0 hook above, 0xE4 tilde, 0xE6 breve, 0xF2 dot below;
    # 0xA3 is Đ and 0xBD/0xBC are ư/ơ.
    title = b"\xa3\xe3\xe2at r\xe1\xbdng ph\xbd\xbcng Nam"
    author = b"\xa3o\xe1an Gi\xe0oi"
    subject = b"Ti\xe3\xe0eu thuy\xe3\xe2et -- Vi\xe3\xf2et Nam"
    added = b"Nguy\xe3\xe4en \xa3\xe6\xf2ang M\xe1\xbdng"
    raw = iso2709([
        ("100", df("0 ", ("a", author))),
        ("245", df("10", ("a", title))),
        ("650", df(" 4", ("a", subject.split(b" -- ")[0]), ("z", subject.split(b" -- ")[1]))),
        ("700", df("0 ", ("a", added))),
    ], encoding=" ")
    path = tmp_path / "marc8.mrc"
    path.write_bytes(raw)

    report = import_file(library, path)

    assert report.created == 1 and report.rejected == []
    rec = next(iter(library.catalogue.iter_records()))
    assert rec["title"] == "Đất rừng phương Nam"
    assert rec["authors"] == ["Đoàn Giỏi", "Nguyễn Đặng Mừng"]
    assert rec["subjects"] == ["Tiểu thuyết -- Việt Nam"]


def test_corrupt_records_in_the_middle_are_reported_and_the_rest_imported(library, tmp_path):
    good1, good3, good5 = book("Sách một"), book("Sách ba"), book("Sách năm")
    bad_length = book("Sách hai")
    bad_length = b"%05d" % (len(bad_length) + 40) + bad_length[5:]
    cut = book("Sách bốn")
    base = int(cut[12:17])
    cut = cut[:30] + cut[35:]
    cut = b"%05d" % len(cut) + cut[5:12] + b"%05d" % base + cut[17:]
    path = tmp_path / "mixed.mrc"
    path.write_bytes(good1 + bad_length + good3 + cut + good5)

    report = import_file(library, path)

    # A wrong length is certain to be only the length: the terminator and the directory
    # agree, so the record is read and the librarian warned. A damaged directory is not.
    assert titles(library) == ["Sách ba", "Sách hai", "Sách một", "Sách năm"]
    assert report.created == 4
    assert [s.position for s in report.rejected] == [4]
    assert "danh mục trường (directory) hỏng" in report.rejected[0].message
    offset4 = len(good1) + len(bad_length) + len(good3)
    assert report.rejected[0].place.offset == offset4
    assert report.rejected[0].raw == cut
    assert [(w.position, "độ dài khai báo" in w.message) for w in report.warnings] == [(2, True)]
    assert report.warnings[0].place.offset == len(good1)
    assert (report.total, report.imported, len(report.rejected)) == (5, 4, 1)
    assert "bị từ chối 1" in report.summary_vi()
    assert report.details_vi()[0].startswith(f"Bản ghi 4 (vị trí byte {offset4}): ")


def test_a_file_cut_off_mid_record_keeps_the_complete_records(library, tmp_path):
    last = book("Sách cuối")
    path = tmp_path / "cut.mrc"
    path.write_bytes(book("Sách đầu") + last[: len(last) // 2])

    report = import_file(library, path)

    assert titles(library) == ["Sách đầu"]
    assert [s.position for s in report.rejected] == [2]
    assert "cắt cụt" in report.rejected[0].message


def test_a_record_without_title_is_skipped_with_a_reason(library, tmp_path):
    path = tmp_path / "notitle.mrc"
    path.write_bytes(iso2709([("100", df("0 ", ("a", "Ai đó")))]) + book("Có nhan đề"))

    report = import_file(library, path)

    assert titles(library) == ["Có nhan đề"]
    assert report.rejected[0].position == 1 and "nhan đề" in report.rejected[0].message


@pytest.mark.parametrize("name, content, phrase", [
    ("notes.mrc", "Danh sách sách mới tháng 11\nDế Mèn\n".encode(), "không phải MARC21"),
    ("photo.dat", bytes(range(256)) * 4, "không phải MARC21"),
    ("feed.xml", b"<?xml version='1.0'?><rss><channel/></rss>", "không chứa bản ghi MARC"),
    ("empty.mrc", b"", "trống"),
])
def test_a_file_that_is_not_marc_is_refused_clearly(library, tmp_path, name, content, phrase):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(LibraryError) as caught:
        import_file(library, path)

    assert caught.value.code == "invalid_input"
    assert phrase in caught.value.message and name in caught.value.message
    assert library.catalogue.count() == 0


def test_interrupted_import_resumes_without_duplicates(library, tmp_path):
    path = tmp_path / "big.mrc"
    path.write_bytes(b"".join(book(f"Sách số {n}", isbn=isbn13(n)) for n in range(1, 11)))
    calls = []

    def power_cut_after_second_batch(done, total):
        calls.append((done, total))
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(library, path, progress=power_cut_after_second_batch, batch_size=3)
    assert library.catalogue.count() == 6

    resumed = import_file(library, path, progress=lambda d, t: calls.append((d, t)),
                          batch_size=3)

    assert resumed.resumed_from == 6 and resumed.created == 4
    assert "tiếp tục từ bản ghi thứ 7" in resumed.summary_vi()
    assert calls == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert titles(library) == sorted(f"Sách số {n}" for n in range(1, 11))
    again = import_file(library, path, batch_size=3)
    assert again.created == 0 and "đã được nhập xong" in again.summary_vi()
    assert library.catalogue.count() == 10


def test_restarting_a_finished_import_updates_instead_of_duplicating(library, tmp_path):
    path = tmp_path / "twice.mrc"
    path.write_bytes(book("Một", control="C1") + book("Hai", isbn=isbn13(2)))
    import_file(library, path)

    report = import_file(library, path, restart=True)

    assert (report.created, report.updated) == (0, 2)
    assert titles(library) == ["Hai", "Một"]


def test_matching_by_control_number_and_by_isbn_updates_the_existing_record(library, tmp_path):
    by_control = library.catalogue.add_record(
        {"title": "Tên cũ", "control_number": "KOHA-17", "ddc": "895.922"})
    by_isbn = library.catalogue.add_record({"title": "Nhan đề cũ", "isbn13": isbn13(5)})
    isbn10 = isbn13_to_10(isbn13(5))
    path = tmp_path / "updates.mrc"
    path.write_bytes(
        book("Tên mới", control="KOHA-17", author="Nam Cao")
        + book("Nhan đề mới", control="OTHER-9",
               isbn=f"{isbn10[:3]}-{isbn10[3:9]}-{isbn10[9]} (bìa mềm)"))

    report = import_file(library, path)

    assert (report.created, report.updated) == (0, 2)
    first = library.catalogue.get_record(by_control)
    assert (first["title"], first["authors"], first["ddc"]) == ("Tên mới", ["Nam Cao"], "895.922")
    assert library.catalogue.get_record(by_isbn)["title"] == "Nhan đề mới"


def test_same_control_number_with_another_isbn_is_a_different_book(library, tmp_path):
    library.catalogue.add_record({"title": "Sách A", "control_number": "1", "isbn13": isbn13(1)})
    path = tmp_path / "other-system.mrc"
    path.write_bytes(book("Sách B", control="1", isbn=isbn13(2)))

    report = import_file(library, path)

    assert report.created == 1
    assert titles(library) == ["Sách A", "Sách B"]


def test_items_from_952_and_852_with_an_existing_barcode_skipped(library, tmp_path):
    other = library.catalogue.add_record({"title": "Sách khác"})
    library.catalogue.add_item(other, "TN0009")
    path = tmp_path / "holdings.mrc"
    path.write_bytes(book("Số đỏ", author="Vũ Trọng Phụng", extra=[
        ("952", df("  ", ("a", "TN-HUNGLO"), ("b", "TN-HUNGLO"), ("c", "Kho mở"),
                   ("g", "45000.00"), ("o", "895.922 V500PH"), ("p", "TN0001"), ("y", "CR"))),
        ("952", df("  ", ("c", "Góc thiếu nhi"), ("g", "32.000 đ"), ("p", "TN0002"),
                   ("y", "JUV"))),
        ("952", df("  ", ("p", "TN0009"), ("y", "BK"))),
        ("852", df("  ", ("b", "TN-PHUTHO"), ("c", "Kho đóng"), ("h", "895.922"),
                   ("i", "V500PH"), ("p", "TN0003"))),
    ]))

    report = import_file(library, path)

    rec = next(r for r in library.catalogue.iter_records() if r["title"] == "Số đỏ")
    items = {i["barcode"]: i for i in library.catalogue.items_of(rec["id"])}
    assert sorted(items) == ["TN0001", "TN0002", "TN0003"]
    assert report.items_created == 3
    first = items["TN0001"]
    assert (first["library_id"], first["location"], first["call_number"], first["item_type"],
            first["price"]) == ("TN-HUNGLO", "Kho mở", "895.922 V500PH", "periodical", 45000)
    second = items["TN0002"]
    assert (second["library_id"], second["item_type"], second["price"]) == (
        "TN-PHUTHO", "children", 32000)
    third = items["TN0003"]
    assert (third["location"], third["call_number"]) == ("Kho đóng", "895.922 V500PH")
    assert report.rejected == [] and report.imported == 1
    assert len(report.warnings) == 1 and "TN0009" in report.warnings[0].message
    assert "Sách khác" in report.warnings[0].message


MARCXML = """<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim">
  <record>
    <leader>00000nam a2200000 a 4500</leader>
    <controlfield tag="001">X1</controlfield>
    <datafield tag="100" ind1="0" ind2=" ">
      <subfield code="a">Nguyễn Nhật Ánh,</subfield>
    </datafield>
    <datafield tag="245" ind1="1" ind2="0">
      <subfield code="a">Mắt biếc /</subfield><subfield code="c">Nguyễn Nhật Ánh</subfield>
    </datafield>
    <datafield tag="650" ind1=" " ind2="4"><subfield code="a">Truyện dài</subfield></datafield>
    <datafield tag="952" ind1=" " ind2=" "><subfield code="p">TN0100</subfield></datafield>
  </record>
  <record>
    <datafield tag="24" ind1="1" ind2="0"><subfield code="a">Nhãn hỏng</subfield></datafield>
  </record>
  <record>
    <controlfield tag="001">X3</controlfield>
    <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Tắt đèn.</subfield></datafield>
  </record>
</collection>
"""


def test_marcxml_import_keeps_good_records_and_reports_the_bad_one(library, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(MARCXML, encoding="utf-8")

    report = import_file(library, path)

    assert report.format == "marcxml"
    assert titles(library) == ["Mắt biếc", "Tắt đèn"]
    rec = library.catalogue.find_by_control_number("X1")
    assert rec["authors"] == ["Nguyễn Nhật Ánh"] and rec["subjects"] == ["Truyện dài"]
    assert [i["barcode"] for i in library.catalogue.items_of(rec["id"])] == ["TN0100"]
    assert [(s.position, "nhãn không hợp lệ" in s.message) for s in report.rejected] == [(2, True)]


def test_marcxml_broken_mid_file_keeps_the_records_before(library, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(MARCXML.split("<record>\n    <controlfield tag=\"001\">X3")[0]
                    + "<record><datafield", encoding="utf-8")

    report = import_file(library, path)

    assert titles(library) == ["Mắt biếc"]
    assert [p.position for p in report.rejected] == [2, 3]
    assert "cắt cụt" in report.rejected[-1].message
    assert report.rejected[-1].raw == b"<record><datafield"
    assert (report.total, report.imported) == (3, 1)
