"""CSV import and export for Excel users: BOM, separators, bad rows with their line."""

from __future__ import annotations

from io_test_files import isbn13

from kiosk.io.importer import export_file, import_file


def test_catalogue_csv_has_a_bom_and_one_row_per_copy(library, tmp_path):
    rid = library.catalogue.add_record({"title": "Số đỏ", "authors": ["Vũ Trọng Phụng"]})
    library.catalogue.add_item(rid, "TN0001")
    library.catalogue.add_item(rid, "TN0002")
    library.catalogue.add_record({"title": "Chí Phèo"})
    path = tmp_path / "sach.csv"

    assert export_file(library, path, format="csv") == 3

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("record_id,title,subtitle,authors,")
    assert sum("Số đỏ" in line for line in lines) == 2


def test_catalogue_csv_from_excel_with_semicolons_and_bad_rows(library, tmp_path):
    path = tmp_path / "nhap.csv"
    path.write_text(
        "title;authors;year;isbn13;subjects;notes;barcode;item_type;price\n"
        f'Tắt đèn;Ngô Tất Tố;1939;{isbn13(7)};"Tiểu thuyết; Việt Nam";;TN0101;book;30.000\n'
        ";Không tên;2000;;;;TN0102;book;\n"
        'Vợ nhặt;Kim Lân;1955;;;"Ghi chú\nhai dòng";TN0103;book;\n'
        "Lão Hạc;Nam Cao;năm xưa;;;;TN0104;book;\n"
        "Chí Phèo;Nam Cao;1941;;;;TN0105;sach;\n"
        "Đời thừa;Nam Cao;1943;;;;TN0106;children;abc\n",
        encoding="utf-8")

    report = import_file(library, path)

    assert report.format == "csv"
    titles = sorted(r["title"] for r in library.catalogue.iter_records())
    assert titles == ["Chí Phèo", "Tắt đèn", "Vợ nhặt", "Đời thừa"]
    assert [s.position for s in report.rejected] == [3, 6, 7, 8]
    assert "nhan đề" in report.rejected[0].message
    assert "năm xuất bản" in report.rejected[1].message
    assert "loại tài liệu" in report.rejected[2].message
    assert "giá" in report.rejected[3].message
    assert report.details_vi()[0].startswith("Dòng 3: ")
    tat_den = library.catalogue.find_by_isbn(isbn13(7))
    assert tat_den["authors"] == ["Ngô Tất Tố"]
    assert tat_den["subjects"] == ["Tiểu thuyết", "Việt Nam"]
    assert library.catalogue.item_by_barcode("TN0101")["price"] == 30000


def test_csv_rows_of_one_record_become_its_copies(new_library, tmp_path):
    source, target = new_library(), new_library()
    rid = source.catalogue.add_record({"title": "Số đỏ"})
    for barcode in ("TN0001", "TN0002", "TN0003"):
        source.catalogue.add_item(rid, barcode)
    export_file(source, tmp_path / "a.csv", format="csv")

    import_file(target, tmp_path / "a.csv", batch_size=1)

    assert target.catalogue.count() == 1
    rec = next(iter(target.catalogue.iter_records()))
    assert len(target.catalogue.items_of(rec["id"])) == 3


def test_patrons_round_trip_without_pin_hashes(new_library, tmp_path):
    source, target = new_library(), new_library()
    source.patrons.add("Nguyễn Thị Hoa", "student", birth_year=2008, phone="0912345678",
                       commune="Phú Thọ", address="Xóm Đồng", pin="1234",
                       card_number="TN-PHUTHO000001", expires_on="2027-11-20")
    source.patrons.add("Trần Văn Bình", "elderly", card_number="TN-PHUTHO000002")
    path = tmp_path / "ban-doc.csv"

    assert export_file(source, path, format="csv", what="patrons") == 2
    text = path.read_text(encoding="utf-8-sig")
    assert "pin" not in text.splitlines()[0] and "pbkdf2" not in text.lower()
    report = import_file(target, path)

    assert (report.format, report.created, report.rejected) == ("csv-patrons", 2, [])
    assert "Đã nhập 2 bạn đọc mới" in report.summary_vi()
    hoa = target.patrons.get("TN-PHUTHO000001")
    assert (hoa["name"], hoa["category"], hoa["birth_year"], hoa["phone"], hoa["commune"],
            hoa["address"], hoa["expires_on"], hoa["has_pin"]) == (
        "Nguyễn Thị Hoa", "student", 2008, "0912345678", "Phú Thọ", "Xóm Đồng", "2027-11-20",
        False)
    assert target.patrons.get("TN-PHUTHO000002")["category"] == "elderly"


def test_patron_csv_with_bad_rows_and_an_update(library, tmp_path):
    library.patrons.add("Lê Văn Cũ", "adult", card_number="C001")
    path = tmp_path / "patrons.csv"
    path.write_bytes(
        "\ufeffcard_number,name,category,birth_year,expires_on\n"
        "C001,Lê Văn Mới,,,31/12/2027\n"
        "C002,Phạm Thị Lan,Học sinh, sinh viên,2010,\n".encode()
        + "C003,Hoàng Minh,học sinh,2010,\n".encode()
        + "C004,,adult,1990,\n".encode()
        + "C005,Đỗ An,Người cao tuổi,1950,\n".encode())

    report = import_file(library, path)

    assert (report.created, report.updated) == (1, 1)
    assert [s.position for s in report.rejected] == [3, 4, 5]
    assert "đối tượng" in report.rejected[1].message
    assert "họ tên" in report.rejected[2].message
    updated = library.patrons.get("C001")
    assert (updated["name"], updated["category"], updated["expires_on"]) == (
        "Lê Văn Mới", "adult", "2027-12-31")
    assert library.patrons.get("C005")["category"] == "elderly"
