"""The Qt-free helpers behind the staff screens: staff PIN, stocktake, provisioning, lookup."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.core import provisioning, staff, stocktake
from kiosk.core.errors import LibraryError
from kiosk.core.isbn import isbn13_to_10
from kiosk.lookup import lookup_isbn


def test_staff_pin_is_stored_hashed_and_checked(lib):
    assert not staff.has_staff_pin(lib.store)
    assert not staff.verify_staff_pin(lib.store, "0000")
    staff.set_staff_pin(lib.store, "864200")
    stored = lib.store.get_meta(staff.META_KEY)
    assert stored.startswith("scrypt$") and "864200" not in stored
    assert staff.verify_staff_pin(lib.store, "864200")
    assert not staff.verify_staff_pin(lib.store, "0000")
    with pytest.raises(LibraryError):
        staff.set_staff_pin(lib.store, "12ab")


def _item(barcode, location="Kho mở", status="available", on_loan=False):
    return {"barcode": barcode, "location": location, "status": status, "on_loan": on_loan,
            "title": barcode, "call_number": None}


def test_stocktake_compare_classifies_every_scan_and_expected_copy():
    items = [_item("A1"), _item("A2"), _item("A3", on_loan=True), _item("A4", status="lost"),
             _item("B1", location="Phòng thiếu nhi")]
    result = stocktake.compare("Kho mở", items, ["A1", "B1", "A1", "A3", "ZZ", " "])
    assert [i["barcode"] for i in result.found] == ["A1"]
    assert [i["barcode"] for i in result.missing] == ["A2"]
    assert [i["barcode"] for i in result.misplaced] == ["B1", "A3"]
    assert result.misplaced[0]["reason"] == "Thuộc vị trí khác: Phòng thiếu nhi"
    assert result.unknown == ["ZZ"]
    assert result.counts() == {"found": 1, "missing": 1, "misplaced": 2, "unknown": 1}


def test_stocktake_reads_locations_and_items_from_the_library(lib, book):
    record_id, barcodes = book
    lib.catalogue.update_item(barcodes[0], location="Kho mở")
    lib.catalogue.add_item(record_id, "K1", location="Kho tra cứu")
    assert stocktake.locations(lib) == ["Kho mở", "Kho tra cứu"]
    result = stocktake.run(lib, "Kho mở", ["K1"])
    assert [i["barcode"] for i in result.missing] == [barcodes[0]]
    assert [i["barcode"] for i in result.misplaced] == ["K1"]


@pytest.mark.parametrize("url", ["http://10.0.0.5:8080", "https://thuvien.example.vn/",
                                 "http://[fe80::1]:80", "http://tamnong-counter.local"])
def test_valid_urls_are_accepted_without_trailing_slash(url):
    assert provisioning.validate_url(url) == url.rstrip("/")


@pytest.mark.parametrize("url", ["ftp://x.vn", "thuvien.vn", "http://", "http://bad host",
                                 "http://x.vn:99999", "http://a_b.vn"])
def test_invalid_urls_are_refused_with_a_vietnamese_message(url):
    with pytest.raises(LibraryError) as refusal:
        provisioning.validate_url(url)
    assert refusal.value.code == "invalid_input"


def test_provisioning_settings_round_trip_and_bad_peer_stores_nothing(lib):
    settings = provisioning.load(lib.store)
    assert (settings.library_code, settings.district_url, settings.peers) == ("TN-PHUTHO", "", [])
    assert settings.sync_status is None
    saved = provisioning.save(lib.store, " https://huyen.example.vn/ ",
                              "http://192.168.1.20:8080\n\nhttp://192.168.1.20:8080\nhttp://pi.local")
    assert saved.district_url == "https://huyen.example.vn"
    assert saved.peers == ["http://192.168.1.20:8080", "http://pi.local"]
    with pytest.raises(LibraryError) as refusal:
        provisioning.save(lib.store, "http://other.vn", "http://ok.vn\nnot a url")
    assert "dòng 2" in refusal.value.message
    assert provisioning.load(lib.store).district_url == "https://huyen.example.vn"


def test_lookup_isbn_finds_local_records_in_any_form(lib, book):
    isbn13 = lib.catalogue.get_record(book[0])["isbn13"]
    for form in (isbn13, isbn13_to_10(isbn13), f"{isbn13[:3]}-{isbn13[3:]}"):
        assert lookup_isbn(lib, form)["id"] == book[0]
        assert lookup_isbn(lib, form)["source"] == "local"
    assert lookup_isbn(lib, "9780000000002") is None
    assert lookup_isbn(lib, "not an isbn") is None


def test_core_helpers_do_not_import_qt():
    code = ("import sys, kiosk.core.staff, kiosk.core.stocktake, kiosk.core.provisioning, "
            "kiosk.lookup; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
