"""Export then import into another library: a librarian finds the same books and copies."""

from __future__ import annotations

import pytest
from io_test_files import isbn13

from kiosk.core.errors import LibraryError
from kiosk.io.importer import export_file, import_file


def fill(lib) -> None:
    cat = lib.catalogue
    first = cat.add_record({
        "title": "Dế Mèn phiêu lưu ký", "subtitle": "truyện dài", "authors": ["Tô Hoài"],
        "isbn13": isbn13(1), "subjects": ["Văn học thiếu nhi -- Việt Nam"], "year": 2020,
        "ddc": "895.922", "publisher": "Kim Đồng", "place": "Hà Nội", "language": "vie",
        "series": "Tủ sách vàng", "edition": "Tái bản lần thứ 10", "physical": "150 tr. ; 21 cm",
        "notes": "Có minh họa", "cover": "http://opac.example/cover.jpg"})
    cat.add_item(first, "TN0001", location="Kho mở", call_number="895.922 T450H",
                 item_type="children", price=45000)
    cat.add_item(first, "TN0002", library_id="TN-HUNGLO", item_type="reference")
    cat.add_attachment(first, "http://opac.example/doc-thu.pdf", kind="link", label="Đọc thử")
    second = cat.add_record({"title": "Truyện Kiều", "authors": ["Nguyễn Du", "Đào Duy Anh"],
                             "subjects": ["Thơ", "Văn học cổ điển -- Việt Nam -- Thế kỷ 19"]})
    cat.add_item(second, "TN0003", item_type="book", price=60000)
    cat.add_record({"title": "Báo Nhân Dân", "control_number": "PER-1"})


def snapshot(lib) -> list[tuple]:
    out = []
    for rec in lib.catalogue.iter_records():
        items = tuple(
            (i["barcode"], i["library_id"], i["location"], i["call_number"], i["item_type"],
             i["price"]) for i in lib.catalogue.items_of(rec["id"]))
        out.append((rec["title"], rec["subtitle"], tuple(rec["authors"]), rec["isbn13"],
                    tuple(rec["subjects"]), rec["year"], rec["publisher"], rec["place"],
                    rec["series"], rec["edition"], rec["notes"], items))
    return sorted(out)


@pytest.mark.parametrize("fmt, name", [("marc", "all.mrc"), ("marcxml", "all.xml"),
                                       ("csv", "all.csv")])
def test_catalogue_round_trip_gives_the_same_books(new_library, tmp_path, fmt, name):
    source, target = new_library(), new_library("TN-HUNGLO")
    fill(source)
    path = tmp_path / name

    written = export_file(source, path, format=fmt)
    report = import_file(target, path)

    assert written == (4 if fmt == "csv" else 3)
    assert report.format == fmt and report.rejected == [] and report.warnings == []
    assert report.imported == report.total and report.check()
    assert (report.created, report.items_created) == (3, 3)
    assert snapshot(target) == snapshot(source)


def test_marc_export_keeps_cover_and_links(new_library, tmp_path):
    source, target = new_library(), new_library()
    fill(source)
    export_file(source, tmp_path / "all.mrc")
    import_file(target, tmp_path / "all.mrc")

    rec = target.catalogue.find_by_isbn(isbn13(1))
    assert rec["cover"] == "http://opac.example/cover.jpg"
    assert [(a["uri"], a["label"]) for a in target.catalogue.attachments_of(rec["id"])] == [
        ("http://opac.example/doc-thu.pdf", "Đọc thử")]


def test_marc_export_is_utf8_iso2709(library, tmp_path):
    fill(library)
    path = tmp_path / "all.mrc"
    export_file(library, path)

    data = path.read_bytes()
    records = data.split(b"\x1d")[:-1]
    assert len(records) == 3
    assert all(r[9:10] == b"a" and int(r[:5]) == len(r) + 1 for r in records)
    assert "Dế Mèn phiêu lưu ký".encode() in data
    assert not (tmp_path / "all.mrc.partial").exists()


def test_patrons_can_only_be_exported_as_csv(library, tmp_path):
    with pytest.raises(LibraryError) as caught:
        export_file(library, tmp_path / "p.mrc", format="marc", what="patrons")
    assert "CSV" in caught.value.message
