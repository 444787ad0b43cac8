"""The `kiosk` command as a librarian or technician runs it: a real process, a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.isbn import complete_isbn13 as isbn13

ROOT = Path(__file__).resolve().parents[1]


def kiosk(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args],
                          capture_output=True, text=True, input=stdin, env=env, timeout=60)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "counter.db"
    done = kiosk(path, "init", "--library", "TN-ANLONG", "--name", "Thư viện xã An Long")
    assert done.returncode == 0, done.stderr
    assert "Đã khởi tạo Thư viện xã An Long" in done.stdout
    return path


def test_a_day_at_the_counter_from_the_command_line(db):
    isbn = isbn13("978604123456")
    added = kiosk(db, "record", "add", "--title", "Đất rừng phương Nam", "--author", "Đoàn Giỏi",
                  "--isbn", isbn, "--year", "2019", "--subject", "Văn học", "--json")
    record_id = json.loads(added.stdout)["id"]
    assert kiosk(db, "item", "add", record_id, "AL000001").returncode == 0
    assert kiosk(db, "item", "add", record_id, "AL000002").returncode == 0

    patron = kiosk(db, "patron", "add", "Trần Thị Mai", "--category", "student",
                   "--commune", "An Long", "--set-pin", "--json", stdin="4321\n")
    card = json.loads(patron.stdout)["card_number"]
    assert "4321" not in patron.stdout

    out = kiosk(db, "checkout", card, "AL000001")
    assert out.returncode == 0
    import datetime as dt
    import re
    due = re.search(r"Đã mượn: Đất rừng phương Nam \[AL000001\] — hạn trả (\d\d/\d\d/\d{4})",
                    out.stdout)
    assert due, out.stdout
    assert dt.datetime.strptime(due.group(1), "%d/%m/%Y").date() >= dt.date.today() + dt.timedelta(days=14)

    hits = json.loads(kiosk(db, "search", "dat rung", "--json").stdout)
    assert hits[0]["title"] == "Đất rừng phương Nam"
    assert {"id", "title", "authors", "isbn13", "year", "available"} <= hits[0].keys()
    assert (hits[0]["available"], hits[0]["on_loan"], hits[0]["year"]) == (1, 1, 2019)
    by_isbn = json.loads(kiosk(db, "search", isbn, "--json").stdout)
    assert [h["id"] for h in by_isbn] == [record_id]

    loans = json.loads(kiosk(db, "loans", "--json").stdout)
    assert [(l["barcode"], l["card_number"]) for l in loans] == [("AL000001", card)]

    shown = kiosk(db, "patron", "show", card)
    assert "Trần Thị Mai" in shown.stdout and "Đang mượn: Đất rừng phương Nam" in shown.stdout

    back = kiosk(db, "checkin", "AL000001", "--json")
    assert json.loads(back.stdout)["message"] == "Đã trả sách. Cảm ơn bạn!"
    assert json.loads(kiosk(db, "loans", "--json").stdout) == []

    stats = json.loads(kiosk(db, "stats", "--json").stdout)
    assert (stats["loans"], stats["returns"], stats["new_patrons"]) == (1, 1, 1)


def test_a_refusal_exits_1_with_a_vietnamese_message_and_json_code(db):
    out = kiosk(db, "checkout", "NO-SUCH-CARD", "AL9", "--json")
    assert out.returncode == 1
    assert "Không tìm thấy thẻ bạn đọc NO-SUCH-CARD" in out.stderr
    assert json.loads(out.stdout)["error"]["code"] == "patron_not_found"


def test_a_missing_database_exits_3_and_says_how_to_fix_it(tmp_path):
    out = kiosk(tmp_path / "nowhere.db", "search", "kieu")
    assert out.returncode == 3
    assert "kiosk --db" in out.stderr and "init" in out.stderr
    assert not (tmp_path / "nowhere.db").exists()


def test_a_bad_command_line_exits_2(db):
    assert kiosk(db, "checkout").returncode == 2
    assert kiosk(db, "calendar", "close", "31/12/2026").returncode == 2


def test_a_patron_pin_never_appears_in_the_database_in_clear(db):
    kiosk(db, "patron", "add", "Lê Văn Tư", "--set-pin", stdin="908172\n")
    assert b"908172" not in db.read_bytes()


def test_a_wrong_pin_format_is_refused(db):
    out = kiosk(db, "patron", "add", "Lê Văn Tư", "--set-pin", stdin="12\n")
    assert out.returncode == 1 and "4–8 chữ số" in out.stderr


def test_closed_days_push_due_dates_from_the_command_line(db):
    record = json.loads(kiosk(db, "record", "add", "--title", "Truyện Kiều", "--json").stdout)["id"]
    kiosk(db, "item", "add", record, "AL7")
    card = json.loads(kiosk(db, "patron", "add", "Võ Thị Sáu", "--json").stdout)["card_number"]
    import datetime as dt
    due = dt.date.today() + dt.timedelta(days=14)
    assert kiosk(db, "calendar", "close", due.isoformat(), "--reason", "Họp").returncode == 0
    out = json.loads(kiosk(db, "checkout", card, "AL7", "--json").stdout)
    assert out["due_date"] != due.isoformat()


def test_every_command_is_documented_in_the_readme():
    from kiosk.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    missing = [name for name in commands if f"`{name}" not in readme and f"`{name} " not in readme
               and f"{name}`" not in readme]
    assert missing == []


def test_the_demo_builds_a_searchable_library_and_refuses_to_overwrite_one(tmp_path):
    db = tmp_path / "demo.db"
    built = kiosk(db, "demo", "--books", "60")
    assert built.returncode == 0, built.stderr
    assert "Thư viện mẫu đã sẵn sàng" in built.stdout
    hits = json.loads(kiosk(db, "search", "de men", "--json").stdout)
    assert hits[0]["title"] == "Dế Mèn phiêu lưu ký"
    again = kiosk(db, "demo")
    assert again.returncode == 2 and "tệp mới" in again.stderr


def test_import_and_export_from_the_command_line(db, tmp_path):
    csv_file = tmp_path / "sach.csv"
    csv_file.write_text(
        "title,authors,isbn13,barcode,year\n"
        f"Sổ tay trồng lúa,Nguyễn Văn Nông,{isbn13('978604999001')},AL100,2021\n"
        "Bản đồ Tam Nông,,,AL101,không rõ\n", encoding="utf-8")
    out = kiosk(db, "import", str(csv_file))
    assert out.returncode == 0, out.stderr
    assert json.loads(kiosk(db, "search", "so tay trong lua", "--json").stdout)[0]["year"] == 2021

    marc = tmp_path / "out.mrc"
    assert kiosk(db, "export", "--format", "marc", str(marc)).returncode == 0
    fresh = tmp_path / "fresh.db"
    kiosk(fresh, "init", "--library", "TN-ANHOA", "--name", "Thư viện xã An Hòa")
    again = kiosk(fresh, "import", str(marc), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["created"] >= 1
    assert json.loads(kiosk(fresh, "search", "AL100", "--json").stdout)[0]["title"] == "Sổ tay trồng lúa"

    junk = tmp_path / "photo.mrc"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    bad = kiosk(db, "import", str(junk))
    assert bad.returncode == 4 and "photo.mrc" in bad.stderr


def test_the_technician_device_commands_run_through_the_kiosk_command(tmp_path):
    devices = kiosk(tmp_path / "unused.db", "devices", "--json")
    assert devices.returncode == 0, devices.stderr
    kinds = {row["kind"] for row in json.loads(devices.stdout)["devices"]}
    assert {"scanner", "card_reader", "printer"} <= kinds
    out = tmp_path / "lp0"
    printed = kiosk(tmp_path / "unused.db", "print-test", "--printer", f"file:{out}")
    assert printed.returncode == 0, printed.stderr
    assert b"\x1dv0" in out.read_bytes()  # the test page went out as a GS v 0 raster
