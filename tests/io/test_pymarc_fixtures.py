"""pymarc's own test files (see tests/fixtures/pymarc/README.md), imported as a librarian
would: what comes in, what is rejected, what is warned about, per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.io.importer import import_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pymarc"

# file, records in the file, imported, rejected, warnings
EXPECTED = [
    ("1251.dat", 6, 0, 6, 0),            # Windows-1251 Cyrillic under a MARC-8 leader
    ("alphatag.dat", 1, 1, 0, 0),
    ("bad_eacc_encoding.dat", 1, 1, 0, 2),  # broken MARC-8 CJK in an 880
    ("bad_indicator.dat", 1, 1, 0, 1),   # a field whose tag is damaged ('0 2')
    ("bad_marc8_escape.dat", 1, 1, 0, 0),
    ("bad_records.mrc", 9, 2, 7, 0),     # pymarc's test: records 1 and 8 only are good
    ("bad_subfield_code.dat", 1, 1, 0, 2),  # '$á' for '$a', directory not updated
    ("bad_tag.xml", 1, 0, 1, 0),
    ("batch.xml", 2, 2, 0, 0),
    ("diacritic.dat", 1, 1, 0, 0),
    ("marc.dat", 20, 20, 0, 0),
    ("marc8-to-unicode.dat", 1, 1, 0, 0),
    ("marc8.dat", 1, 1, 0, 0),
    ("multi_isbn.dat", 1, 1, 0, 0),
    ("one.dat", 1, 1, 0, 0),
    ("regression45.dat", 12, 12, 0, 23),  # 752 with three indicators, 852 without $p
    ("test.dat", 10, 10, 0, 0),
    ("testunimarc.dat", 1, 0, 1, 0),     # UNIMARC, not MARC21
    ("utf8.xml", 1, 1, 0, 0),
    ("utf8_errors.dat", 1, 1, 0, 1),
    ("utf8_invalid.mrc", 1, 1, 0, 1),
    ("utf8_with_leader_flag.dat", 1, 1, 0, 0),
    ("utf8_without_leader_flag.dat", 1, 1, 0, 0),
]


def test_every_marc_file_of_pymarc_is_covered():
    files = {p.name for p in FIXTURES.iterdir() if p.suffix in (".dat", ".mrc", ".xml")}
    assert files == {name for name, *_ in EXPECTED}
    assert "Redistribution and use in source and binary forms" in (FIXTURES / "LICENSE").read_text()


@pytest.mark.parametrize("name, total, imported, rejected, warnings", EXPECTED)
def test_pymarc_file_is_imported_with_the_expected_counts(library, name, total, imported,
                                                          rejected, warnings, capfd):
    report = import_file(library, FIXTURES / name)

    assert (report.total, report.imported, len(report.rejected), len(report.warnings)) == (
        total, imported, rejected, warnings), report.details_vi()
    assert report.check()
    assert library.catalogue.count() <= imported
    assert capfd.readouterr() == ("", ""), "pymarc must not write to the terminal"


def titles(lib) -> list[str]:
    return sorted(r["title"] for r in lib.catalogue.iter_records())


def test_bad_records_keeps_the_two_good_ones_and_names_each_fault(library):
    report = import_file(library, FIXTURES / "bad_records.mrc")

    assert titles(library) == ["The pragmatic programmer"] * 2
    assert [p.place.record for p in report.rejected] == [2, 3, 4, 5, 6, 7, 9]
    assert [p.place.offset for p in report.rejected][:3] == [127, 254, 381]
    assert "leader/12-16" in report.rejected[0].message
    assert "không có trường nào" in report.rejected[5].message
    assert "cắt cụt" in report.rejected[6].message


def test_utf8_bytes_under_a_marc8_leader_are_read_as_utf8(library, new_library):
    with_flag = import_file(library, FIXTURES / "utf8_with_leader_flag.dat")
    other = new_library()
    without = import_file(other, FIXTURES / "utf8_without_leader_flag.dat")

    assert with_flag.encoding_vi() == "UTF-8: 1 bản ghi"
    assert without.encoding_vi() == (
        "UTF-8 (đầu biểu ghi ghi MARC-8 nhưng dữ liệu là UTF-8): 1 bản ghi")
    assert "Mã ký tự: UTF-8 (đầu biểu ghi ghi MARC-8" in without.summary_vi()
    first = next(iter(library.catalogue.iter_records()))
    second = next(iter(other.catalogue.iter_records()))
    assert first["title"] == second["title"] and first["authors"] == second["authors"]
    assert not any("\ufffd" in a or "Ã" in a for a in second["authors"])


def test_a_damaged_subfield_code_and_directory_are_repaired_with_a_warning(library):
    report = import_file(library, FIXTURES / "bad_subfield_code.dat")

    assert titles(library) == ["ActivePerl with ASP and ADO"]
    assert "danh mục trường hỏng" in report.warnings[0].message
    assert "mã trường con hỏng (trường 245)" in report.warnings[1].message


def test_unimarc_and_unknown_encodings_are_refused_with_the_reason(library, new_library):
    unimarc = import_file(library, FIXTURES / "testunimarc.dat")
    cyrillic = import_file(new_library(), FIXTURES / "1251.dat")

    assert "UNIMARC" in unimarc.rejected[0].message
    assert all("Windows-1251" in p.message for p in cyrillic.rejected)
    assert library.catalogue.count() == 0
