"""A device installed from a USB bootstrap file is paired on the LAN as a technician
expects (``kiosk pair``), keeps what it installed and syncs on from the file's floor."""

from __future__ import annotations

import json

from kiosk.app import open_library
from kiosk.cli import main
from kiosk.core.clock import FixedClock
from sync import joining, pairing
from test_bootstrap_http import a_counter, serving


def installed_from_stick(tmp_path, capsys) -> str:
    counter = a_counter(tmp_path / "counter.db", records=5)
    counter.store.close()
    stick = tmp_path / "stick.kboot"
    assert main(["--db", str(tmp_path / "counter.db"), "bootstrap", "--export", str(stick)]) == 0
    assert main(["--db", str(tmp_path / "kiosk.db"), "bootstrap", "--from", str(stick)]) == 0
    assert "kiosk pair --peer" in capsys.readouterr().out
    return str(tmp_path / "kiosk.db")


def test_a_device_bootstrapped_from_a_usb_file_pairs_and_syncs_only_what_is_newer(tmp_path, capsys):
    kiosk = installed_from_stick(tmp_path, capsys)
    counter = open_library(tmp_path / "counter.db", FixedClock("2026-11-21T09:00:00"))
    in_file = counter.store.scalar("SELECT COUNT(*) FROM events")
    record = counter.catalogue.add_record({"title": "Mùa lũ", "authors": ["Nguyễn Ngọc Tư"]})
    counter.catalogue.add_item(record, "PT9")
    counter.patrons.add("Bạn đọc hai", "adult", card_number="C2")
    counter.circulation.checkout("C2", "PT9")
    with serving(counter) as (_, url):
        code, _ = pairing.issue_code(counter)
        assert main(["--db", kiosk, "pair", "--peer", url, "--code", code, "--name", "ki-ốt"]) == 0
        out = capsys.readouterr().out
        assert "Đã ghép nối thiết bị với Thư viện xã Phú Thọ" in out
        assert "Dữ liệu đã cài từ tệp khởi tạo được giữ" in out
        newer = counter.store.scalar("SELECT COUNT(*) FROM events") - in_file
        assert main(["--db", kiosk, "sync", "--no-discovery", "--json"]) == 0
        [round_] = json.loads(capsys.readouterr().out)
        assert round_["ok"] and round_["pulled"] == newer  # not the history the file held
        assert main(["--db", kiosk, "loans", "--json"]) == 0
        assert sorted(loan["barcode"] for loan in json.loads(capsys.readouterr().out)) == ["PT1", "PT9"]

        assert main(["--db", kiosk, "checkin", "PT9"]) == 0
        assert "Đã trả: Mùa lũ" in capsys.readouterr().out
        assert main(["--db", kiosk, "sync", "--no-discovery", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)[0]["pushed"] >= 1
    assert counter.store.one("SELECT 1 FROM loans l JOIN items i ON i.id = l.item_id "
                             "WHERE i.barcode = 'PT9'") is None


def test_pairing_with_a_device_of_another_library_is_refused_before_the_code_is_spent(tmp_path, capsys):
    kiosk = installed_from_stick(tmp_path, capsys)
    other = open_library(tmp_path / "other.db", FixedClock("2026-11-21T09:00:00"))
    joining.found_library(other, "TN-KHAC", "Thư viện khác", device_name="quầy")
    with serving(other) as (_, url):
        code, _ = pairing.issue_code(other)
        assert main(["--db", kiosk, "pair", "--peer", url, "--code", code]) == 1
        assert "đã cài dữ liệu của thư viện TN-PHUTHO" in capsys.readouterr().err
    assert other.store.scalar("SELECT COUNT(*) FROM pairing_codes WHERE used_by IS NULL") == 1
    assert other.store.scalar("SELECT COUNT(*) FROM device_registry") == 1
