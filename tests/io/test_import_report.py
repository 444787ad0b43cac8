"""The import report as a librarian reads it: encodings named, damaged rows placed and
explained, the counts adding up, hostile files refused quickly, and the rejected rows
exported, fixed and imported again until nothing is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from fuzz_files import to_cp1258
from io_test_files import book, df, iso2709

from kiosk.core.errors import LibraryError
from kiosk.io.importer import export_rejected, import_file

ROOT = Path(__file__).resolve().parents[2]
HEADER = "title;authors;year;notes;barcode"


def rows(n: int = 6) -> list[str]:
    return [f"Truyện cổ tích số {i} của Đồng Tháp;Nguyễn Thị Thuỷ;{1990 + i};;TC{i:03d}"
            for i in range(n)]


def catalogue(lib) -> dict[str, str]:
    out = {}
    for rec in lib.catalogue.iter_records():
        for item in lib.catalogue.items_of(rec["id"]):
            out[item["barcode"]] = rec["title"]
    return out


def test_windows_1258_with_combining_tones_is_read_and_normalised(library, tmp_path):
    path = tmp_path / "cu.csv"
    path.write_bytes(to_cp1258("\r\n".join([HEADER, *rows()]) + "\r\n"))
    assert b"\xd2" in path.read_bytes() or b"\xec" in path.read_bytes()  # combining tones

    report = import_file(library, path)

    assert report.encoding == "Windows-1258" and "Mã ký tự: Windows-1258" in report.summary_vi()
    assert (report.total, report.imported, report.rejected) == (6, 6, [])
    assert catalogue(library)["TC003"] == "Truyện cổ tích số 3 của Đồng Tháp"
    assert library.search.search("dong thap")[0].title.endswith("Đồng Tháp")


def test_utf16_with_and_without_bom_and_utf8_with_bom(new_library, tmp_path):
    text = "\n".join([HEADER, *rows(3)]) + "\n"
    cases = {"utf16.csv": (text.encode("utf-16"), "UTF-16 (có BOM)"),
             "utf16be.csv": (text.encode("utf-16-be"), "UTF-16 BE"),
             "bom.csv": (b"\xef\xbb\xbf" + text.encode(), "UTF-8 (có BOM)"),
             "plain.csv": (text.encode(), "UTF-8")}
    for name, (data, label) in cases.items():
        lib = new_library()
        (tmp_path / name).write_bytes(data)
        report = import_file(lib, tmp_path / name)
        assert (report.encoding, report.imported, report.total) == (label, 3, 3), name
        assert catalogue(lib)["TC002"] == "Truyện cổ tích số 2 của Đồng Tháp"


def test_tcvn3_is_decoded_from_the_vn3_table(library, tmp_path):
    # "Bảo Thắng", "Mường Khương", "Bát Xát" in TCVN3 (.VnTime fonts).
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(b"title;authors;barcode\r\n"
                     b"B\xb6o Th\xbeng;M\xeang Kh\xacng;T1\r\n"
                     b"B\xb8t X\xb8t;\xa7\xabng Th\xb8p;T2\r\n")

    report = import_file(library, path)

    assert report.encoding == "TCVN3 (ABC)"
    assert catalogue(library) == {"T1": "Bảo Thắng", "T2": "Bát Xát"}
    assert library.catalogue.item_by_barcode("T2")
    assert any("TCVN3" in note for note in report.notes)


def test_an_encoding_that_is_not_vietnamese_is_refused_by_name(library, tmp_path):
    path = tmp_path / "la.csv"
    path.write_bytes(b"title;barcode\n" + "Война и мир;R1\n".encode("koi8-r") * 5)

    report_error = None
    try:
        import_file(library, path)
    except Exception as exc:  # noqa: BLE001 - the message is what is asserted
        report_error = exc
    assert "không nhận ra mã ký tự" in report_error.message
    assert "CSV UTF-8" in report_error.message


def test_one_invalid_byte_rejects_only_its_line(library, tmp_path):
    data = ("\n".join([HEADER, *rows()]) + "\n").encode()
    at = data.index("số 2".encode()) + 1
    path = tmp_path / "hong.csv"
    path.write_bytes(data[:at] + b"\xff" + data[at + 1:])

    report = import_file(library, path)

    assert report.encoding == "UTF-8"
    assert (report.total, report.imported) == (6, 5)
    assert report.rejected[0].place.line == 4
    assert "0xFF" in report.rejected[0].message and "cột title" in report.rejected[0].message
    assert sorted(catalogue(library)) == ["TC000", "TC001", "TC003", "TC004", "TC005"]


def test_an_unbalanced_quote_loses_only_its_own_line(library, tmp_path):
    lines = rows(30)
    lines[4] = '"' + lines[4]                       # opens, never closes
    lines[10] = lines[10].replace(";;TC", ';"Ghi chú\nhai dòng";TC')  # a real two-line note
    path = tmp_path / "ngoac.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")

    report = import_file(library, path)

    assert (report.total, report.imported, len(report.rejected)) == (30, 29, 1)
    assert report.rejected[0].place.line == 6
    assert "dấu ngoặc kép" in report.rejected[0].message
    assert len(catalogue(library)) == 29 and "TC004" not in catalogue(library)
    ten = next(r for r in library.catalogue.iter_records() if r["title"].endswith("10 của Đồng Tháp"))
    assert ten["notes"] == "Ghi chú\nhai dòng"


def test_a_quote_that_swallows_rows_with_delimiters_is_cut_back(library, tmp_path):
    lines = rows(8)
    lines[2] = lines[2].replace(";;TC", ';"bắt đầu ghi chú;TC')  # closes at line 7's quote
    lines[6] = lines[6].replace(";;TC", ';"x";TC')
    path = tmp_path / "nuot.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")

    report = import_file(library, path)

    assert report.check()
    assert [p.place.line for p in report.rejected] == [4]
    assert sorted(catalogue(library)) == [f"TC{i:03d}" for i in range(8) if i != 2]


def test_a_200_kb_field_is_rejected_with_a_clear_message(library, tmp_path):
    lines = rows(4)
    lines[1] = lines[1].replace(";;TC", ";" + "ghi chú rất dài " * 13_000 + ";TC")
    path = tmp_path / "dai.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 200_000

    report = import_file(library, path)

    assert (report.total, report.imported) == (4, 3)
    assert "ô ở cột notes dài quá 32.768 ký tự" in report.rejected[0].message


def test_a_64_mb_file_without_a_record_terminator_fails_fast(library, tmp_path):
    path = tmp_path / "khong-ket-thuc.mrc"
    with open(path, "wb") as fh:
        fh.write(book("Sách trước vùng hỏng"))
        fh.write(b"00000nam a2200000 a 4500" + b"0123456789" * (64 << 17))

    start = time.perf_counter()
    report = import_file(library, path)
    seconds = time.perf_counter() - start

    assert seconds < 10, seconds
    assert (report.total, report.imported, len(report.rejected)) == (2, 1, 1)
    assert "không có ký tự kết thúc bản ghi" in report.rejected[0].message
    assert report.rejected[0].raw is None


def test_hostile_csv_files_are_refused_or_read_quickly(library, tmp_path):
    floods = {"blank.csv": b"\n" * (32 << 20), "separators.csv": b";\n" * (16 << 20),
              "fragments.csv": b"a\n" * (16 << 20), "quotes.csv": b'"x\n' * (10 << 20)}
    for name, body in floods.items():
        path = tmp_path / name
        path.write_bytes(HEADER.encode() + b"\n" + body)
        start = time.perf_counter()
        try:
            report = import_file(library, path)
        except LibraryError as refused:
            assert "không đọc được" in refused.message, name
        else:
            assert (report.total, report.imported) == (0, 0), name
        assert time.perf_counter() - start < 20, name
    assert library.catalogue.count() == 0


def _two_copies() -> bytearray:
    return bytearray(iso2709([
        ("001", "D1"), ("245", df("10", ("a", "Sách có danh mục hỏng"))),
        ("952", df("  ", ("p", "TN0001"))), ("952", df("  ", ("p", "TN0002"))),
    ]))


def test_a_directory_the_data_contradicts_is_rejected_with_the_title(library, tmp_path):
    good = book("Sách lành")
    record = _two_copies()
    first_copy_end = record.index(b"TN0001") + len(b"TN0001")
    record[first_copy_end] = ord("x")  # the first 952's field terminator is gone
    path = tmp_path / "dm.mrc"
    path.write_bytes(good + bytes(record))

    report = import_file(library, path)

    assert (report.total, report.imported, len(report.rejected)) == (2, 1, 1)
    problem = report.rejected[0]
    assert problem.place.offset == len(good)
    assert "danh mục trường (directory) hỏng: trường 952" in problem.message
    assert "«Sách có danh mục hỏng»" in problem.message
    assert problem.raw == bytes(record)
    assert catalogue(library) == {}


def test_a_directory_entry_with_a_wrong_length_is_read_from_the_terminators(library,
                                                                           tmp_path):
    record = _two_copies()
    entry = record.index(b"952")
    record[entry + 6] = ord("9")       # the first copy's length now ends mid-field
    path = tmp_path / "dm.mrc"
    path.write_bytes(bytes(record))

    report = import_file(library, path)

    assert (report.imported, report.rejected) == (1, [])
    assert sorted(catalogue(library)) == ["TN0001", "TN0002"]
    assert "danh mục trường hỏng (trường 952" in report.warnings[0].message
    assert "Cảnh báo — Bản ghi 1 (vị trí byte 0): danh mục" in report.details_vi()[0]


def test_rejected_csv_rows_are_exported_fixed_and_imported_again(library, tmp_path):
    lines = rows(6)
    lines[1] = lines[1].replace("1991", "năm xưa")
    lines[3] = '"' + lines[3]
    path = tmp_path / "sach.csv"
    path.write_bytes(to_cp1258("\r\n".join([HEADER, *lines]) + "\r\n"))
    report = import_file(library, path)
    assert (report.imported, len(report.rejected)) == (4, 2)

    out = tmp_path / "tu-choi.csv"
    written = export_rejected(report, out)

    assert (written.written, written.not_kept) == (2, 0)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    text = data.decode("utf-8-sig")
    assert "năm xưa" in text and '"Truyện cổ tích số 3' in text
    out.write_text(text.replace("năm xưa", "1991").replace('"Truyện', "Truyện"),
                   encoding="utf-8-sig")
    again = import_file(library, out)
    assert (again.imported, again.rejected) == (2, [])
    assert sorted(catalogue(library)) == [f"TC{i:03d}" for i in range(6)]


def test_rejected_marc_records_are_written_as_their_raw_bytes(library, tmp_path):
    bad = book("Không có kết thúc")[:-1] + b"x"
    path = tmp_path / "a.mrc"
    path.write_bytes(book("Một") + iso2709([("100", df("0 ", ("a", "Ai đó")))]) + bad)
    report = import_file(library, path)
    out = tmp_path / "tu-choi.mrc"

    written = export_rejected(report, out)

    assert written.written == len(report.rejected) == 2
    assert out.read_bytes() == iso2709([("100", df("0 ", ("a", "Ai đó")))]) + bad


def kiosk(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def test_the_cli_prints_the_report_and_writes_the_rejected_rows(tmp_path):
    db = tmp_path / "counter.db"
    assert kiosk(db, "init", "--library", "TN-ANLONG", "--name", "An Long").returncode == 0
    lines = rows(5)
    lines[2] = lines[2].replace(";;TC", ";" + "x" * 200_000 + ";TC")
    path = tmp_path / "sach.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    out = tmp_path / "loi.csv"

    done = kiosk(db, "import", str(path), "--rejected-to", str(out))

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Tệp có 5 dòng: đã nhập 4, bị từ chối 1" in done.stdout
    assert "Mã ký tự: UTF-8" in done.stdout
    assert "  Dòng 4: ô ở cột notes dài quá" in done.stdout
    assert f"Đã ghi 1 dòng bị từ chối ra {out}" in done.stdout
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == HEADER

    junk = tmp_path / "anh.mrc"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert kiosk(db, "import", str(junk)).returncode == 4


def test_usb_sticks_are_the_removable_mounts_only(tmp_path):
    from kiosk.io.destinations import downloads_folder, usb_sticks

    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/mmcblk0p2 / ext4 ro,relatime 0 0\n"
        "/dev/sda1 /media/kiosk/KINGSTON vfat rw,nosuid,nodev 0 0\n"
        "/dev/sdb1 /run/media/thuthu/USB\\040CUA\\040XA vfat rw 0 0\n"
        "/dev/sdc1 /media/kiosk/CDROM iso9660 ro 0 0\n"
        "/dev/mmcblk0p3 /var/lib/kiosk ext4 rw 0 0\n")

    found = usb_sticks(mounts)

    assert [(d.kind, d.name, str(d.path)) for d in found] == [
        ("usb", "KINGSTON", "/media/kiosk/KINGSTON"),
        ("usb", "USB CUA XA", "/run/media/thuthu/USB CUA XA")]
    # A stick with its write-protect switch on holds files to import, never an export.
    assert [d.name for d in usb_sticks(mounts, writable=False)] == [
        "CDROM", "KINGSTON", "USB CUA XA"]
    assert usb_sticks(tmp_path / "missing") == []
    assert downloads_folder(tmp_path, {}) == tmp_path / "Downloads"
    assert downloads_folder(tmp_path, {"XDG_DOWNLOAD_DIR": "$HOME/Tải về"}) == tmp_path / "Tải về"
